import { createClientEnv } from '../env.js'
import { listLocalData, type LocalDataOptions, type LocalObjectData } from './list-local-data.js'

export interface ClearResult {
  removed: LocalObjectData[]
  /** Folders a live process still writes; they are left alone. */
  skipped: LocalObjectData[]
}

/**
 * Deletes local data that was not sent (all of it, or the listed folders). Folders of running
 * processes are never touched. This loses data on purpose: the CLI asks first.
 */
export function clearLocalData(
  options: LocalDataOptions & { folders?: string[] } = {},
): ClearResult {
  const env = createClientEnv(options.env)
  const result: ClearResult = { removed: [], skipped: [] }
  for (const data of listLocalData(options)) {
    if (options.folders && !options.folders.includes(data.folder)) continue
    if (data.heldBy) {
      result.skipped.push(data)
      continue
    }
    env.fs.rmSync(data.folder, { recursive: true, force: true })
    result.removed.push(data)
  }
  return result
}
