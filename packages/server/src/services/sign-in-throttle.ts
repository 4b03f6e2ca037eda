import { NereidError } from '@nereid/core'
import type { Store } from '@nereid/store'

export const SIGN_IN_WINDOW_MS = 10 * 60 * 1000
export const SIGN_IN_MAX_FAILURES = 10

/**
 * Slows down password guessing: after 10 failed sign-ins for one account, or from one address,
 * within 10 minutes, further attempts are refused with 429 until the window moves on. The
 * counters live in the database, so several server instances count together.
 */
export class SignInThrottle {
  readonly #store: Store
  readonly #now: () => number

  constructor(store: Store, now: () => number) {
    this.#store = store
    this.#now = now
  }

  /** TOO_MANY_ATTEMPTS (with `details.retryAfterSeconds`) when either counter is full. */
  async check(username: string, address: string): Promise<void> {
    const failures = await this.#store.sessions.countSignInFailures(
      keys(username, address),
      this.#now() - SIGN_IN_WINDOW_MS,
    )
    if (failures >= SIGN_IN_MAX_FAILURES) {
      throw new NereidError(
        'TOO_MANY_ATTEMPTS',
        'too many failed sign-ins for this account or from this address; try again in a few minutes',
        { retryAfterSeconds: SIGN_IN_WINDOW_MS / 1000 },
      )
    }
  }

  async failed(username: string, address: string): Promise<void> {
    await this.#store.sessions.recordSignInFailure(keys(username, address), this.#now())
  }

  /** A successful sign-in clears the account's counter (not the address's). */
  async succeeded(username: string): Promise<void> {
    await this.#store.sessions.clearSignInFailures(accountKey(username))
  }
}

function accountKey(username: string): string {
  return `account:${username.toLowerCase().slice(0, 256)}`
}

function keys(username: string, address: string): string[] {
  return [accountKey(username), `address:${address}`]
}
