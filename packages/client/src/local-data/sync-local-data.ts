import { NereidError, isNereidError } from '@nereid/core'
import {
  connectProject,
  openTransport,
  resolveDataDirectory,
  resolveProject,
} from '../connection.js'
import { createClientEnv, type ClientEnv } from '../env.js'
import { FileResolver } from '../queue/file-resolver.js'
import {
  listObjectFolders,
  lockFolder,
  readMeta,
  unlockFolder,
  writeMeta,
  type ObjectFolderMeta,
} from '../queue/object-folder.js'
import { OperationLog } from '../queue/operation-log.js'
import { Sender } from '../queue/sender.js'
import type { HttpTransport } from '../transport/http-transport.js'
import { countPoints, labelOf } from './list-local-data.js'

export interface SyncOptions {
  /** Default: NEREID_DATA_DIRECTORY, else `.nereid` in the working directory. */
  dataDirectory?: string
  /** Default: NEREID_API_TOKEN (or NEPTUNE_API_TOKEN). */
  apiToken?: string
  /** The project of offline runs that were logged without one (default: NEREID_PROJECT). */
  project?: string
  /** Only these folders (default: all). */
  folders?: string[]
  /** Aborting stops after the batch in flight; what was acknowledged stays acknowledged. */
  signal?: AbortSignal
  onProgress?(event: SyncProgress): void
  /** Lines worth showing a person (a retry after a lost connection, a skipped file). */
  onMessage?(line: string): void
  env?: Partial<ClientEnv>
  /** @internal A folder still locked by this (dying) process may be taken. */
  allowLockOf?: number
}

export interface SyncProgress {
  folder: string
  label: string
  sentOperations: number
  totalOperations: number
  /** Series points sent (other operations count one each). */
  sentPoints: number
  totalPoints: number
}

export interface SyncResult {
  folder: string
  label: string
  /** Readable id of the object on the server (assigned now for offline runs). */
  shortId: string | null
  status: 'synced' | 'busy' | 'failed' | 'interrupted'
  sentOperations: number
  remainingOperations: number
  message: string
}

/**
 * Sends what offline runs and interrupted async runs left on disk. Safe to run any number of
 * times and to interrupt: every batch carries the writer id and sequence numbers it was logged
 * with, so the server applies each operation once, and each acknowledged batch is forgotten
 * locally at once. Offline runs are created on the server here, with a custom run id, so a
 * repeated sync finds the same run instead of making another.
 */
export async function syncLocalData(options: SyncOptions = {}): Promise<SyncResult[]> {
  const env = createClientEnv(options.env)
  const directory = resolveDataDirectory(env, options.dataDirectory)
  const folders = listObjectFolders(env.fs, directory).filter(
    (folder) => !options.folders || options.folders.includes(folder),
  )
  const results: SyncResult[] = []
  let http: HttpTransport | null = null
  for (const folder of folders) {
    if (options.signal?.aborted) break
    let meta: ObjectFolderMeta
    try {
      meta = readMeta(env.fs, folder)
    } catch (error) {
      results.push(failed(folder, folder, null, 0, (error as Error).message))
      continue
    }
    const label = labelOf(meta)
    const lock = lockFolder(env.fs, folder, env, {
      ...(options.allowLockOf !== undefined ? { allowPid: options.allowLockOf } : {}),
    })
    if (!lock.ok) {
      results.push({
        folder,
        label,
        shortId: meta.shortId,
        status: 'busy',
        sentOperations: 0,
        remainingOperations: 0,
        message: `${label}: process ${lock.holder.pid} is still writing it; left for later`,
      })
      continue
    }
    try {
      http ??= openTransport(env, options.apiToken)
      results.push(await syncFolder(folder, meta, label, http, env, options))
    } catch (error) {
      const log = OperationLog.open(folder, env.fs, { readOnly: true })
      results.push(
        failed(
          folder,
          label,
          meta.shortId,
          log.pendingRecords,
          isNereidError(error) || error instanceof Error ? error.message : String(error),
        ),
      )
      if (
        isNereidError(error) &&
        ['TOKEN_INVALID', 'AUTH_REQUIRED', 'SERVER_UNREACHABLE'].includes(error.code)
      ) {
        // Every other folder would fail the same way.
        unlockFolder(env.fs, folder, env.pid)
        break
      }
    } finally {
      if (env.fs.existsSync(folder)) unlockFolder(env.fs, folder, env.pid)
    }
  }
  return results
}

async function syncFolder(
  folder: string,
  meta: ObjectFolderMeta,
  label: string,
  http: HttpTransport,
  env: ClientEnv,
  options: SyncOptions,
): Promise<SyncResult> {
  const log = OperationLog.open(folder, env.fs)
  const total = log.pendingRecords
  try {
    if (total === 0) {
      log.close()
      env.fs.rmSync(folder, { recursive: true, force: true })
      return done(folder, label, meta.shortId, 0)
    }
    if (meta.apiUrl !== null && meta.apiUrl.replace(/\/+$/, '') !== http.apiUrl) {
      throw new NereidError(
        'TOKEN_INVALID',
        `${label} was logged for the server at ${meta.apiUrl}, but the API token is for ${http.apiUrl}; sync it with a token of that server`,
        { url: http.apiUrl },
      )
    }
    const project = meta.project ?? resolveProject(env, options.project)
    if (!project) {
      throw new NereidError(
        'VALIDATION_FAILED',
        `${label} was logged without a project; pass --project workspace/project (or set NEREID_PROJECT)`,
        { field: 'project' },
      )
    }
    const { api } = await connectProject(http, project)
    if (meta.objectId === null) {
      // Offline runs get their id now. The custom run id makes a repeated sync (after a lost
      // answer or an interruption) find this same run rather than create a second one.
      const { object } = await api.createObject({
        kind: 'run',
        customRunId: meta.customRunId ?? `nereid-offline-${meta.localId}`,
        ...(meta.name !== null ? { name: meta.name } : {}),
      })
      meta = {
        ...meta,
        objectId: object.id,
        shortId: object.shortId,
        project,
        apiUrl: http.apiUrl,
      }
      writeMeta(env.fs, folder, meta)
      label = `${label} → ${object.shortId}`
    }
    let sent = 0
    let points = 0
    const totalPoints = countPoints(log)
    let lastMessage = ''
    const message = (line: string) => {
      if (line !== lastMessage) options.onMessage?.(line)
      lastMessage = line
    }
    const sender = new Sender({
      log,
      api,
      objectId: meta.objectId!,
      writer: meta.writer,
      env,
      resolver: new FileResolver({ api, fs: env.fs, folder }),
      onProgress: (event) => {
        sent += event.records
        points += event.points
        options.onProgress?.({
          folder,
          label,
          sentOperations: sent,
          totalOperations: total,
          sentPoints: points,
          totalPoints,
        })
      },
      onRejected: (rejection) =>
        message(`${label}: the server refused "${rejection.path}": ${rejection.message}`),
      onSkipped: ({ path, reason }) => message(`${label}: "${path}" was not sent: ${reason}`),
      onDamaged: ({ fromSeq, toSeq, details }) =>
        message(
          `${label}: operations ${fromSeq}-${toSeq} could not be read back from the log and are lost (${details.join('; ')})`,
        ),
      onConnection: (event) =>
        message(
          event.recovered
            ? `${label}: connection restored`
            : `${label}: ${(event.error as Error)?.message ?? 'connection lost'}; retrying`,
        ),
    })
    sender.start()
    await sender.waitFor(log.lastSeq, options.signal)
    await sender.stop()
    const remaining = log.pendingRecords
    log.close()
    if (sender.state === 'failed') {
      const error = sender.error
      return failed(
        folder,
        label,
        meta.shortId,
        remaining,
        `${label}: ${isNereidError(error) || error instanceof Error ? error.message : String(error)}`,
      )
    }
    if (remaining > 0) {
      return {
        folder,
        label,
        shortId: meta.shortId,
        status: 'interrupted',
        sentOperations: sent,
        remainingOperations: remaining,
        message: `${label}: interrupted with ${plural(remaining, 'operation')} left; run \`nereid sync\` again to resume`,
      }
    }
    env.fs.rmSync(folder, { recursive: true, force: true })
    return done(folder, label, meta.shortId, sent, points)
  } finally {
    log.close()
  }
}

function done(
  folder: string,
  label: string,
  shortId: string | null,
  sent: number,
  points = 0,
): SyncResult {
  return {
    folder,
    label,
    shortId,
    status: 'synced',
    sentOperations: sent,
    remainingOperations: 0,
    message: `${label}: ${plural(sent, 'operation')} sent${points > sent ? ` (${plural(points, 'point')})` : ''}`,
  }
}

function failed(
  folder: string,
  label: string,
  shortId: string | null,
  remaining: number,
  message: string,
): SyncResult {
  return {
    folder,
    label,
    shortId,
    status: 'failed',
    sentOperations: 0,
    remainingOperations: remaining,
    message,
  }
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`
}
