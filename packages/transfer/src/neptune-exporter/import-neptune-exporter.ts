import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { isNereidError, suggestProjectKey, type OperationWire } from '@nereid/core'
import { unzipSync } from 'fflate'
import { describeFile } from '../content-types.js'
import type { NereidApi, ProjectWire } from '../nereid-api.js'
import { blobOf, ObjectWriter, type PendingBlob } from '../object-writer.js'
import { Progress, type ProgressSink, type TransferSummary } from '../progress.js'
import { resolveRoots, scanExport, type ExportedEntity } from './exporter-layout.js'
import {
  readExportedRuns,
  sortSeries,
  type ExportedRun,
  type ScalarValue,
  type SeriesColumns,
} from './exporter-rows.js'

export interface NeptuneExporterImportOptions {
  api: NereidApi
  /** The exporter's output folder (holding data/ and files/), or a data root. */
  dir: string
  /** Files root when it is not beside the data root. */
  filesDir?: string
  /** Target workspace for every project (the project keeps its name). */
  workspace?: string
  /** Source project id → target `workspace/project`. */
  projectMap?: Record<string, string>
  /** The exporter's error report (neptune_exporter_errors.jsonl), to list incomplete runs. */
  errorsFile?: string
  /**
   * Minutes to add to Neptune 2.x series timestamps: the 2.x client wrote them in the
   * exporting machine's local time (format §5.5). E.g. -120 for an export made in UTC+2.
   */
  seriesTimeOffsetMinutes?: number
  progress?: ProgressSink | null
}

export const EXPORTER_SYSTEM = 'neptune-exporter'
const WRITER = 'import:neptune-exporter'
const POINTS_PER_APPEND = 100_000

/** sys/ fields Nereid derives itself or has no place for, with the reason the summary gives. */
const SYS_NOT_IMPORTED: Record<string, string> = {
  'sys/size': 'Nereid computes sys/size from what it stores',
  'sys/state': 'imported objects are inactive',
  'sys/monitoring_time': 'Nereid computes sys/monitoring_time itself',
  'sys/archived': 'Nereid has no archive; archived runs are imported as ordinary runs',
  'sys/forking/depth': 'Nereid derives lineage from sys/fork/parent',
  'sys/experiment/name': 'Nereid has no experiments; the run keeps sys/name',
  'sys/visibility': 'project visibility is a project setting',
  'sys/id': '',
  'sys/custom_run_id': '',
  'sys/creation_time': '',
  'sys/modification_time': '',
  'sys/ping_time': '',
  'sys/running_time': '',
  'sys/owner': '',
  'sys/trashed': '',
  'sys/model_id': '',
  'sys/forking/parent': '',
  'sys/forking/step': '',
}
const SYS_WRITABLE = new Set([
  'sys/name',
  'sys/description',
  'sys/tags',
  'sys/group_tags',
  'sys/failed',
  'sys/hostname',
  'sys/stage',
])

/**
 * `nereid import neptune-exporter`: recreates the projects, runs, models and model versions of
 * a neptune-exporter output with every field, series point, file and file set, their sys/
 * history (creation time, owner, tags, trash) and fork links. Objects are matched by their
 * Neptune id, so running it again writes nothing twice and an interrupted run resumes.
 */
export async function importNeptuneExporter(
  options: NeptuneExporterImportOptions,
): Promise<TransferSummary> {
  const progress = new Progress('import', options.progress ?? null)
  const roots = resolveRoots(options.dir, options.filesDir)
  if (!existsSync(roots.data) && !roots.modelData)
    throw new TypeError(`${options.dir} holds no neptune-exporter data (no data/ folder or parts)`)
  const scan = scanExport(roots)
  for (const pattern of scan.incomplete)
    progress.skip(pattern, 'the run has no part_0: the exporter did not finish it (re-export it)')
  const incomplete = readErrorReport(options.errorsFile, progress)
  progress.setTotal(scan.entities.filter((e) => !e.legacy).length)

  const projects = new Map<string, ProjectWire>()
  /** (source project, source run id) → imported object id. */
  const imported = new Map<string, string>()
  const forks: {
    project: ProjectWire
    objectId: string
    label: string
    parent: string
    step: number | null
    finish: FinishTimes
    sourceProject: string
  }[] = []

  for (const entity of scan.entities) {
    const base = entity.scope === 'run' ? roots.data : (roots.modelData ?? roots.data)
    let runs: Map<string, ExportedRun>
    try {
      runs = await readExportedRuns(entity.parts, base, progress)
      progress.add({ bytes: entity.parts.reduce((sum, part) => sum + statSync(part).size, 0) })
    } catch (error) {
      if (!isNereidError(error)) throw error
      progress.skip(relative(base, entity.parts[0]!), `${error.message}; the run was not imported`)
      continue
    }
    if (entity.legacy) progress.setTotal(scan.entities.length - 1 + runs.size)
    for (const run of runs.values()) {
      const project = await targetProject(options, run, projects)
      const label = `${run.projectId} ${run.runId}`
      if (incomplete.has(`${run.projectId}\n${run.runId}`))
        progress.skip(
          label,
          'the exporter reported errors for this run: some of its data is missing in the export',
        )
      try {
        const result = await importRun(options, progress, project, entity, run, imported)
        if (result.fork) {
          forks.push({ project, label, sourceProject: run.projectId, ...result.fork })
        }
      } catch (error) {
        if (!isNereidError(error)) throw error
        progress.skip(label, `${error.code}: ${error.message}`)
      }
    }
  }

  // Forks last: a child is finished once its parent exists, whatever the order of the export.
  for (const fork of forks) {
    const parentId = imported.get(`${fork.sourceProject}\n${fork.parent}`)
    if (!parentId)
      progress.skip(
        fork.label,
        `fork parent ${fork.parent} is not in the export; the run is imported without its lineage`,
      )
    await options.api.finishImport(fork.project, fork.objectId, {
      ...fork.finish,
      ...(parentId ? { fork: { parent: parentId, step: fork.step } } : {}),
    })
  }
  return progress.finish()
}

interface FinishTimes {
  modifiedAt?: number
  pingAt?: number
  runningMs?: number
  trashedAt?: number
}

async function targetProject(
  options: NeptuneExporterImportOptions,
  run: ExportedRun,
  projects: Map<string, ProjectWire>,
): Promise<ProjectWire> {
  const known = projects.get(run.projectId)
  if (known) return known
  const mapped = options.projectMap?.[run.projectId]
  const [sourceWorkspace, sourceProject] = splitProject(run.projectId)
  const [workspace, name] = mapped
    ? splitProject(mapped)
    : [options.workspace ?? sourceWorkspace, sourceProject]
  // Neptune 2.x ids such as VIS-42 carry the project key: keeping it keeps the ids.
  const sysId = run.scalars.get('sys/id')
  const keyMatch = sysId?.type === 'string' ? /^([A-Z][A-Z0-9]{0,9})-/.exec(sysId.value) : null
  const { project } = await options.api.ensureProject(workspace, name, {
    key: keyMatch?.[1] ?? suggestProjectKey(name),
  })
  projects.set(run.projectId, project)
  return project
}

function splitProject(qualified: string): [string, string] {
  const slash = qualified.indexOf('/')
  if (slash <= 0 || slash === qualified.length - 1)
    throw new TypeError(`"${qualified}" is not a workspace/project name`)
  return [qualified.slice(0, slash), qualified.slice(slash + 1)]
}

async function importRun(
  options: NeptuneExporterImportOptions,
  progress: Progress,
  project: ProjectWire,
  entity: ExportedEntity,
  run: ExportedRun,
  imported: Map<string, string>,
): Promise<{
  fork?: { objectId: string; parent: string; step: number | null; finish: FinishTimes }
}> {
  const { api } = options
  const sys = (path: string) => run.scalars.get(path)
  const str = (path: string) => {
    const v = sys(path)
    return v?.type === 'string' ? v.value : undefined
  }
  const time = (path: string) => {
    const v = sys(path)
    return v?.type === 'datetime' ? v.value : undefined
  }
  const kind = entity.scope
  const isV2 = str('sys/id') === run.runId
  const modelSource = kind === 'modelVersion' ? str('sys/model_id') : undefined
  const modelId = modelSource ? imported.get(`${run.projectId}\n${modelSource}`) : undefined
  if (kind === 'modelVersion' && !modelId)
    throw new TypeError(
      `model ${modelSource ?? '(no sys/model_id)'} of ${run.runId} is not in the export`,
    )

  const answer = await api.importObject(project, {
    kind,
    source: { system: EXPORTER_SYSTEM, id: `${run.projectId}/${run.runId}` },
    shortId: str('sys/id') ?? run.runId,
    ...(kind === 'run' && str('sys/custom_run_id')
      ? { customRunId: str('sys/custom_run_id')! }
      : {}),
    ...(kind === 'model' ? { modelKey: modelKeyOf(run.runId) } : {}),
    ...(modelId ? { modelId } : {}),
    ...(str('sys/name') !== undefined ? { name: str('sys/name')! } : {}),
    ...(time('sys/creation_time') !== undefined ? { createdAt: time('sys/creation_time')! } : {}),
    ...(str('sys/owner') ? { owner: str('sys/owner')! } : {}),
    writer: WRITER,
  })
  const objectId = answer.object.id
  imported.set(`${run.projectId}\n${run.runId}`, objectId)

  const running = sys('sys/running_time')
  const trashed = sys('sys/trashed')
  const finish: FinishTimes = {
    ...(time('sys/modification_time') !== undefined
      ? { modifiedAt: time('sys/modification_time')! }
      : {}),
    ...(time('sys/ping_time') !== undefined ? { pingAt: time('sys/ping_time')! } : {}),
    ...(running && (running.type === 'float' || running.type === 'int')
      ? { runningMs: running.value * 1000 }
      : {}),
    ...(trashed?.type === 'bool' && trashed.value
      ? { trashedAt: time('sys/modification_time') ?? Date.now() }
      : {}),
  }
  const parent = str('sys/forking/parent')
  const forkStep = sys('sys/forking/step')
  const fork = parent
    ? {
        objectId,
        parent,
        step: forkStep?.type === 'float' || forkStep?.type === 'int' ? forkStep.value : null,
        finish,
      }
    : undefined

  if (answer.finished) {
    progress.add({ alreadyDone: 1 })
    return {}
  }
  const writer = new ObjectWriter({
    api,
    project,
    objectId,
    label: `${answer.object.shortId} (${run.projectId} ${run.runId})`,
    writer: WRITER,
    lastSeq: answer.lastSeq,
    progress,
  })
  await writeRun(writer, run, entity, isV2 ? (options.seriesTimeOffsetMinutes ?? 0) * 60_000 : 0)
  await writer.flush()
  if (!fork) await api.finishImport(project, objectId, finish)
  progress.add({ objects: 1 })
  return fork ? { fork } : {}
}

/** `PROJ-MOD` → `MOD`. */
function modelKeyOf(modelId: string): string {
  const dash = modelId.indexOf('-')
  return dash >= 0 ? modelId.slice(dash + 1) : modelId
}

/** Every field of the run, in one fixed order (sys, scalars, series, files by path). */
async function writeRun(
  writer: ObjectWriter,
  run: ExportedRun,
  entity: ExportedEntity,
  timeOffsetMs: number,
): Promise<void> {
  const paths = (map: Map<string, unknown>) => [...map.keys()].sort()
  for (const path of paths(run.scalars)) {
    const value = run.scalars.get(path)!
    if (path.startsWith('sys/') && !SYS_WRITABLE.has(path)) {
      const reason = SYS_NOT_IMPORTED[path]
      if (reason === undefined) writer.skip(path, 'a sys/ field Nereid does not have')
      else if (reason) writer.skip(path, reason)
      continue
    }
    if (path === 'sys/name') {
      if (value.type === 'string')
        await writer.add({ op: 'assignString', path, value: value.value }, { fields: 1 })
      continue
    }
    const wire = scalarOperation(path, value)
    if (typeof wire === 'string') writer.skip(path, wire)
    else await writer.add(wire, { fields: 1 })
  }
  for (const path of paths(run.series)) {
    const { series, dropped } = sortSeries(run.series.get(path)!)
    if (dropped > 0)
      writer.skip(
        path,
        `${dropped} points repeat a step (steps are rounded to 6 decimals); the last point of each step was kept`,
      )
    await writeSeries(writer, path, series, entity, run, timeOffsetMs)
  }
  for (const path of paths(run.files)) {
    const file = run.files.get(path)!
    await writeFile(writer, path, file, entity, run)
  }
}

function scalarOperation(path: string, value: ScalarValue): OperationWire | string {
  switch (value.type) {
    case 'float':
      return { op: 'assignFloat', path, value: floatWire(value.value) }
    case 'int':
      return Number.isSafeInteger(value.value)
        ? { op: 'assignInt', path, value: value.value }
        : `integer ${value.value} is outside the exact range (±2^53)`
    case 'string':
      return { op: 'assignString', path, value: value.value }
    case 'bool':
      return { op: 'assignBool', path, value: value.value }
    case 'datetime':
      return { op: 'assignDatetime', path, value: value.value }
    case 'string_set':
      return { op: 'addStrings', path, values: value.values }
  }
}

function floatWire(value: number): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'Infinity'
  if (value === -Infinity) return '-Infinity'
  return value
}

async function writeSeries(
  writer: ObjectWriter,
  path: string,
  series: SeriesColumns,
  entity: ExportedEntity,
  run: ExportedRun,
  timeOffsetMs: number,
): Promise<void> {
  const times = series.timestamps.map((t) => (t === null ? null : t + timeOffsetMs))
  if (series.type === 'file_series') {
    for (let start = 0; start < series.steps.length; start += 100) {
      const end = Math.min(start + 100, series.steps.length)
      if (writer.nextIsDone) {
        await writer.add({ op: 'appendFiles', path, values: [] })
        continue
      }
      const values: { hash: string; name: string; ext: string; contentType: string }[] = []
      const blobs: PendingBlob[] = []
      const steps: number[] = []
      const timestamps: (number | null)[] = []
      for (let i = start; i < end; i++) {
        const bytes = readExportedFile(entity, run, series.values[i] as string)
        if (!bytes) {
          writer.skip(
            `${path} step ${series.steps[i]}`,
            `file ${series.values[i]} is missing from the files root`,
          )
          continue
        }
        const blob = blobOf(bytes)
        blobs.push(blob)
        values.push({
          hash: blob.hash,
          ...describeFile(basename(normalize(series.values[i] as string)), bytes),
        })
        steps.push(series.steps[i]!)
        timestamps.push(times[i]!)
      }
      await writer.add(
        { op: 'appendFiles', path, values, steps, timestamps },
        { points: values.length, files: values.length, fields: start === 0 ? 1 : 0 },
        blobs,
      )
    }
    return
  }
  for (let start = 0; start < Math.max(series.steps.length, 1); start += POINTS_PER_APPEND) {
    const end = Math.min(start + POINTS_PER_APPEND, series.steps.length)
    const steps = series.steps.slice(start, end)
    const timestamps = times.slice(start, end)
    const counts = { points: end - start, fields: start === 0 ? 1 : 0 }
    if (series.type === 'float_series') {
      const values = (series.values.slice(start, end) as number[]).map(floatWire)
      await writer.add({ op: 'appendFloats', path, values, steps, timestamps }, counts)
    } else {
      const values = series.values.slice(start, end) as string[]
      await writer.add({ op: 'appendStrings', path, values, steps, timestamps }, counts)
      if (start === 0 && series.type === 'histogram_series')
        writer.skip(
          path,
          'histogram series are stored as a string series of JSON {type, edges, values} per step (Nereid has no histogram type)',
        )
    }
  }
}

async function writeFile(
  writer: ObjectWriter,
  path: string,
  file: { type: 'file' | 'file_set' | 'artifact'; path: string },
  entity: ExportedEntity,
  run: ExportedRun,
): Promise<void> {
  if (file.type === 'file') {
    if (!entity.filesRoot || !isFile(resolveExportedPath(entity, run, file.path))) {
      writer.skip(path, `file ${file.path} is missing from the files root`)
      return
    }
    if (writer.nextIsDone) {
      // Applied in an earlier run: only its place in the sequence matters.
      await writer.add({ op: 'deleteField', path })
      return
    }
    const bytes = readExportedFile(entity, run, file.path)!
    const blob = blobOf(bytes)
    const name = basename(normalize(file.path))
    await writer.add(
      { op: 'uploadFile', path, hash: blob.hash, ...describeFile(name, bytes) },
      { fields: 1, files: 1 },
      [blob],
    )
    return
  }
  const folder = resolveExportedPath(entity, run, file.path)
  if (file.type === 'artifact') {
    let list: unknown
    try {
      list = JSON.parse(readFileSync(folder, 'utf8'))
    } catch (error) {
      writer.skip(
        path,
        `artifact file list ${file.path} cannot be read (${(error as Error).message})`,
      )
      return
    }
    const files = (Array.isArray(list) ? list : []).map((entry: Record<string, unknown>) => ({
      filePath: String(entry.filePath ?? ''),
      fileHash: String(entry.fileHash ?? ''),
      type: String(entry.type ?? 'Local'),
      size: typeof entry.size === 'number' ? entry.size : null,
      metadata: Object.fromEntries(
        (Array.isArray(entry.metadata) ? entry.metadata : []).map(
          (m: { key: string; value: unknown }) => [m.key, String(m.value)],
        ),
      ),
    }))
    await writer.add({ op: 'trackArtifact', path, files }, { fields: 1 })
    return
  }
  // A 2.x file set is a folder holding the server's files.zip.
  const entries: { path: string; bytes: Uint8Array }[] = []
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    const names = readdirSync(folder)
    if (names.length === 1 && names[0]!.endsWith('.zip')) {
      try {
        const unzipped = unzipSync(readFileSync(join(folder, names[0]!)))
        for (const [name, bytes] of Object.entries(unzipped))
          if (!name.endsWith('/')) entries.push({ path: name, bytes })
      } catch (error) {
        writer.skip(
          path,
          `${file.path}/${names[0]} is not a readable zip (${(error as Error).message})`,
        )
        return
      }
    } else {
      for (const name of names.sort())
        entries.push({ path: name, bytes: readFileSync(join(folder, name)) })
    }
  } else {
    writer.skip(path, `file set folder ${file.path} is missing from the files root`)
    return
  }
  const blobs = entries.map((entry) => blobOf(entry.bytes))
  await writer.add(
    {
      op: 'uploadFileSet',
      path,
      reset: true,
      files: entries.map((entry, i) => ({ path: entry.path, hash: blobs[i]!.hash })),
    },
    { fields: 1, files: entries.length },
    blobs,
  )
}

function normalize(path: string): string {
  return path.replace(/\\/g, '/')
}

function resolveExportedPath(entity: ExportedEntity, _run: ExportedRun, path: string): string {
  return join(entity.filesRoot ?? '', entity.projectDir, ...normalize(path).split('/'))
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}

function readExportedFile(
  entity: ExportedEntity,
  run: ExportedRun,
  path: string,
): Uint8Array | null {
  if (!entity.filesRoot) return null
  const full = resolveExportedPath(entity, run, path)
  if (!isFile(full)) return null
  return readFileSync(full)
}

/** (project, run) pairs the exporter's error report names. */
function readErrorReport(file: string | undefined, progress: Progress): Set<string> {
  const pairs = new Set<string>()
  if (!file) return pairs
  const lines = readFileSync(file, 'utf8').split('\n')
  lines.forEach((line, index) => {
    if (!line.trim()) return
    try {
      const entry = JSON.parse(line) as { project_id?: string; run_id?: string }
      if (entry.project_id && entry.run_id) pairs.add(`${entry.project_id}\n${entry.run_id}`)
    } catch {
      progress.skip(`${file} line ${index + 1}`, 'not a JSON object; the line was ignored')
    }
  })
  return pairs
}
