import { describe, expect, it } from 'vitest'
import { alignSeries } from './align-series.js'

const f = (values: number[]) => Float64Array.from(values)

describe('aligning runs logged at different steps', () => {
  it('joins onto the union of x values, marking missing points as alignment artifacts', () => {
    const { x, columns } = alignSeries([
      { x: f([0, 2, 4]), columns: [f([1, 2, 3])] },
      { x: f([1, 2, 3]), columns: [f([10, 20, 30])] },
    ])
    expect(Array.from(x)).toEqual([0, 1, 2, 3, 4])
    expect(columns[0]![0]).toEqual([1, undefined, 2, undefined, 3])
    expect(columns[1]![0]).toEqual([undefined, 10, 20, 30, undefined])
  })

  it('keeps a NaN as a real gap (null), distinct from an alignment artifact', () => {
    const { columns } = alignSeries([
      { x: f([0, 1, 2]), columns: [f([1, NaN, 3])] },
      { x: f([0, 0.5]), columns: [f([5, 6])] },
    ])
    expect(columns[0]![0]).toEqual([1, undefined, null, 3])
  })

  it('carries every column of a series (line and band edges) along', () => {
    const { columns } = alignSeries([
      { x: f([0, 10]), columns: [f([1, 2]), f([3, 4]), f([0, 1])] },
      { x: f([5]), columns: [f([7])] },
    ])
    expect(columns[0]).toEqual([
      [1, undefined, 2],
      [3, undefined, 4],
      [0, undefined, 1],
    ])
  })

  it('keeps the last value when one series repeats an x', () => {
    const { x, columns } = alignSeries([{ x: f([1, 1, 2]), columns: [f([5, 6, 7])] }])
    expect(Array.from(x)).toEqual([1, 2])
    expect(columns[0]![0]).toEqual([6, 7])
  })

  it('aligns nothing to nothing', () => {
    expect(alignSeries([])).toEqual({ x: new Float64Array(0), columns: [] })
  })
})
