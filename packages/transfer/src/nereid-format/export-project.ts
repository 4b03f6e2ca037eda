import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import type {
  FieldWire,
  NereidApi,
  ObjectWire,
  ProjectWire,
  SeriesPageWire,
} from '../nereid-api.js'
import { Progress, type ProgressSink, type TransferSummary } from '../progress.js'
import { TableWriter, type TableName } from './export-tables.js'

export interface ExportOptions {
  api: NereidApi
  /** `workspace/project` to export. */
  project: string
  /** Target folder (created when missing). */
  dir: string
  progress?: ProgressSink | null
  /** Objects per part (default 100); a part also closes after `partPoints` series points. */
  partObjects?: number
  partPoints?: number
}

export const FORMAT = 'nereid-export'
export const FORMAT_VERSION = 1
const STATE_FILE = '.nereid-export-state.json'
const PAGE = 100_000
const KIND_ORDER: Record<string, number> = {
  project: 0,
  model: 1,
  modelVersion: 2,
  run: 3,
  notebook: 4,
}

export interface ExportManifest {
  format: typeof FORMAT
  version: number
  exportedAt: string
  server: string
  complete: boolean
  project: {
    workspace: string
    name: string
    key: string
    description: string
    visibility: string
    storageLimitBytes: number | null
    createdAt: string
    /** UUID of the project's own metadata object (its row in objects has kind `project`). */
    metadataObjectId: string
  }
  /** Parts in order; each holds every table row of its objects. */
  parts: { part: number; objects: string[]; tables: Partial<Record<TableName, number>> }[]
  counts: { objects: number; fields: number; points: number; files: number }
}

/**
 * `nereid export`: writes a project to the open format of docs/export-format.md. Objects are
 * written in parts; a part's files appear only when it is complete and the state file records
 * it, so an interrupted export resumes with the next part and a finished one is not redone.
 */
export async function exportProject(options: ExportOptions): Promise<TransferSummary> {
  const { api, dir } = options
  const progress = new Progress('export', options.progress ?? null)
  const [workspace, name] = options.project.split('/')
  if (!workspace || !name)
    throw new TypeError(`"${options.project}" is not a workspace/project name`)
  const project = await api.getProject(workspace, name)
  if (!project) throw new TypeError(`project ${options.project} not found on ${api.url}`)
  mkdirSync(join(dir, 'files'), { recursive: true })

  const statePath = join(dir, STATE_FILE)
  const manifestPath = join(dir, 'manifest.json')
  let manifest: ExportManifest = existsSync(statePath)
    ? (JSON.parse(readFileSync(statePath, 'utf8')) as ExportManifest)
    : newManifest(api, project)
  if (existsSync(manifestPath) && !existsSync(statePath)) {
    const done = JSON.parse(readFileSync(manifestPath, 'utf8')) as ExportManifest
    if (done.complete) {
      progress.add({ alreadyDone: done.counts.objects })
      progress.skip(
        dir,
        'holds a complete export already; export into an empty folder for a new one',
      )
      return progress.finish()
    }
  }
  if (manifest.project.metadataObjectId !== project.metadataObjectId)
    throw new TypeError(`${dir} holds an export of another project; use an empty folder`)

  const exported = new Set(manifest.parts.flatMap((part) => part.objects))
  const listed = await api.listObjects(project)
  const projectObject: ObjectWire = {
    id: project.metadataObjectId,
    shortId: project.key,
    kind: 'project',
    customRunId: null,
    parentId: null,
    createdAt: project.createdAt,
    modifiedAt: project.createdAt,
    state: 'inactive',
    trashed: false,
    owner: '',
    sizeBytes: 0,
  }
  const objects = [projectObject, ...listed].sort(
    (a, b) =>
      KIND_ORDER[a.kind]! - KIND_ORDER[b.kind]! ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  )
  progress.setTotal(objects.length)
  progress.add({ alreadyDone: objects.filter((o) => exported.has(o.id)).length })
  const remaining = objects.filter((o) => !exported.has(o.id))

  const partObjects = options.partObjects ?? 100
  const partPoints = options.partPoints ?? 5_000_000
  const artifactsDone = new Set<string>()
  while (remaining.length > 0) {
    const partNo = manifest.parts.length
    const part = new PartWriter(dir, partNo)
    const members: string[] = []
    while (remaining.length > 0 && members.length < partObjects && part.points < partPoints) {
      const object = remaining.shift()!
      await exportObject(api, project, object, part, dir, progress, artifactsDone)
      members.push(object.id)
      progress.add({ objects: 1 })
    }
    const tables = part.finish(progress)
    manifest.parts.push({ part: partNo, objects: members, tables })
    manifest.counts.objects += members.length
    manifest.counts.fields += tables.fields ?? 0
    manifest.counts.points +=
      (tables['float-series'] ?? 0) + (tables['string-series'] ?? 0) + (tables['file-series'] ?? 0)
    writeJson(statePath, manifest)
  }

  const views = await api.views(project)
  if (views === null) progress.skip('views', 'the server has no saved views API; none exported')
  writeJson(join(dir, 'views.json'), { views: views ?? [] })
  const dashboards = await api.dashboards(project)
  if (dashboards === null)
    progress.skip('dashboards', 'the server has no dashboards API; none exported')
  writeJson(join(dir, 'dashboards.json'), { dashboards: dashboards ?? [] })

  manifest = {
    ...manifest,
    complete: true,
    exportedAt: new Date().toISOString(),
    counts: { ...manifest.counts, files: countFiles(join(dir, 'files')) },
  }
  writeJson(manifestPath, manifest)
  // The manifest is the completion mark; the state file is only needed while unfinished.
  renameSync(statePath, join(dir, `${STATE_FILE}.done`))
  return progress.finish()
}

function newManifest(api: NereidApi, project: ProjectWire): ExportManifest {
  return {
    format: FORMAT,
    version: FORMAT_VERSION,
    exportedAt: new Date().toISOString(),
    server: api.url,
    complete: false,
    project: {
      workspace: project.workspace,
      name: project.name,
      key: project.key,
      description: project.description,
      visibility: project.visibility,
      storageLimitBytes: project.storageLimitBytes,
      createdAt: project.createdAt,
      metadataObjectId: project.metadataObjectId,
    },
    parts: [],
    counts: { objects: 0, fields: 0, points: 0, files: 0 },
  }
}

function countFiles(folder: string): number {
  let count = 0
  for (const sub of readdirSync(folder, { withFileTypes: true }))
    if (sub.isDirectory())
      count += readdirSync(join(folder, sub.name)).filter((name) => !name.endsWith('.tmp')).length
  return count
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}

/** The table writers of one part, opened on first use. */
class PartWriter {
  readonly #dir: string
  readonly #part: number
  readonly #writers = new Map<TableName, TableWriter<TableName>>()
  points = 0

  constructor(dir: string, part: number) {
    this.#dir = dir
    this.#part = part
  }

  table<T extends TableName>(name: T): TableWriter<T> {
    let writer = this.#writers.get(name)
    if (!writer) {
      mkdirSync(join(this.#dir, name), { recursive: true })
      writer = new TableWriter(
        name,
        join(this.#dir, name, `part-${String(this.#part).padStart(5, '0')}.parquet`),
      )
      this.#writers.set(name, writer)
    }
    return writer as unknown as TableWriter<T>
  }

  finish(progress: Progress): Partial<Record<TableName, number>> {
    const tables: Partial<Record<TableName, number>> = {}
    for (const [name, writer] of this.#writers) {
      progress.add({ bytes: writer.finish() })
      tables[name] = writer.total
    }
    return tables
  }
}

const ms = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) : null)

async function exportObject(
  api: NereidApi,
  project: ProjectWire,
  object: ObjectWire,
  part: PartWriter,
  dir: string,
  progress: Progress,
  artifactsDone: Set<string>,
): Promise<void> {
  const fields = await api.fields(project, object.id)
  const sysValue = (path: string) => fields.find((f) => f.path === path)?.value.value
  part.table('objects').add({
    id: object.id,
    short_id: object.shortId,
    kind: object.kind,
    custom_run_id: object.customRunId,
    parent_id: object.parentId,
    created_at: ms(object.createdAt),
    modified_at: ms(object.modifiedAt),
    ping_at: ms(sysValue('sys/ping_time')),
    running_ms:
      typeof sysValue('sys/running_time') === 'number'
        ? (sysValue('sys/running_time') as number) * 1000
        : 0,
    owner: object.owner,
    trashed: object.trashed,
  })
  const pages = new SeriesPages(api, project, object.id)
  const series = fields.filter((f) => SERIES_TYPES.has(f.type)).map((f) => f.path)
  for (const field of fields) {
    // The server reads the next series while this one is written to Parquet.
    const next = series[series.indexOf(field.path) + 1]
    if (SERIES_TYPES.has(field.type) && next !== undefined) pages.prefetch(next, 0)
    await exportField(api, project, object, field, part, dir, progress, artifactsDone, pages)
  }
}

const SERIES_TYPES = new Set(['floatSeries', 'stringSeries', 'fileSeries'])

/** Series pages of one object, each requested at most once and possibly ahead of its use. */
class SeriesPages {
  readonly #api: NereidApi
  readonly #project: ProjectWire
  readonly #objectId: string
  readonly #pending = new Map<string, Promise<SeriesPageWire>>()

  constructor(api: NereidApi, project: ProjectWire, objectId: string) {
    this.#api = api
    this.#project = project
    this.#objectId = objectId
  }

  prefetch(path: string, offset: number): void {
    const key = `${offset}\n${path}`
    if (this.#pending.has(key)) return
    const page = this.#api.seriesPage(this.#project, this.#objectId, path, offset, PAGE)
    // A failure surfaces when the page is taken; until then it is not unhandled.
    page.catch(() => {})
    this.#pending.set(key, page)
  }

  take(path: string, offset: number): Promise<SeriesPageWire> {
    this.prefetch(path, offset)
    const key = `${offset}\n${path}`
    const page = this.#pending.get(key)!
    this.#pending.delete(key)
    return page
  }
}

async function exportField(
  api: NereidApi,
  project: ProjectWire,
  object: ObjectWire,
  field: FieldWire,
  part: PartWriter,
  dir: string,
  progress: Progress,
  artifactsDone: Set<string>,
  pages: SeriesPages,
): Promise<void> {
  const v = field.value
  const row = {
    object_id: object.id,
    path: field.path,
    type: field.type,
    float_value: null as unknown,
    int_value: null as unknown,
    bool_value: null as unknown,
    string_value: null as unknown,
    datetime_value: null as unknown,
    json_value: null as unknown,
  }
  switch (field.type) {
    case 'float':
      row.float_value = floatOf(v.value)
      break
    case 'int':
      row.int_value = v.value
      break
    case 'bool':
      row.bool_value = v.value
      break
    case 'string':
      row.string_value = v.value
      break
    case 'datetime':
      row.datetime_value = ms(v.value)
      break
    case 'runState':
      row.string_value = v.value
      break
    case 'stringSet':
      row.json_value = v.values
      break
    case 'floatSeries':
      row.json_value = { config: v.config ?? null }
      await exportSeries(api, project, object, field, part, dir, progress, pages)
      break
    case 'stringSeries':
    case 'fileSeries':
      row.json_value = {}
      await exportSeries(api, project, object, field, part, dir, progress, pages)
      break
    case 'file': {
      const { hash, size, name, ext, contentType } = v as Record<string, unknown>
      row.json_value = { hash, size, name, ext, contentType }
      await saveBlob(dir, String(hash), progress, () =>
        api.download(project, object.id, { path: field.path }),
      )
      break
    }
    case 'fileSet': {
      row.json_value = { size: v.size, fileCount: v.fileCount }
      for (const entry of await api.fileSet(project, object.id, field.path)) {
        part.table('file-sets').add({
          object_id: object.id,
          path: field.path,
          file_path: entry.path,
          hash: entry.hash,
          size: entry.size,
          mtime: ms(entry.mtime),
        })
        await saveBlob(dir, entry.hash, progress, () =>
          api.download(project, object.id, { path: field.path, file: entry.path }),
        )
      }
      break
    }
    case 'artifact': {
      const hash = String(v.hash)
      row.json_value = { hash, size: v.size ?? null, fileCount: v.fileCount ?? null }
      if (!artifactsDone.has(hash)) {
        artifactsDone.add(hash)
        const artifact = await api.artifact(project, hash)
        for (const file of artifact.files)
          part.table('artifacts').add({
            hash,
            file_path: file.filePath,
            file_hash: file.fileHash,
            type: file.type,
            size: file.size,
            metadata: file.metadata,
          })
      }
      break
    }
    default:
      row.json_value = v
  }
  part.table('fields').add(row)
  progress.add({ fields: 1 })
}

function floatOf(value: unknown): number {
  if (value === 'NaN') return Number.NaN
  if (value === 'Infinity') return Infinity
  if (value === '-Infinity') return -Infinity
  return value as number
}

async function exportSeries(
  api: NereidApi,
  project: ProjectWire,
  object: ObjectWire,
  field: FieldWire,
  part: PartWriter,
  dir: string,
  progress: Progress,
  pages: SeriesPages,
): Promise<void> {
  let index = 0
  for (let offset = 0; ; offset += PAGE) {
    const page = await pages.take(field.path, offset)
    const n = page.steps.length
    if (n === PAGE) pages.prefetch(field.path, offset + PAGE)
    const constants = { object_id: object.id, path: field.path }
    if (field.type === 'floatSeries') {
      const values = new Float64Array(n)
      for (let i = 0; i < n; i++) values[i] = floatOf(page.values[i])
      part
        .table('float-series')
        .addColumns(n, { step: page.steps, timestamp: page.timestamps, value: values }, constants)
    } else if (field.type === 'stringSeries') {
      part
        .table('string-series')
        .addColumns(
          n,
          { step: page.steps, timestamp: page.timestamps, value: page.values },
          constants,
        )
    } else {
      for (let i = 0; i < n; i++) {
        const file = page.values[i] as {
          hash: string
          size: number
          name: string
          ext: string
          contentType: string
        }
        part.table('file-series').add({
          object_id: object.id,
          path: field.path,
          step: page.steps[i],
          timestamp: page.timestamps[i],
          hash: file.hash,
          name: file.name,
          ext: file.ext,
          content_type: file.contentType,
          size: file.size,
        })
        const at = index + i
        await saveBlob(dir, file.hash, progress, () =>
          api.download(project, object.id, { path: field.path, index: at }),
        )
      }
    }
    index += n
    part.points += n
    progress.add({ points: n })
    if (n < PAGE) return
  }
}

/** Saves a file under files/<first two hex>/<sha256> once, checking its hash. */
async function saveBlob(
  dir: string,
  hash: string,
  progress: Progress,
  download: () => Promise<Uint8Array>,
): Promise<void> {
  const folder = join(dir, 'files', hash.slice(0, 2))
  const path = join(folder, hash)
  if (existsSync(path)) return
  const bytes = await download()
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== hash) {
    progress.skip(
      `files/${hash}`,
      `the server sent bytes whose sha256 is ${actual}; the file was not saved`,
    )
    return
  }
  mkdirSync(folder, { recursive: true })
  writeFileSync(`${path}.tmp`, bytes)
  renameSync(`${path}.tmp`, path)
  progress.add({ files: 1, bytes: bytes.byteLength })
}
