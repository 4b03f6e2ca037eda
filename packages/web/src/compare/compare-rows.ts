import type { FieldWire } from '../api/wire-types.js'

export interface CompareRow {
  path: string
  /** The field of each run, in the runs' order (undefined where a run lacks it). */
  fields: (FieldWire | undefined)[]
  /** Whether the runs differ here (a run lacking the field differs from one having it). */
  differs: boolean
}

/** What makes two values the same for comparison: the value, not when it was written. */
function comparable(field: FieldWire | undefined): string {
  if (!field) return '∅'
  const value = field.value
  switch (field.type) {
    case 'floatSeries':
      return `${field.type}:${String(value.last)}`
    case 'stringSeries':
    case 'fileSeries':
      return `${field.type}:${String(value.count)}:${JSON.stringify(value.last)}`
    case 'stringSet':
      return `${field.type}:${JSON.stringify([...((value.values as string[]) ?? [])].sort())}`
    case 'file':
      return `${field.type}:${String(value.hash)}`
    default:
      return `${field.type}:${JSON.stringify(value)}`
  }
}

/** Paths that say nothing when compared (ids and times of each run). */
const SKIPPED = new Set(['sys/id', 'sys/creation_time', 'sys/modification_time', 'sys/ping_time'])

/** The side-by-side table of runs: every path any run has, and whether the runs differ on it. */
export function compareRows(runs: readonly (readonly FieldWire[])[]): CompareRow[] {
  const byRun = runs.map((fields) => new Map(fields.map((field) => [field.path, field])))
  const paths = new Set<string>()
  for (const fields of runs)
    for (const field of fields) if (!SKIPPED.has(field.path)) paths.add(field.path)
  return [...paths].sort().map((path) => {
    const fields = byRun.map((map) => map.get(path))
    const keys = new Set(fields.map(comparable))
    return { path, fields, differs: keys.size > 1 }
  })
}
