import { alignSeries, type AlignedValue } from './align-series.js'
import type { SeriesColumns } from './series-columns.js'
import { smoothEma } from './smoothing.js'
import { toChartX, type XAxisMode } from './x-axis.js'

export interface PlotRun {
  /** Unique within the chart (run id, or run id + path). */
  key: string
  label: string
  color: string
  columns: SeriesColumns
}

export interface PlotOptions {
  mode: XAxisMode
  /** EMA weight, 0 (none) to 0.99. */
  smoothing: number
  logScale: boolean
}

/** What a drawn series is: the line, the faint unsmoothed line, or an edge of the band. */
export type SeriesRole = 'line' | 'raw' | 'min' | 'max'

export interface PlotSeries {
  runKey: string
  label: string
  color: string
  role: SeriesRole
}

/**
 * Data for uPlot: `data[0]` is x, `data[i]` belongs to `series[i - 1]`; `bands` pairs the
 * data indices of a band's upper and lower edge.
 */
export interface PlotData {
  data: [number[], ...AlignedValue[][]]
  series: PlotSeries[]
  bands: [number, number][]
  /** Points drawn, over all series: the chart's cost. */
  points: number
}

/**
 * Lays runs out on one shared x axis: for each run its line (smoothed when asked, with the raw
 * line kept faintly underneath), and the min/max band when the server bucketed the series.
 */
export function buildPlotData(runs: readonly PlotRun[], options: PlotOptions): PlotData {
  const aligned = alignSeries(
    runs.map((run) => ({
      x: run.columns.x,
      columns:
        run.columns.min && run.columns.max
          ? [run.columns.y, run.columns.max, run.columns.min]
          : [run.columns.y],
    })),
  )
  const x = Array.from(aligned.x, (value) => toChartX(options.mode, value))
  const data: [number[], ...AlignedValue[][]] = [x]
  const series: PlotSeries[] = []
  const bands: [number, number][] = []
  const shown = (values: AlignedValue[]) => (options.logScale ? positiveOnly(values) : values)
  runs.forEach((run, index) => {
    const [line, max, min] = aligned.columns[index]!
    const add = (values: AlignedValue[], role: SeriesRole) => {
      data.push(shown(values))
      series.push({ runKey: run.key, label: run.label, color: run.color, role })
      return data.length - 1
    }
    if (max && min) {
      const upper = add(max, 'max')
      const lower = add(min, 'min')
      bands.push([upper, lower])
    }
    if (options.smoothing > 0) {
      add(line!, 'raw')
      add(smoothEma(line!, options.smoothing), 'line')
    } else {
      add(line!, 'line')
    }
  })
  return { data, series, bands, points: x.length * series.length }
}

/** A log axis cannot place zero or negative values: they become gaps. */
function positiveOnly(values: AlignedValue[]): AlignedValue[] {
  return values.map((value) => (typeof value === 'number' && value <= 0 ? null : value))
}
