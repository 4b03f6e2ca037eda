import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ENTRY = fileURLToPath(new URL('./flush-entry.js', import.meta.url))

/**
 * Sends an object's local data before the process ends, from a child process, waiting for it
 * synchronously (a process ending on an uncaught error can run nothing asynchronous). Returns
 * false when it cannot (the SDK runs from TypeScript sources, with no built entry to start).
 */
export function deliverNow(options: {
  folder: string
  apiToken: string
  timeoutMs: number
}): boolean {
  if (!existsSync(ENTRY)) return false
  const result = spawnSync(
    process.execPath,
    [ENTRY, options.folder, String(process.pid), String(options.timeoutMs)],
    {
      env: { ...process.env, NEREID_API_TOKEN: options.apiToken },
      stdio: 'ignore',
      timeout: options.timeoutMs + 2000,
    },
  )
  return result.status === 0
}
