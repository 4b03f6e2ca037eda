import type { NereidError } from '@nereid/core'

/** Receives what goes wrong in the background: never thrown into the caller's code. */
export type ErrorHandler = (error: NereidError) => void

/**
 * Reports background problems (operations the server refused, a lost connection, a queue that
 * failed) through the user's `onError`, and as one line on stderr unless `quiet`. Each kind of
 * problem is reported once per key, so a training loop that repeats a mistake a million times
 * produces one line, not a million.
 */
export class Reporter {
  readonly #onError: ErrorHandler | undefined
  readonly #quiet: boolean
  readonly #write: (line: string) => void
  readonly #seen = new Set<string>()

  constructor(options: {
    onError?: ErrorHandler | undefined
    quiet?: boolean | undefined
    write?: (line: string) => void
  }) {
    this.#onError = options.onError
    this.#quiet = options.quiet ?? false
    this.#write = options.write ?? ((line) => process.stderr.write(line))
  }

  /** Reports `error` unless one with the same key was reported before. */
  once(key: string, error: NereidError): void {
    if (this.#seen.has(key)) return
    this.#seen.add(key)
    this.error(error)
  }

  error(error: NereidError): void {
    try {
      this.#onError?.(error)
    } catch {
      // A throwing handler must not break the queue that called it.
    }
    this.notice(`warning: ${error.message}`)
  }

  /** A line for the person running the program (unless quiet). */
  notice(message: string): void {
    if (!this.#quiet) this.#write(`nereid: ${message}\n`)
  }

  /** Forgets reported keys under a prefix, so the next problem of that kind is reported again. */
  reset(prefix: string): void {
    for (const key of this.#seen) if (key.startsWith(prefix)) this.#seen.delete(key)
  }
}
