import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { isNereidError, type OperationWire } from '@nereid/core'
import type { NereidApi, ProjectWire } from '../nereid-api.js'
import { ObjectWriter, type PendingBlob } from '../object-writer.js'
import { readParquet, type ParquetChunk } from '../parquet-reader.js'
import { Progress, type ProgressSink, type TransferSummary } from '../progress.js'
import { FORMAT, type ExportManifest } from './export-project.js'
import { TABLES, type TableName } from './export-tables.js'

export interface NereidImportOptions {
  api: NereidApi
  /** A folder written by `nereid export`. */
  dir: string
  /** Target `workspace/project`; the exported project's own name when absent. */
  project?: string
  progress?: ProgressSink | null
}

export const NEREID_SYSTEM = 'nereid'
const WRITER = 'import:nereid'
const POINTS_PER_APPEND = 100_000
const WRITABLE_SYS = new Set([
  'sys/name',
  'sys/description',
  'sys/tags',
  'sys/group_tags',
  'sys/failed',
  'sys/hostname',
  'sys/stage',
])

type Rows = Record<string, unknown>[]

/**
 * `nereid import nereid`: reads an export back into a server — the project and its settings,
 * every object with its ids, times and owner, every field, series point and file, saved views
 * and dashboards. Objects are matched by their exported UUID, so importing twice writes
 * nothing twice and an interrupted import resumes.
 */
export async function importNereid(options: NereidImportOptions): Promise<TransferSummary> {
  const { api, dir } = options
  const progress = new Progress('import', options.progress ?? null)
  const manifestPath = join(dir, 'manifest.json')
  if (!existsSync(manifestPath)) {
    throw new TypeError(
      existsSync(join(dir, '.nereid-export-state.json'))
        ? `${dir} holds an unfinished export; run nereid export again to finish it`
        : `${dir} is not a Nereid export (no manifest.json)`,
    )
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as ExportManifest
  if (manifest.format !== FORMAT || manifest.version > 1)
    throw new TypeError(
      `${manifestPath}: format ${manifest.format} version ${manifest.version} is not one this nereid reads`,
    )

  const [workspace, name] = (
    options.project ?? `${manifest.project.workspace}/${manifest.project.name}`
  ).split('/')
  if (!workspace || !name)
    throw new TypeError(`"${options.project}" is not a workspace/project name`)
  const { project } = await api.ensureProject(workspace, name, {
    key: manifest.project.key,
    description: manifest.project.description,
    visibility: manifest.project.visibility,
  })
  progress.setTotal(manifest.counts.objects)

  /** Exported object id → target object id; exported short id → target object id. */
  const ids = new Map<string, string>()
  const byShortId = new Map<string, string>()
  const forks: {
    objectId: string
    label: string
    parent: string
    step: number | null
    finish: Record<string, number>
  }[] = []

  for (const part of manifest.parts) {
    const tables = await readPart(dir, part.part, part.tables, progress)
    const byObject = (table: TableName) => groupBy(tables.rows[table] ?? [], 'object_id')
    const fields = byObject('fields')
    const floats = tables.points['float-series'] ?? new Map<string, Map<string, Segment[]>>()
    const strings = tables.points['string-series'] ?? new Map<string, Map<string, Segment[]>>()
    const images = byObject('file-series')
    const fileSets = byObject('file-sets')
    const artifacts = groupBy(tables.rows.artifacts ?? [], 'hash')
    for (const object of tables.rows.objects ?? []) {
      const label = `${String(object.short_id)} (${String(object.id)})`
      try {
        const fork = await importObject(
          api,
          project,
          dir,
          progress,
          object,
          {
            fields: fields.get(String(object.id)) ?? [],
            floats: floats.get(String(object.id)) ?? new Map(),
            strings: strings.get(String(object.id)) ?? new Map(),
            images: images.get(String(object.id)) ?? [],
            fileSets: fileSets.get(String(object.id)) ?? [],
            artifacts,
          },
          ids,
          byShortId,
        )
        if (fork) forks.push({ ...fork, label })
      } catch (error) {
        if (!isNereidError(error)) throw error
        progress.skip(label, `${error.code}: ${error.message}`)
      }
    }
  }
  for (const fork of forks) {
    const parent = byShortId.get(fork.parent)
    if (!parent) progress.skip(fork.label, `fork parent ${fork.parent} is not in the export`)
    await api.finishImport(project, fork.objectId, {
      ...fork.finish,
      ...(parent ? { fork: { parent, step: fork.step } } : {}),
    })
  }
  await importDocuments(api, project, dir, progress)
  return progress.finish()
}

/** The point tables, read column by column: a part holds millions of points. */
const POINT_TABLES = new Set<TableName>(['float-series', 'string-series'])

/** A run of rows of one series inside one row group. */
interface Segment {
  steps: ArrayLike<unknown>
  timestamps: ArrayLike<unknown>
  values: ArrayLike<unknown>
  start: number
  end: number
}

/** object id → path → the row runs holding its points, in file order. */
type PointIndex = Map<string, Map<string, Segment[]>>

interface PartTables {
  rows: Partial<Record<TableName, Rows>>
  points: Partial<Record<TableName, PointIndex>>
}

async function readPart(
  dir: string,
  part: number,
  counts: Partial<Record<TableName, number>>,
  progress: Progress,
): Promise<PartTables> {
  const result: PartTables = { rows: {}, points: {} }
  for (const table of Object.keys(counts) as TableName[]) {
    const file = join(dir, table, `part-${String(part).padStart(5, '0')}.parquet`)
    const label = `${table}/part-${String(part).padStart(5, '0')}.parquet`
    if (!existsSync(file)) {
      progress.skip(label, 'missing from the export: the objects of this part lack its rows')
      continue
    }
    progress.add({ bytes: statSync(file).size })
    const columns = Object.keys(TABLES[table])
    const rows: Rows = []
    const points: PointIndex = new Map()
    try {
      for await (const chunk of readParquet(file, columns, label)) {
        if (POINT_TABLES.has(table)) indexPoints(chunk, points)
        else
          for (let i = 0; i < chunk.rowCount; i++) {
            const row: Record<string, unknown> = {}
            for (const column of columns) row[column] = chunk.columns[column]![i]
            rows.push(row)
          }
      }
    } catch (error) {
      if (!isNereidError(error)) throw error
      progress.skip(label, error.message)
    }
    if (POINT_TABLES.has(table)) result.points[table] = points
    else result.rows[table] = rows
  }
  return result
}

/** Finds the runs of rows that belong to one series (an export writes each series in one run). */
function indexPoints(chunk: ParquetChunk, points: PointIndex): void {
  const objects = chunk.columns.object_id!
  const paths = chunk.columns.path!
  let start = 0
  for (let i = 1; i <= chunk.rowCount; i++) {
    if (i < chunk.rowCount && objects[i] === objects[start] && paths[i] === paths[start]) continue
    const object = String(objects[start])
    const path = String(paths[start])
    let byPath = points.get(object)
    if (!byPath) points.set(object, (byPath = new Map()))
    let segments = byPath.get(path)
    if (!segments) byPath.set(path, (segments = []))
    segments.push({
      steps: chunk.columns.step!,
      timestamps: chunk.columns.timestamp!,
      values: chunk.columns.value!,
      start,
      end: i,
    })
    start = i
  }
}

/** The points of one series in step order (sorted only when the file did not have them so). */
function seriesPoints(segments: Segment[]): {
  steps: number[]
  timestamps: (number | null)[]
  values: unknown[]
} {
  const steps: number[] = []
  const timestamps: (number | null)[] = []
  const values: unknown[] = []
  for (const segment of segments) {
    for (let i = segment.start; i < segment.end; i++) {
      steps.push(segment.steps[i] as number)
      const time = segment.timestamps[i]
      timestamps.push(typeof time === 'number' ? time : null)
      values.push(segment.values[i])
    }
  }
  let ordered = true
  for (let i = 1; i < steps.length && ordered; i++) ordered = steps[i]! > steps[i - 1]!
  if (ordered) return { steps, timestamps, values }
  const order = steps.map((_, i) => i).sort((a, b) => steps[a]! - steps[b]! || a - b)
  return {
    steps: order.map((i) => steps[i]!),
    timestamps: order.map((i) => timestamps[i]!),
    values: order.map((i) => values[i]),
  }
}

function groupBy(rows: Rows, key: string): Map<string, Rows> {
  const groups = new Map<string, Rows>()
  for (const row of rows) {
    const value = String(row[key])
    let group = groups.get(value)
    if (!group) groups.set(value, (group = []))
    group.push(row)
  }
  return groups
}

const time = (value: unknown) => (typeof value === 'number' ? value : null)

async function importObject(
  api: NereidApi,
  project: ProjectWire,
  dir: string,
  progress: Progress,
  object: Record<string, unknown>,
  data: {
    fields: Rows
    floats: Map<string, Segment[]>
    strings: Map<string, Segment[]>
    images: Rows
    fileSets: Rows
    artifacts: Map<string, Rows>
  },
  ids: Map<string, string>,
  byShortId: Map<string, string>,
): Promise<{
  objectId: string
  parent: string
  step: number | null
  finish: Record<string, number>
} | null> {
  const kind = String(object.kind)
  const sourceId = String(object.id)
  const shortId = String(object.short_id)
  const field = (path: string) => data.fields.find((f) => f.path === path)
  let objectId: string
  let lastSeq = 0
  let finished = false
  if (kind === 'project') {
    objectId = project.metadataObjectId
  } else {
    const parent = object.parent_id ? ids.get(String(object.parent_id)) : undefined
    const answer = await api.importObject(project, {
      kind: kind as 'run' | 'model' | 'modelVersion' | 'notebook',
      source: { system: NEREID_SYSTEM, id: sourceId },
      id: sourceId,
      shortId,
      ...(object.custom_run_id ? { customRunId: String(object.custom_run_id) } : {}),
      ...(kind === 'model' ? { modelKey: shortId.slice(shortId.indexOf('-') + 1) } : {}),
      ...(parent ? { modelId: parent } : {}),
      ...(typeof field('sys/name')?.string_value === 'string'
        ? { name: String(field('sys/name')!.string_value) }
        : {}),
      ...(time(object.created_at) !== null ? { createdAt: time(object.created_at)! } : {}),
      ...(object.owner ? { owner: String(object.owner) } : {}),
      writer: WRITER,
    })
    objectId = answer.object.id
    lastSeq = answer.lastSeq
    finished = answer.finished
  }
  ids.set(sourceId, objectId)
  byShortId.set(shortId, objectId)
  if (finished) {
    progress.add({ alreadyDone: 1 })
    return null
  }

  const writer = new ObjectWriter({
    api,
    project,
    objectId,
    label: shortId,
    writer: kind === 'project' ? `${WRITER}:project` : WRITER,
    lastSeq,
    progress,
  })
  const images = groupBy(data.images, 'path')
  const fileSets = groupBy(data.fileSets, 'path')
  for (const f of [...data.fields].sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1))) {
    const path = String(f.path)
    if (path.startsWith('sys/') && !WRITABLE_SYS.has(path)) continue
    if (kind === 'project' && path.startsWith('sys/')) continue
    await writeField(writer, dir, f, {
      floats: data.floats.get(path) ?? [],
      strings: data.strings.get(path) ?? [],
      images: images.get(path) ?? [],
      fileSets: fileSets.get(path) ?? [],
      artifacts: data.artifacts,
    })
  }
  await writer.flush()
  if (kind === 'project') {
    // The project object has no import record of its own: it was written by this run only if
    // the server applied some of its operations for the first time. One with no fields to
    // write is not counted at all.
    if (writer.applied > 0) progress.add({ objects: 1 })
    else if (writer.added > 0) progress.add({ alreadyDone: 1 })
    return null
  }
  progress.add({ objects: 1 })

  const finish: Record<string, number> = {}
  if (time(object.modified_at) !== null) finish.modifiedAt = time(object.modified_at)!
  if (time(object.ping_at) !== null) finish.pingAt = time(object.ping_at)!
  if (typeof object.running_ms === 'number') finish.runningMs = object.running_ms
  if (object.trashed === true) finish.trashedAt = time(object.modified_at) ?? Date.now()
  const forkParent = field('sys/fork/parent')?.string_value
  if (typeof forkParent === 'string') {
    const step = field('sys/fork/step')?.float_value
    return { objectId, parent: forkParent, step: typeof step === 'number' ? step : null, finish }
  }
  await api.finishImport(project, objectId, finish)
  return null
}

const wireFloat = (value: unknown): number | 'NaN' | 'Infinity' | '-Infinity' => {
  const n = value as number
  if (Number.isNaN(n)) return 'NaN'
  if (n === Infinity) return 'Infinity'
  if (n === -Infinity) return '-Infinity'
  return n
}

async function writeField(
  writer: ObjectWriter,
  dir: string,
  f: Record<string, unknown>,
  data: {
    floats: Segment[]
    strings: Segment[]
    images: Rows
    fileSets: Rows
    artifacts: Map<string, Rows>
  },
): Promise<void> {
  const path = String(f.path)
  const json = (jsonOf(f.json_value) ?? {}) as Record<string, unknown>
  const add = (wire: OperationWire, points = 0, blobs: PendingBlob[] = [], files = 0) =>
    writer.add(wire, { fields: 1, points, files }, blobs)
  switch (f.type) {
    case 'float':
      return add({ op: 'assignFloat', path, value: wireFloat(f.float_value) })
    case 'int':
      return add({ op: 'assignInt', path, value: Number(f.int_value) })
    case 'bool':
      return add({ op: 'assignBool', path, value: Boolean(f.bool_value) })
    case 'string':
      return add({ op: 'assignString', path, value: String(f.string_value ?? '') })
    case 'datetime':
      return add({ op: 'assignDatetime', path, value: time(f.datetime_value) ?? 0 })
    case 'stringSet': {
      const values = (jsonOf(f.json_value) as string[] | null) ?? []
      await add({ op: 'clearStringSet', path })
      if (values.length > 0) await writer.add({ op: 'addStrings', path, values })
      return
    }
    case 'floatSeries':
    case 'stringSeries': {
      const isFloat = f.type === 'floatSeries'
      const points = seriesPoints(isFloat ? data.floats : data.strings)
      await add({ op: 'clearSeries', path, seriesType: f.type })
      const config = (json.config ?? null) as {
        min: number | null
        max: number | null
        unit: string | null
      } | null
      if (config && (config.min !== null || config.max !== null || config.unit !== null))
        await writer.add({
          op: 'configFloatSeries',
          path,
          min: config.min,
          max: config.max,
          unit: config.unit,
        })
      const total = points.steps.length
      for (let start = 0; start < total; start += POINTS_PER_APPEND) {
        const end = Math.min(start + POINTS_PER_APPEND, total)
        if (writer.nextIsDone) {
          // Applied in an earlier run: only its place in the sequence matters.
          await writer.add({ op: 'appendFloats', path, values: [] })
          continue
        }
        const steps = points.steps.slice(start, end)
        const timestamps = points.timestamps.slice(start, end)
        const values = points.values.slice(start, end)
        await writer.add(
          isFloat
            ? {
                op: 'appendFloats',
                path,
                steps,
                timestamps,
                values: values.map(wireFloat),
              }
            : { op: 'appendStrings', path, steps, timestamps, values: values.map(String) },
          { points: end - start },
        )
      }
      return
    }
    case 'fileSeries': {
      const rows = data.images.sort((a, b) => (a.step as number) - (b.step as number))
      await add({ op: 'clearSeries', path, seriesType: 'fileSeries' })
      for (let start = 0; start < rows.length; start += 100) {
        const chunk = rows.slice(start, start + 100)
        const blobs = writer.nextIsDone ? [] : chunk.map((r) => readBlob(dir, String(r.hash)))
        await writer.add(
          {
            op: 'appendFiles',
            path,
            steps: chunk.map((r) => r.step as number),
            timestamps: chunk.map((r) => time(r.timestamp)),
            values: chunk.map((r) => ({
              hash: String(r.hash),
              name: String(r.name ?? ''),
              ext: String(r.ext ?? ''),
              contentType: String(r.content_type ?? ''),
            })),
          },
          { points: chunk.length, files: chunk.length },
          blobs.filter((b): b is PendingBlob => b !== null),
        )
      }
      return
    }
    case 'file': {
      const hash = String(json.hash)
      const blob = writer.nextIsDone ? null : readBlob(dir, hash)
      return add(
        {
          op: 'uploadFile',
          path,
          hash,
          name: String(json.name ?? ''),
          ext: String(json.ext ?? ''),
          contentType: String(json.contentType ?? ''),
        },
        0,
        blob ? [blob] : [],
        1,
      )
    }
    case 'fileSet': {
      const entries = data.fileSets
      const blobs = writer.nextIsDone ? [] : entries.map((e) => readBlob(dir, String(e.hash)))
      return add(
        {
          op: 'uploadFileSet',
          path,
          reset: true,
          files: entries.map((e) => ({
            path: String(e.file_path),
            hash: String(e.hash),
            ...(time(e.mtime) !== null ? { mtime: time(e.mtime)! } : {}),
          })),
        },
        0,
        blobs.filter((b): b is PendingBlob => b !== null),
        entries.length,
      )
    }
    case 'artifact': {
      const files = data.artifacts.get(String(json.hash)) ?? []
      return add({
        op: 'trackArtifact',
        path,
        files: files.map((file) => ({
          filePath: String(file.file_path),
          fileHash: String(file.file_hash),
          type: String(file.type),
          size: file.size === null || file.size === undefined ? null : Number(file.size),
          metadata: (jsonOf(file.metadata) ?? {}) as Record<string, string>,
        })),
      })
    }
    case 'gitRef':
      return add({ op: 'assignGitRef', path, ...(json as { commitId: string }) })
    case 'notebookRef':
      return add({ op: 'assignNotebookRef', path, ...(json as { notebookId: string }) })
    default:
      writer.skip(path, `field type ${String(f.type)} is not imported`)
  }
}

/** JSON columns come back parsed or as text, depending on how the page was encoded. */
function jsonOf(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null
  try {
    return JSON.parse(value)
  } catch {
    return null
  }
}

/** A file of the export's files folder, or null (the operation then fails and is reported). */
function readBlob(dir: string, hash: string): PendingBlob | null {
  const path = join(dir, 'files', hash.slice(0, 2), hash)
  return existsSync(path) ? { hash, bytes: readFileSync(path) } : null
}

async function importDocuments(
  api: NereidApi,
  project: ProjectWire,
  dir: string,
  progress: Progress,
) {
  const read = (file: string, key: string): Record<string, unknown>[] => {
    const path = join(dir, file)
    if (!existsSync(path)) return []
    return (
      (JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>[]>)[key] ??
      []
    )
  }
  for (const view of read('views.json', 'views')) {
    try {
      await api.putView(project, String(view.id), { name: String(view.name), state: view.state })
      if (view.isDefault === true) await api.setDefaultView(project, String(view.id))
    } catch (error) {
      if (!isNereidError(error)) throw error
      progress.skip(`saved view ${String(view.name)}`, `${error.code}: ${error.message}`)
    }
  }
  for (const dashboard of read('dashboards.json', 'dashboards')) {
    try {
      await api.putDashboard(project, String(dashboard.id), {
        name: String(dashboard.name),
        widgets: (dashboard.widgets as unknown[]) ?? [],
      })
    } catch (error) {
      if (!isNereidError(error)) throw error
      progress.skip(`dashboard ${String(dashboard.name)}`, `${error.code}: ${error.message}`)
    }
  }
}
