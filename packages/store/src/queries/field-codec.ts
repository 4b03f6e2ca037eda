import type {
  Field,
  FieldType,
  FieldValue,
  FileInfo,
  FloatSeriesSummary,
  ObjectRecord,
  Project,
} from '@nereid/core'

/**
 * How a field is kept in its `fields` row: `num` and `str` carry what tables sort and filter
 * on, `data` (JSON) the rest. Series keep their summary in the `series` row.
 */
export interface FieldRow {
  path: string
  type: string
  num: number | null
  str: string | null
  data: string | null
}

export interface SeriesSummaryRow {
  count: number
  finite_count: number
  last_step: number | null
  last_ts: number | null
  min: number | null
  max: number | null
  sum: number
  sum_sq: number
  last_value: string | null
  config: string | null
}

const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
}

export function floatColumns(value: number): { num: number | null; str: string | null } {
  return Number.isFinite(value) ? { num: value, str: null } : { num: null, str: String(value) }
}

/** `path` is given when the row was read without it (the caller knows its path id). */
export function decodeField(
  row: Omit<FieldRow, 'path'> & { path?: string },
  series: SeriesSummaryRow | null,
  path: string = row.path!,
): Field {
  const type = row.type as FieldType
  return { path, type, value: decodeValue(type, row, series) }
}

function decodeValue(
  type: FieldType,
  row: Omit<FieldRow, 'path'>,
  series: SeriesSummaryRow | null,
): FieldValue {
  switch (type) {
    case 'float':
      return { type, value: row.num ?? NON_FINITE[row.str ?? 'NaN'] ?? Number.NaN }
    case 'int':
    case 'datetime':
      return { type, value: Number(row.num) }
    case 'bool':
      return { type, value: Number(row.num) === 1 }
    case 'string':
      return { type, value: row.str ?? '' }
    case 'stringSet':
      return { type, values: row.data === null ? [] : (JSON.parse(row.data) as string[]) }
    case 'floatSeries':
      return { type, ...floatSummary(series) }
    case 'stringSeries':
      return {
        type,
        count: Number(series?.count ?? 0),
        lastStep: series?.last_step ?? null,
        lastTimestamp: series?.last_ts ?? null,
        last: series?.last_value ?? null,
      }
    case 'fileSeries':
      return {
        type,
        count: Number(series?.count ?? 0),
        lastStep: series?.last_step ?? null,
        lastTimestamp: series?.last_ts ?? null,
        last: series?.last_value ? (JSON.parse(series.last_value) as FileInfo) : null,
      }
    case 'file':
      return { type, ...(JSON.parse(row.data ?? '{}') as FileInfo) }
    case 'fileSet': {
      const data = JSON.parse(row.data ?? '{}') as { fileCount?: number }
      return { type, size: Number(row.num ?? 0), fileCount: data.fileCount ?? 0 }
    }
    case 'artifact': {
      const data = JSON.parse(row.data ?? '{}') as { size?: number | null; fileCount?: number }
      return { type, hash: row.str ?? '', size: data.size ?? null, fileCount: data.fileCount ?? 0 }
    }
    case 'gitRef':
      return { type, ...(JSON.parse(row.data ?? '{}') as { commitId: string }) }
    case 'notebookRef':
      return { type, ...(JSON.parse(row.data ?? '{}') as { notebookId: string }) }
    case 'runState':
      return { type, value: row.str === 'active' ? 'active' : 'inactive' }
  }
}

function floatSummary(series: SeriesSummaryRow | null): FloatSeriesSummary {
  const count = Number(series?.count ?? 0)
  const finite = Number(series?.finite_count ?? 0)
  const mean = finite > 0 ? Number(series?.sum) / finite : null
  const variance =
    finite > 0 && mean !== null ? Math.max(0, Number(series?.sum_sq) / finite - mean * mean) : null
  const config = series?.config
    ? (JSON.parse(series.config) as FloatSeriesSummary['config'])
    : { min: null, max: null, unit: null }
  return {
    count,
    lastStep: series?.last_step ?? null,
    lastTimestamp: series?.last_ts ?? null,
    last:
      series?.last_value === null || series?.last_value === undefined
        ? null
        : Number(series.last_value),
    min: finite > 0 ? (series?.min ?? null) : null,
    max: finite > 0 ? (series?.max ?? null) : null,
    mean,
    variance,
    config,
  }
}

/**
 * The sys/ fields kept as columns of the object row rather than as field rows: they change on
 * every write or ping, and keeping them there costs no extra row writes.
 */
export function virtualSysFields(
  object: ObjectRecord,
  project: Pick<Project, 'visibility'>,
): Field[] {
  const fields: Field[] = [
    { path: 'sys/id', type: 'string', value: { type: 'string', value: object.shortId } },
    {
      path: 'sys/creation_time',
      type: 'datetime',
      value: { type: 'datetime', value: object.createdAt },
    },
    {
      path: 'sys/modification_time',
      type: 'datetime',
      value: { type: 'datetime', value: object.modifiedAt },
    },
    {
      path: 'sys/ping_time',
      type: 'datetime',
      value: { type: 'datetime', value: object.pingAt ?? object.createdAt },
    },
    { path: 'sys/state', type: 'runState', value: { type: 'runState', value: object.state } },
    { path: 'sys/size', type: 'float', value: { type: 'float', value: object.sizeBytes } },
    {
      path: 'sys/running_time',
      type: 'float',
      value: { type: 'float', value: runningSeconds(object) },
    },
    {
      path: 'sys/monitoring_time',
      type: 'int',
      value: { type: 'int', value: Math.floor(runningSeconds(object)) },
    },
  ]
  if (object.kind !== 'project') {
    fields.push(
      { path: 'sys/owner', type: 'string', value: { type: 'string', value: object.owner } },
      {
        path: 'sys/trashed',
        type: 'bool',
        value: { type: 'bool', value: object.trashedAt !== null },
      },
    )
  } else {
    fields.push({
      path: 'sys/visibility',
      type: 'string',
      value: { type: 'string', value: project.visibility },
    })
  }
  if (object.customRunId !== null) {
    fields.push({
      path: 'sys/custom_run_id',
      type: 'string',
      value: { type: 'string', value: object.customRunId },
    })
  }
  return fields
}

/** How many virtual sys fields an object has (they count towards the field limit). */
export function virtualFieldCount(object: { kind: string; custom_run_id: string | null }): number {
  return 8 + (object.kind === 'project' ? 1 : 2) + (object.custom_run_id === null ? 0 : 1)
}

export const VIRTUAL_SYS_PATHS: ReadonlySet<string> = new Set([
  'sys/id',
  'sys/creation_time',
  'sys/modification_time',
  'sys/ping_time',
  'sys/state',
  'sys/size',
  'sys/running_time',
  'sys/monitoring_time',
  'sys/owner',
  'sys/trashed',
  'sys/visibility',
  'sys/custom_run_id',
])

function runningSeconds(object: ObjectRecord): number {
  return object.runningMs / 1000
}
