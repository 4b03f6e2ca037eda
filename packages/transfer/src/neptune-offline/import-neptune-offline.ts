import { createReadStream, statSync } from 'node:fs'
import { basename, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { isNereidError } from '@nereid/core'
import type { NereidApi, ProjectWire } from '../nereid-api.js'
import { ObjectWriter } from '../object-writer.js'
import { Progress, type ProgressSink, type TransferSummary } from '../progress.js'
import { translateOperation, type QueuedOperation, type Translation } from './neptune-operations.js'
import { findQueueFolders, type QueueFolder } from './queue-folders.js'

export interface NeptuneOfflineImportOptions {
  api: NereidApi
  /** A `.neptune` folder, one of its mode folders, or one container folder. */
  dir: string
  /** `workspace/project` the runs go to. */
  project: string
  progress?: ProgressSink | null
}

export const OFFLINE_SYSTEM = 'neptune-offline'
const MAX_MERGED_POINTS = 100_000

/**
 * `nereid import neptune-offline`: replays the operation queues the `neptune` 1.x client left
 * in `.neptune/` into the right runs, with the files they reference. A run already on the
 * server is matched by its UUID (or custom run id) and gets only what its queue holds beyond
 * what the server acknowledged; an offline run becomes a new run once. Each queue folder is a
 * writer of its own, so replaying twice writes nothing twice.
 */
export async function importNeptuneOffline(
  options: NeptuneOfflineImportOptions,
): Promise<TransferSummary> {
  const progress = new Progress('import', options.progress ?? null)
  const folders = findQueueFolders(options.dir)
  if (folders.length === 0)
    throw new TypeError(`${options.dir} holds no neptune queue folders (offline/, async/ or sync/)`)
  const [workspace, name] = options.project.split('/')
  if (!workspace || !name)
    throw new TypeError(`"${options.project}" is not a workspace/project name`)
  const project =
    (await options.api.getProject(workspace, name)) ??
    (await options.api.ensureProject(workspace, name, {})).project
  progress.setTotal(folders.length)
  for (const folder of folders) {
    const label = relative(options.dir, folder.dir) || basename(folder.dir)
    try {
      await importFolder(options.api, project, folder, label, progress)
    } catch (error) {
      if (!isNereidError(error)) throw error
      progress.skip(label, `${error.code}: ${error.message}`)
    }
  }
  return progress.finish()
}

async function importFolder(
  api: NereidApi,
  project: ProjectWire,
  folder: QueueFolder,
  label: string,
  progress: Progress,
): Promise<void> {
  const writerName = `import:neptune:${basename(folder.dir)}`.slice(0, 128)
  let objectId: string
  let lastSeq: number
  let isImportedRun = false
  if (folder.containerType === 'run') {
    const answer = await api.importObject(project, {
      kind: 'run',
      // One source per queue folder: several processes may have queued for the same run.
      source: { system: OFFLINE_SYSTEM, id: `${folder.containerId}/${basename(folder.dir)}` },
      id: folder.containerId,
      ...(folder.createdAt !== null && folder.mode === 'offline'
        ? { createdAt: folder.createdAt }
        : {}),
      writer: writerName,
    })
    if (answer.finished) {
      progress.add({ alreadyDone: 1 })
      return
    }
    objectId = answer.object.id
    lastSeq = answer.lastSeq
    isImportedRun = answer.created
  } else {
    // Models, versions and projects cannot be created from a queue (the queue lacks their
    // keys); their leftovers go into the object when the server has it.
    const existing = await api.getObject(project, folder.containerId)
    if (!existing) {
      progress.skip(
        label,
        `the ${folder.containerType} ${folder.containerId} is not in ${project.workspace}/${project.name}; only runs can be created from a queue`,
      )
      return
    }
    objectId = existing.id
    // The server drops operations it applied for this writer before; they are sent again.
    lastSeq = 0
  }

  const writer = new ObjectWriter({
    api,
    project,
    objectId,
    label,
    writer: writerName,
    lastSeq,
    progress,
  })
  let pending: Extract<Translation, { wire: unknown }> | null = null
  let lastAt: number | null = null
  const flushPending = async () => {
    if (pending) await writer.add(pending.wire, pending.counts, pending.blobs)
    pending = null
  }
  for (const log of folder.logs) {
    progress.add({ bytes: statSync(log).size })
    const lines = createInterface({ input: createReadStream(log, 'utf8'), crlfDelay: Infinity })
    let lineNo = 0
    for await (const line of lines) {
      lineNo++
      if (!line.trim()) continue
      let entry: { obj?: QueuedOperation; version?: number; at?: number }
      try {
        entry = JSON.parse(pythonJson(line)) as typeof entry
      } catch {
        progress.skip(
          `${relative(folder.dir, log) || log} line ${lineNo}`,
          'not a complete JSON line (the queue file may be truncated); the operation was not replayed',
        )
        continue
      }
      if (!entry.obj || !Array.isArray(entry.obj.path)) {
        progress.skip(`${basename(log)} line ${lineNo}`, 'not a queued operation')
        continue
      }
      if (typeof entry.version === 'number' && entry.version <= folder.lastAckVersion) continue
      if (typeof entry.at === 'number') lastAt = Math.round(entry.at * 1000)
      const translated = translateOperation(entry.obj, folder.dir)
      if ('skip' in translated) {
        writer.skip(entry.obj.path.join('/'), translated.skip)
        continue
      }
      if (pending && canMerge(pending, translated)) {
        merge(pending, translated)
        continue
      }
      await flushPending()
      pending = translated
    }
  }
  await flushPending()
  await writer.flush()
  if (folder.containerType === 'run')
    await api.finishImport(
      project,
      objectId,
      isImportedRun && lastAt !== null ? { modifiedAt: lastAt } : {},
    )
  progress.add({ objects: 1 })
}

type Wired = Extract<Translation, { wire: unknown }>

/** Consecutive appends to one series become one operation (offline queues hold one per call). */
function canMerge(a: Wired, b: Wired): boolean {
  return (
    a.wire.path === b.wire.path &&
    a.wire.op === b.wire.op &&
    (a.wire.op === 'appendFloats' || a.wire.op === 'appendStrings') &&
    (a.counts.points ?? 0) + (b.counts.points ?? 0) <= MAX_MERGED_POINTS
  )
}

function merge(into: Wired, from: Wired): void {
  const a = into.wire as { values: unknown[]; steps: unknown[]; timestamps: unknown[] }
  const b = from.wire as { values: unknown[]; steps: unknown[]; timestamps: unknown[] }
  a.values.push(...b.values)
  a.steps.push(...b.steps)
  a.timestamps.push(...b.timestamps)
  into.counts.points = (into.counts.points ?? 0) + (from.counts.points ?? 0)
}

/** Python's json module writes NaN and ±Infinity as bare words; JSON has no such values. */
function pythonJson(line: string): string {
  if (!/NaN|Infinity/.test(line)) return line
  return line.replace(/([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1"$2"')
}
