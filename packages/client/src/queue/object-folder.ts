import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import type { ClientEnv, FileSystem } from '../env.js'

/**
 * The folder one object's local data lives in while this process (or `nereid sync`) owns it:
 *
 *   <data directory>/<async|offline>/<kind>-<local id>/
 *     meta.json   what the data belongs to (never the API token)
 *     lock        the process writing it
 *     ack         the highest sequence number the server acknowledged
 *     log/        the operation log (operation-log.ts)
 *     blobs/      bytes given as Buffers or streams, kept until their upload is acknowledged
 *
 * Async-mode folders are deleted once everything is acknowledged; what remains after a crash
 * or an unreachable server is sent by `nereid sync`. Offline folders wait for `nereid sync`.
 */
export interface ObjectFolderMeta {
  version: 1
  localId: string
  kind: 'run' | 'model' | 'modelVersion' | 'project'
  /** `offline` folders get their object at sync time. */
  mode: 'async' | 'sync' | 'offline'
  /** `workspace/project`; may be null for offline runs (given at sync time). */
  project: string | null
  /** The server's id (UUID) of the object; null for offline runs not synced yet. */
  objectId: string | null
  /** Readable id such as CLS-12, when known. */
  shortId: string | null
  /** Offline runs: the custom run id they are created with at sync time. */
  customRunId: string | null
  /** Offline runs: the name they are created with at sync time. */
  name: string | null
  /** The server the data is for (from the API token); null for offline runs. */
  apiUrl: string | null
  /** Writer id sent with every batch; with the sequence numbers it makes resending safe. */
  writer: string
  createdAt: number
  hostname: string
  pid: number
}

export const MODE_FOLDERS = ['async', 'offline'] as const

export function createObjectFolder(
  dataDirectory: string,
  env: ClientEnv,
  meta: Omit<ObjectFolderMeta, 'version' | 'localId' | 'writer' | 'createdAt' | 'hostname' | 'pid'>,
): { folder: string; meta: ObjectFolderMeta } {
  const localId = randomUUID()
  const full: ObjectFolderMeta = {
    version: 1,
    localId,
    writer: `${env.hostname()}-${env.pid}-${localId.slice(0, 8)}`.slice(0, 128),
    createdAt: env.now(),
    hostname: env.hostname(),
    pid: env.pid,
    ...meta,
  }
  const folder = join(
    dataDirectory,
    meta.mode === 'offline' ? 'offline' : 'async',
    `${meta.kind}-${localId}`,
  )
  env.fs.mkdirSync(join(folder, 'log'), { recursive: true })
  env.fs.mkdirSync(join(folder, 'blobs'), { recursive: true })
  writeMeta(env.fs, folder, full)
  return { folder, meta: full }
}

export function readMeta(fs: FileSystem, folder: string): ObjectFolderMeta {
  const meta = JSON.parse(fs.readFileSync(join(folder, 'meta.json'), 'utf8')) as ObjectFolderMeta
  if (meta.version !== 1 || typeof meta.writer !== 'string')
    throw new Error(`${folder}/meta.json is not a Nereid local data file of a known version`)
  return meta
}

/** Replaces meta.json atomically: a crash leaves the old or the new file, never half of one. */
export function writeMeta(fs: FileSystem, folder: string, meta: ObjectFolderMeta): void {
  const file = join(folder, 'meta.json')
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(meta, null, 2)}\n`)
  fs.renameSync(`${file}.tmp`, file)
}

/** Every object folder under a data directory. */
export function listObjectFolders(fs: FileSystem, dataDirectory: string): string[] {
  const folders: string[] = []
  for (const mode of MODE_FOLDERS) {
    const parent = join(dataDirectory, mode)
    if (!fs.existsSync(parent)) continue
    for (const name of (fs.readdirSync(parent) as string[]).sort()) {
      if (fs.existsSync(join(parent, name, 'meta.json'))) folders.push(join(parent, name))
    }
  }
  return folders
}

export interface LockHolder {
  pid: number
  hostname: string
}

/**
 * Takes the folder for this process. Fails (returns the holder) while another live process on
 * this machine holds it; a lock left by a dead process is taken over.
 */
export function lockFolder(
  fs: FileSystem,
  folder: string,
  env: Pick<ClientEnv, 'pid' | 'hostname'>,
  options: { allowPid?: number } = {},
): { ok: true } | { ok: false; holder: LockHolder } {
  const holder = readLock(fs, folder)
  if (
    holder &&
    holder.pid !== env.pid &&
    holder.pid !== options.allowPid &&
    isAlive(holder, env.hostname())
  ) {
    return { ok: false, holder }
  }
  fs.writeFileSync(join(folder, 'lock'), JSON.stringify({ pid: env.pid, hostname: env.hostname() }))
  return { ok: true }
}

export function unlockFolder(fs: FileSystem, folder: string, pid: number): void {
  const holder = readLock(fs, folder)
  if (holder?.pid === pid) fs.rmSync(join(folder, 'lock'), { force: true })
}

/** The live process holding the folder, if any. */
export function folderHolder(fs: FileSystem, folder: string, hostname: string): LockHolder | null {
  const holder = readLock(fs, folder)
  return holder && isAlive(holder, hostname) ? holder : null
}

function readLock(fs: FileSystem, folder: string): LockHolder | null {
  try {
    const value = JSON.parse(fs.readFileSync(join(folder, 'lock'), 'utf8')) as LockHolder
    return typeof value.pid === 'number' ? value : null
  } catch {
    return null
  }
}

function isAlive(holder: LockHolder, hostname: string): boolean {
  // A lock taken on another machine (a shared disk) cannot be checked: respect it.
  if (holder.hostname !== hostname) return true
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
