import { keepPreviousData, useQueries } from '@tanstack/react-query'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import type { PlotRun } from './core/plot-data.js'
import { columnsFromBuckets, type SeriesColumns } from './core/series-columns.js'
import { serverAxis, type XAxisMode } from './core/x-axis.js'
import { serverRange } from './core/zoom.js'

/** One line of a chart: a float series of one object. */
export interface ChartLine {
  key: string
  /** Object id (UUID or readable id). */
  object: string
  path: string
  label: string
  color: string
  /** The object's start (epoch ms): zero of the relative-time axis. */
  start: number
}

export interface ChartData {
  runs: PlotRun[]
  loading: boolean
  /** True while data for the current zoom is on its way (coarser data is shown meanwhile). */
  refining: boolean
  errors: { line: ChartLine; error: unknown }[]
}

/**
 * Reads each line's buckets for the chart's width and zoom: one bucket per pixel column, the
 * min/max band included, and reads again when the zoom changes (the previous, coarser data
 * stays on screen until then).
 */
export function useChartData(
  ref: ProjectRef,
  lines: readonly ChartLine[],
  mode: XAxisMode,
  range: { min: number; max: number } | null,
  buckets: number,
): ChartData {
  const api = useApi()
  const results = useQueries({
    queries: lines.map((line) => {
      const shift = mode === 'relative' ? line.start : 0
      const bounds = range ? serverRange(mode, range, shift) : null
      return {
        queryKey: [
          'buckets',
          ref.workspace,
          ref.project,
          line.object,
          line.path,
          serverAxis(mode),
          bounds,
          buckets,
        ],
        queryFn: async ({ signal }: { signal: AbortSignal }) =>
          columnsFromBuckets(
            await api.series.buckets(
              ref,
              line.object,
              { path: line.path, buckets, x: serverAxis(mode), ...(bounds ?? {}) },
              signal,
            ),
            shift,
          ),
        placeholderData: keepPreviousData,
        staleTime: 30_000,
      }
    }),
  })
  const runs: PlotRun[] = []
  const errors: ChartData['errors'] = []
  results.forEach((result, index) => {
    const line = lines[index]!
    if (result.data)
      runs.push({
        key: line.key,
        label: line.label,
        color: line.color,
        columns: result.data as SeriesColumns,
      })
    if (result.error) errors.push({ line, error: result.error })
  })
  return {
    runs,
    loading: results.some((result) => result.isPending),
    refining: results.some((result) => result.isPlaceholderData && result.isFetching),
    errors,
  }
}
