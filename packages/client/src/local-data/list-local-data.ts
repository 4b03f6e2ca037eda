import { join } from 'node:path'
import { resolveDataDirectory } from '../connection.js'
import { createClientEnv, type ClientEnv, type FileSystem } from '../env.js'
import {
  folderHolder,
  listObjectFolders,
  readMeta,
  type LockHolder,
  type ObjectFolderMeta,
} from '../queue/object-folder.js'
import { recordPoints } from '../queue/log-record.js'
import { OperationLog } from '../queue/operation-log.js'

/** One object's unsent local data (`nereid status`). */
export interface LocalObjectData {
  folder: string
  meta: ObjectFolderMeta
  /** How messages name it: its readable id, or "offline run <first 8 characters of its local id>". */
  label: string
  /** Operations written and not acknowledged by the server. */
  pendingOperations: number
  /** Series points among them (other operations count one each). */
  pendingPoints: number
  /** Bytes on disk (log and kept uploads). */
  bytes: number
  /** The live process still writing it, if any: such data is not synced or cleared. */
  heldBy: LockHolder | null
  /** Damaged records found (they cannot be sent). */
  damaged: string[]
}

export interface LocalDataOptions {
  /** Default: NEREID_DATA_DIRECTORY, else `.nereid` in the working directory. */
  dataDirectory?: string
  env?: Partial<ClientEnv>
}

export function labelOf(meta: ObjectFolderMeta): string {
  if (meta.shortId) return meta.shortId
  return `${meta.mode === 'offline' ? 'offline ' : ''}${meta.kind === 'modelVersion' ? 'model version' : meta.kind} ${meta.localId.slice(0, 8)}`
}

/** Every object folder with data still to send, oldest first. Reads only; changes nothing. */
export function listLocalData(options: LocalDataOptions = {}): LocalObjectData[] {
  const env = createClientEnv(options.env)
  const directory = resolveDataDirectory(env, options.dataDirectory)
  const out: LocalObjectData[] = []
  for (const folder of listObjectFolders(env.fs, directory)) {
    let meta: ObjectFolderMeta
    try {
      meta = readMeta(env.fs, folder)
    } catch {
      continue
    }
    const log = OperationLog.open(folder, env.fs, { readOnly: true })
    out.push({
      folder,
      meta,
      label: labelOf(meta),
      pendingOperations: log.pendingRecords,
      pendingPoints: countPoints(log),
      bytes: log.bytesOnDisk + folderBytes(env.fs, join(folder, 'blobs')),
      heldBy: folderHolder(env.fs, folder, env.hostname()),
      damaged: log.damaged,
    })
  }
  return out.sort((a, b) => a.meta.createdAt - b.meta.createdAt)
}

/** Points in the records not acknowledged yet (other operations count one each). */
export function countPoints(log: OperationLog): number {
  let points = 0
  for (let after = log.ackedSeq; after < log.lastSeq;) {
    const records = log.readAfter(after)
    if (records.length === 0) break
    for (const record of records) points += recordPoints(record)
    after = records.at(-1)!.seq
  }
  return points
}

function folderBytes(fs: FileSystem, folder: string): number {
  if (!fs.existsSync(folder)) return 0
  let total = 0
  for (const name of fs.readdirSync(folder) as string[])
    total += fs.statSync(join(folder, name)).size
  return total
}
