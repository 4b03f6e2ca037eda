import type { ClientEnv, Timer } from '../env.js'

/** Thrown by a retryer whose signal was aborted; what was being sent stays where it was. */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message)
    this.name = 'CancelledError'
  }
}

export type RetryerState = 'running' | 'waiting' | 'resolved' | 'rejected' | 'cancelled'

export interface RetryerOptions {
  /** Whether to try again after the `failures`-th failure. */
  retry: (failures: number, error: unknown) => boolean
  /** Milliseconds to wait before the next attempt; `backoffDelay()` by default. */
  delay?: (failures: number, error: unknown) => number
  /** Aborting stops the retryer between or during attempts with a `CancelledError`. */
  signal?: AbortSignal
  /** Told before each wait, e.g. to say once that the connection is down. */
  onRetry?: (failures: number, error: unknown, delayMs: number) => void
  env: Pick<ClientEnv, 'setTimeout' | 'clearTimeout'>
}

export interface Retryer<T> {
  readonly promise: Promise<T>
  state(): RetryerState
}

/** Capped exponential backoff with jitter: about 0.5 s, 1 s, 2 s … up to `maxMs`. */
export function backoffDelay(
  failures: number,
  error?: unknown,
  { initialMs = 500, maxMs = 30_000, random = Math.random } = {},
): number {
  const retryAfter = (error as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
  if (typeof retryAfter === 'number' && retryAfter > 0) return Math.min(retryAfter * 1000, 300_000)
  const base = Math.min(initialMs * 2 ** Math.max(0, failures - 1), maxMs)
  // Jitter spreads many clients that lost the same server over time instead of in one burst.
  return Math.round(base * (0.75 + random() * 0.5))
}

/**
 * Runs `attempt` until it succeeds, `retry` says stop, or the signal aborts (TanStack Query's
 * retryer as a small state machine: running → waiting → running … → resolved | rejected |
 * cancelled).
 */
export function createRetryer<T>(
  attempt: (signal: AbortSignal | undefined) => Promise<T>,
  options: RetryerOptions,
): Retryer<T> {
  let state: RetryerState = 'running'
  const delay = options.delay ?? backoffDelay
  const promise = (async () => {
    for (let failures = 0; ;) {
      if (options.signal?.aborted) {
        state = 'cancelled'
        throw new CancelledError()
      }
      state = 'running'
      try {
        const value = await attempt(options.signal)
        state = 'resolved'
        return value
      } catch (error) {
        if (options.signal?.aborted) {
          state = 'cancelled'
          throw new CancelledError()
        }
        failures++
        if (!options.retry(failures, error)) {
          state = 'rejected'
          throw error
        }
        const ms = delay(failures, error)
        options.onRetry?.(failures, error, ms)
        state = 'waiting'
        await sleep(ms, options)
      }
    }
  })()
  return { promise, state: () => state }
}

function sleep(ms: number, options: RetryerOptions): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      options.env.clearTimeout(timer)
      options.signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer: Timer = options.env.setTimeout(done, ms)
    // Waiting to retry must not keep a finished program alive; stop() bounds the wait.
    timer.unref?.()
    options.signal?.addEventListener('abort', done, { once: true })
  })
}
