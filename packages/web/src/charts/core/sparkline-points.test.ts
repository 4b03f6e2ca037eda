import { describe, expect, it } from 'vitest'
import { sparklineSegments } from './sparkline-points.js'

describe('sparklines', () => {
  it('scales values into the box, highest at the top', () => {
    expect(sparklineSegments([0, 10], 12, 12, 1)).toEqual([
      [
        [1, 11],
        [11, 1],
      ],
    ])
  })

  it('breaks the line at NaN and draws a flat series through the middle', () => {
    const segments = sparklineSegments([1, NaN, 1, 1], 40, 10, 0)
    expect(segments).toHaveLength(2)
    expect(segments[1]!.every(([, y]) => y === 5)).toBe(true)
  })

  it('draws nothing without finite values', () => {
    expect(sparklineSegments([NaN, Infinity], 10, 10)).toEqual([])
  })
})
