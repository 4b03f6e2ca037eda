import { relative } from 'node:path'
import { readParquet } from '../parquet-reader.js'
import type { Progress } from '../progress.js'

/**
 * The rows of one exported run (or model, or model version), grouped by attribute
 * (../shared/neptune-exporter-format.md §2): scalars, series points, file references.
 */

export type ScalarValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'datetime'; value: number }
  | { type: 'string_set'; values: string[] }

export interface SeriesColumns {
  type: 'float_series' | 'string_series' | 'histogram_series' | 'file_series'
  steps: number[]
  timestamps: (number | null)[]
  /** Floats (NaN for a missing value), strings, histogram JSON, or file paths. */
  values: (number | string)[]
}

export interface ExportedRun {
  projectId: string
  runId: string
  scalars: Map<string, ScalarValue>
  series: Map<string, SeriesColumns>
  files: Map<string, { type: 'file' | 'file_set' | 'artifact'; path: string }>
}

const COLUMNS = [
  'project_id',
  'run_id',
  'attribute_path',
  'attribute_type',
  'step',
  'timestamp',
  'int_value',
  'float_value',
  'string_value',
  'bool_value',
  'datetime_value',
  'string_set_value',
  'file_value',
  'histogram_value',
]

const KNOWN_TYPES = new Set([
  'float',
  'int',
  'string',
  'bool',
  'datetime',
  'string_set',
  'float_series',
  'string_series',
  'histogram_series',
  'file',
  'file_series',
  'file_set',
  'artifact',
])

/**
 * Reads parts in order, row group by row group, into runs keyed by run id. Rows whose value
 * column is null are left out (§5.2), except float-series points, whose null value is a NaN
 * the exporter turned into null (§5.1). A part that cannot be read stops this run's reading
 * with IMPORT_INPUT_INVALID; a bad row is reported and skipped.
 */
export async function readExportedRuns(
  parts: string[],
  base: string,
  progress: Progress,
  onlyRun?: string,
): Promise<Map<string, ExportedRun>> {
  const runs = new Map<string, ExportedRun>()
  for (const part of parts) {
    const label = relative(base, part) || part
    for await (const chunk of readParquet(part, COLUMNS, label)) {
      const c = chunk.columns
      for (let i = 0; i < chunk.rowCount; i++) {
        const row = chunk.rowStart + i
        const runId = c.run_id![i] as string | null
        const projectId = c.project_id![i] as string | null
        const path = c.attribute_path![i] as string | null
        const type = c.attribute_type![i] as string | null
        if (!runId || !projectId || !path || !type) {
          progress.skip(
            `${label} row ${row}`,
            'project_id, run_id, attribute_path or attribute_type is empty',
          )
          continue
        }
        if (onlyRun !== undefined && runId !== onlyRun) continue
        if (!KNOWN_TYPES.has(type)) {
          progress.skip(`${label} row ${row}`, `unknown attribute_type "${type}" of ${path}`)
          continue
        }
        let run = runs.get(runId)
        if (!run) {
          run = { projectId, runId, scalars: new Map(), series: new Map(), files: new Map() }
          runs.set(runId, run)
        }
        addRow(run, type, path, c, i)
      }
    }
  }
  return runs
}

function addRow(
  run: ExportedRun,
  type: string,
  path: string,
  c: Record<string, ArrayLike<unknown>>,
  i: number,
): void {
  switch (type) {
    case 'float': {
      const value = c.float_value![i] as number | null | undefined
      if (value !== null && value !== undefined) run.scalars.set(path, { type: 'float', value })
      return
    }
    case 'int': {
      const value = c.int_value![i] as bigint | number | null | undefined
      if (value !== null && value !== undefined)
        run.scalars.set(path, { type: 'int', value: Number(value) })
      return
    }
    case 'string': {
      const value = c.string_value![i] as string | null | undefined
      if (value !== null && value !== undefined) run.scalars.set(path, { type: 'string', value })
      return
    }
    case 'bool': {
      const value = c.bool_value![i] as boolean | null | undefined
      if (value !== null && value !== undefined) run.scalars.set(path, { type: 'bool', value })
      return
    }
    case 'datetime': {
      const value = c.datetime_value![i] as number | null | undefined
      if (typeof value === 'number') run.scalars.set(path, { type: 'datetime', value })
      return
    }
    case 'string_set': {
      const values = c.string_set_value![i] as string[] | null | undefined
      if (values)
        run.scalars.set(path, { type: 'string_set', values: values.filter((v) => v != null) })
      return
    }
    case 'file':
    case 'file_set':
    case 'artifact': {
      const file = c.file_value![i] as { path?: string | null } | null | undefined
      if (file?.path) run.files.set(path, { type, path: file.path })
      return
    }
  }
  const rawStep = c.step![i] as number | null | undefined
  if (rawStep === null || rawStep === undefined) return
  // DECIMAL(18,6) arrives as unscaled × 1e-6, which is not exact in binary: round to the
  // micro-step and divide, so 2.3 comes back as 2.3.
  const step = Math.round(rawStep * 1e6) / 1e6
  const time = c.timestamp![i] as number | null | undefined
  let value: number | string
  if (type === 'float_series') {
    const v = c.float_value![i] as number | null | undefined
    value = v === null || v === undefined ? Number.NaN : v
  } else if (type === 'string_series') {
    const v = c.string_value![i] as string | null | undefined
    if (v === null || v === undefined) return
    value = v
  } else if (type === 'histogram_series') {
    const v = c.histogram_value![i] as {
      type?: string
      edges?: number[]
      values?: number[]
    } | null
    if (!v) return
    value = JSON.stringify({ type: v.type ?? null, edges: v.edges ?? [], values: v.values ?? [] })
  } else {
    const v = c.file_value![i] as { path?: string | null } | null | undefined
    if (!v?.path) return
    value = v.path
  }
  let series = run.series.get(path)
  if (!series) {
    series = { type: type as SeriesColumns['type'], steps: [], timestamps: [], values: [] }
    run.series.set(path, series)
  }
  series.steps.push(step)
  series.timestamps.push(typeof time === 'number' ? time : null)
  series.values.push(value)
}

/**
 * Points in step order with repeated steps collapsed to their last point (steps rounded to 6
 * decimals can collide, §5.4). Returns the dropped count.
 */
export function sortSeries(series: SeriesColumns): { series: SeriesColumns; dropped: number } {
  // The exporter writes points in step order: then there is nothing to do.
  let ordered = true
  for (let i = 1; i < series.steps.length && ordered; i++)
    ordered = series.steps[i]! > series.steps[i - 1]!
  if (ordered) return { series, dropped: 0 }
  const order = series.steps
    .map((_, i) => i)
    .sort((a, b) => series.steps[a]! - series.steps[b]! || a - b)
  const out: SeriesColumns = { type: series.type, steps: [], timestamps: [], values: [] }
  let dropped = 0
  for (const i of order) {
    const step = series.steps[i]!
    const last = out.steps.length - 1
    if (last >= 0 && out.steps[last] === step) {
      out.timestamps[last] = series.timestamps[i]!
      out.values[last] = series.values[i]!
      dropped++
      continue
    }
    out.steps.push(step)
    out.timestamps.push(series.timestamps[i]!)
    out.values.push(series.values[i]!)
  }
  return { series: out, dropped }
}
