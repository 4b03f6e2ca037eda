import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'

/**
 * The operation queues the `neptune` 1.x client leaves in `.neptune/`
 * (../shared/neptune-protocol.md §10): `offline/` (never sent), `async/` and `sync/` (unsent
 * after a crash). Each container folder holds `metadata.json` and `data-<n>.log` files of one
 * serialized operation per line.
 */
export interface QueueFolder {
  dir: string
  mode: 'offline' | 'async' | 'sync'
  containerId: string
  containerType: string
  /** metadata.json `createdAt`, epoch ms. */
  createdAt: number | null
  /** data-<n>.log files in order. */
  logs: string[]
  /** Operations up to this version were acknowledged by a server (async and sync queues). */
  lastAckVersion: number
}

const CONTAINER_DIR = /^(run|model|model_version|project)__([0-9a-f-]{36})/i
const DATA_LOG = /^data-(\d+)\.log$/

/** Finds every queue under a `.neptune` folder, a mode folder, or one container folder. */
export function findQueueFolders(root: string): QueueFolder[] {
  const found: QueueFolder[] = []
  const visit = (dir: string, mode: QueueFolder['mode'] | null, depth: number) => {
    const logs = dataLogs(dir)
    if (logs.length > 0 || existsSync(join(dir, 'metadata.json'))) {
      const folder = describe(dir, mode ?? 'offline', logs)
      if (folder) found.push(folder)
      return
    }
    if (depth > 3) return
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (!entry.isDirectory()) continue
      const childMode =
        mode ??
        (['offline', 'async', 'sync'].includes(entry.name)
          ? (entry.name as QueueFolder['mode'])
          : null)
      visit(join(dir, entry.name), childMode, depth + 1)
    }
  }
  const rootName = basename(root)
  visit(
    root,
    ['offline', 'async', 'sync'].includes(rootName) ? (rootName as QueueFolder['mode']) : null,
    0,
  )
  return found
}

function dataLogs(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  return readdirSync(dir)
    .map((name) => [name, DATA_LOG.exec(name)] as const)
    .filter((entry): entry is readonly [string, RegExpExecArray] => entry[1] !== null)
    .sort((a, b) => Number(a[1][1]) - Number(b[1][1]))
    .map(([name]) => join(dir, name))
}

function describe(dir: string, mode: QueueFolder['mode'], logs: string[]): QueueFolder | null {
  let metadata: Record<string, unknown> = {}
  try {
    metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')) as Record<
      string,
      unknown
    >
  } catch {
    // Older client versions wrote no metadata.json: the folder name says what it holds.
  }
  // Older layouts nest the logs one level down (`run__<uuid>/exec-<time>/`).
  const match = CONTAINER_DIR.exec(basename(dir)) ?? CONTAINER_DIR.exec(basename(join(dir, '..')))
  const containerId = typeof metadata.containerId === 'string' ? metadata.containerId : match?.[2]
  if (!containerId) return null
  const containerType =
    typeof metadata.containerType === 'string' ? metadata.containerType : (match?.[1] ?? 'run')
  const metaMode = metadata.mode
  const createdAt = typeof metadata.createdAt === 'string' ? Date.parse(metadata.createdAt) : NaN
  let lastAckVersion = 0
  try {
    lastAckVersion = Number(readFileSync(join(dir, 'last_ack_version'), 'utf8').trim()) || 0
  } catch {
    // never acknowledged
  }
  return {
    dir,
    mode: metaMode === 'async' || metaMode === 'sync' || metaMode === 'offline' ? metaMode : mode,
    containerId: containerId.toLowerCase(),
    containerType,
    createdAt: Number.isFinite(createdAt) ? createdAt : null,
    logs,
    // An offline queue was never sent anywhere, whatever an ack file says.
    lastAckVersion: mode === 'offline' ? 0 : lastAckVersion,
  }
}
