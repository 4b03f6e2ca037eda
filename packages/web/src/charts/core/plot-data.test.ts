import { describe, expect, it } from 'vitest'
import { buildPlotData, type PlotRun } from './plot-data.js'

const f = (values: number[]) => Float64Array.from(values)

const exactRun: PlotRun = {
  key: 'A',
  label: 'A',
  color: '#111',
  columns: { x: f([0, 1, 2]), y: f([1, 2, 3]), min: null, max: null, exact: true },
}
const bucketedRun: PlotRun = {
  key: 'B',
  label: 'B',
  color: '#222',
  columns: { x: f([1, 3]), y: f([5, -1]), min: f([4, -2]), max: f([9, 0]), exact: false },
}

describe('plot data', () => {
  it('puts every run on one x axis with a band for bucketed runs', () => {
    const plot = buildPlotData([exactRun, bucketedRun], {
      mode: 'step',
      smoothing: 0,
      logScale: false,
    })
    expect(plot.data[0]).toEqual([0, 1, 2, 3])
    expect(plot.series.map((s) => `${s.runKey}:${s.role}`)).toEqual([
      'A:line',
      'B:max',
      'B:min',
      'B:line',
    ])
    expect(plot.bands).toEqual([[2, 3]])
    expect(plot.data[2]).toEqual([undefined, 9, undefined, 0])
    expect(plot.points).toBe(16)
  })

  it('adds the smoothed line over the faint raw one when smoothing', () => {
    const plot = buildPlotData([exactRun], { mode: 'step', smoothing: 0.5, logScale: false })
    expect(plot.series.map((s) => s.role)).toEqual(['raw', 'line'])
    expect(plot.data[1]).toEqual([1, 2, 3])
    expect((plot.data[2] as number[])[2]).toBeLessThan(3)
  })

  it('turns values a log axis cannot place into gaps', () => {
    const plot = buildPlotData([bucketedRun], { mode: 'step', smoothing: 0, logScale: true })
    const min = plot.data[2]!
    expect(min).toEqual([4, null])
  })

  it('shows wall time in seconds', () => {
    const run: PlotRun = {
      ...exactRun,
      columns: { ...exactRun.columns, x: f([1_000, 2_000, 3_000]) },
    }
    const plot = buildPlotData([run], { mode: 'time', smoothing: 0, logScale: false })
    expect(plot.data[0]).toEqual([1, 2, 3])
  })
})
