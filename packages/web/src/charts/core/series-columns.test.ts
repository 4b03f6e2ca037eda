import { describe, expect, it } from 'vitest'
import { columnsFromBuckets, xExtent } from './series-columns.js'

describe('series columns from a bucket read', () => {
  it('keeps exact points as they are, without a band', () => {
    const columns = columnsFromBuckets({
      mode: 'points',
      x: 'step',
      steps: [0, 1, 2],
      timestamps: [1000, 2000, 3000],
      values: [0.5, 'NaN', 0.25],
    })
    expect(Array.from(columns.x)).toEqual([0, 1, 2])
    expect(Array.from(columns.y)).toEqual([0.5, NaN, 0.25])
    expect(columns.min).toBeNull()
    expect(columns.exact).toBe(true)
  })

  it('reads time points on the time axis, shifted by the run start', () => {
    const columns = columnsFromBuckets(
      { mode: 'points', x: 'time', steps: [0, 1], timestamps: [5000, 7000], values: [1, 2] },
      5000,
    )
    expect(Array.from(columns.x)).toEqual([0, 2000])
  })

  it('draws a bucket at the middle of its points with its true min and max as the band', () => {
    const columns = columnsFromBuckets({
      mode: 'buckets',
      x: 'step',
      xFrom: [0, 10, 20],
      xTo: [9, 19, 29],
      count: [10, 10, 10],
      min: [0, 1, -50],
      max: [1, 900, 2],
      mean: [0.5, 95, 0.1],
      last: [1, 2, 2],
      lastStep: [9, 19, 29],
    })
    expect(Array.from(columns.x)).toEqual([4.5, 14.5, 24.5])
    expect(Array.from(columns.y)).toEqual([0.5, 95, 0.1])
    // The spike of 900 in the second bucket is in its max although its mean is 95.
    expect(Array.from(columns.max!)).toEqual([1, 900, 2])
    expect(Array.from(columns.min!)).toEqual([0, 1, -50])
    expect(columns.exact).toBe(false)
  })

  it('leaves out empty buckets and keeps buckets of only NaN as gaps', () => {
    const columns = columnsFromBuckets({
      mode: 'buckets',
      x: 'step',
      xFrom: [0, 10, 20],
      xTo: [9, 20, 29],
      count: [5, 0, 3],
      min: ['NaN', 'NaN', 1],
      max: ['NaN', 'NaN', 3],
      mean: ['NaN', 'NaN', 2],
      last: ['NaN', 'NaN', 3],
      lastStep: [9, 'NaN', 29],
    })
    expect(Array.from(columns.x)).toEqual([4.5, 24.5])
    expect(Array.from(columns.y)).toEqual([NaN, 2])
    expect(xExtent(columns)).toEqual({ min: 4.5, max: 24.5 })
  })

  it('has no extent without points', () => {
    const columns = columnsFromBuckets({
      mode: 'points',
      x: 'step',
      steps: [],
      timestamps: [],
      values: [],
    })
    expect(xExtent(columns)).toBeNull()
  })
})
