import { describe, expect, it } from 'vitest'
import { smoothEma } from './smoothing.js'

describe('EMA smoothing', () => {
  it('leaves the series unchanged at weight 0', () => {
    expect(smoothEma([1, 5, 2], 0)).toEqual([1, 5, 2])
  })

  it('does not pull the first points towards zero (debiased)', () => {
    const smoothed = smoothEma([10, 10, 10], 0.9) as number[]
    for (const value of smoothed) expect(value).toBeCloseTo(10)
  })

  it('follows a step change gradually', () => {
    const smoothed = smoothEma([0, 0, 0, 10, 10, 10], 0.5) as number[]
    expect(smoothed[3]).toBeGreaterThan(0)
    expect(smoothed[3]).toBeLessThan(10)
    expect(smoothed[5]).toBeGreaterThan(smoothed[4]!)
  })

  it('keeps gaps and alignment artifacts in place and skips them in the average', () => {
    const smoothed = smoothEma([4, null, undefined, 4], 0.6)
    expect(smoothed[1]).toBeNull()
    expect(smoothed[2]).toBeUndefined()
    expect(smoothed[3]).toBeCloseTo(4)
  })
})
