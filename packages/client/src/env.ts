import * as nodeFs from 'node:fs'
import { hostname } from 'node:os'
import { threadId } from 'node:worker_threads'

/**
 * Everything the SDK takes from its surroundings, in one place, so tests and unusual hosts can
 * substitute it (TanStack's swappable managers): the network, the clock, timers, the file
 * system and the facts about the process. Nothing else in the SDK reads `process.env` or calls
 * `fetch` directly.
 */
export interface ClientEnv {
  fetch: typeof globalThis.fetch
  now(): number
  setTimeout(callback: () => void, ms: number): Timer
  clearTimeout(timer: Timer): void
  /** The synchronous and callback file-system calls the durable log and the uploads use. */
  fs: FileSystem
  /** Environment variables (`NEREID_*`, `NEPTUNE_*`). */
  variables: Readonly<Record<string, string | undefined>>
  cwd(): string
  hostname(): string
  pid: number
  threadId: number
  /** The script the process was started with (`process.argv[1]`), if any. */
  entryScript: string | undefined
}

/** A timer the SDK may unref, so it never keeps a finished process alive. */
export interface Timer {
  unref?(): unknown
}

export type FileSystem = Pick<
  typeof nodeFs,
  | 'openSync'
  | 'closeSync'
  | 'writeSync'
  | 'readSync'
  | 'fstatSync'
  | 'fsyncSync'
  | 'fdatasync'
  | 'ftruncateSync'
  | 'mkdirSync'
  | 'readdirSync'
  | 'readFileSync'
  | 'writeFileSync'
  | 'renameSync'
  | 'rmSync'
  | 'statSync'
  | 'existsSync'
  | 'createReadStream'
  | 'createWriteStream'
>

export function createClientEnv(overrides: Partial<ClientEnv> = {}): ClientEnv {
  return {
    fetch: (input, init) => globalThis.fetch(input, init),
    now: Date.now,
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (timer) => globalThis.clearTimeout(timer as ReturnType<typeof setTimeout>),
    fs: nodeFs,
    variables: process.env,
    cwd: () => process.cwd(),
    hostname,
    pid: process.pid,
    threadId,
    entryScript: process.argv[1],
    ...overrides,
  }
}

/** Starts a timer that does not keep the process alive. */
export function backgroundTimer(env: ClientEnv, callback: () => void, ms: number): Timer {
  const timer = env.setTimeout(callback, ms)
  timer.unref?.()
  return timer
}
