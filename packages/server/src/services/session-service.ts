import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { NereidError } from '@nereid/core'
import type { Store, User } from '@nereid/store'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { ServerConfig } from '../config.js'
import { clearCookie, readCookie, setCookie } from './cookies.js'
import type { Principal } from './token-service.js'

export const SESSION_COOKIE = 'nereid_session'

/**
 * Browser sessions: a random id in an HttpOnly cookie (the database keeps only its sha256), a
 * CSRF token per session that state-changing requests must echo in `x-csrf-token`, an idle
 * timeout that slides with use and an absolute lifetime.
 */
export class SessionService {
  readonly #store: Store
  readonly #config: ServerConfig
  readonly #now: () => number

  constructor(store: Store, config: ServerConfig, now: () => number) {
    this.#store = store
    this.#config = config
    this.#now = now
  }

  /**
   * Starts a new session for `user` and sets its cookie. The id is always new, and a session
   * the request already carried is ended: a session id planted before sign-in (fixation) never
   * becomes signed in.
   */
  async start(
    request: FastifyRequest,
    reply: FastifyReply,
    user: User,
  ): Promise<{ csrfToken: string }> {
    await this.#forget(request)
    const id = randomBytes(32).toString('base64url')
    const csrfToken = randomBytes(24).toString('base64url')
    const now = this.#now()
    await this.#store.sessions.create({
      idHash: hashSessionId(id),
      userId: user.id,
      csrfToken,
      now,
      expiresAt: now + Math.min(this.#config.sessionIdleMs, this.#config.sessionMaxMs),
      address: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
    })
    setCookie(reply, SESSION_COOKIE, id, {
      path: '/',
      maxAgeSeconds: this.#config.sessionMaxMs / 1000,
      secure: this.isSecure(request),
    })
    return { csrfToken }
  }

  /** Ends the request's session (if any) and clears its cookie. */
  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (await this.#forget(request)) {
      clearCookie(reply, SESSION_COOKIE, { path: '/', secure: this.isSecure(request) })
    }
  }

  /** Deletes the session the request carries; whether it carried a session cookie. */
  async #forget(request: FastifyRequest): Promise<boolean> {
    const id = readCookie(request, SESSION_COOKIE)
    if (id) await this.#store.sessions.delete(hashSessionId(id))
    return id !== null
  }

  /** The principal of the request's session cookie; null without a live session. */
  async resolve(request: FastifyRequest): Promise<Principal | null> {
    const id = readCookie(request, SESSION_COOKIE)
    if (!id) return null
    const idHash = hashSessionId(id)
    const now = this.#now()
    const found = await this.#store.sessions.find(idHash, now)
    if (!found) return null
    const { session, user } = found
    // Sliding expiry, written at most once a minute so reads stay reads.
    if (now - session.lastSeenAt > 60_000) {
      const expiresAt = Math.min(
        now + this.#config.sessionIdleMs,
        session.createdAt + this.#config.sessionMaxMs,
      )
      await this.#store.sessions.touch(idHash, now, expiresAt)
    }
    return { user, token: null, session: { idHash, csrfToken: session.csrfToken } }
  }

  /** A session-authenticated request that changes state must carry the session's CSRF token. */
  checkCsrf(request: FastifyRequest, principal: Principal): void {
    if (!principal.session || SAFE_METHODS.has(request.method)) return
    const sent = request.headers['x-csrf-token']
    const given = Buffer.from(typeof sent === 'string' ? sent : '')
    const expected = Buffer.from(principal.session.csrfToken)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new NereidError(
        'CSRF_TOKEN_INVALID',
        'send the header "x-csrf-token" with the csrfToken from sign-in or GET /api/v1/auth/session',
      )
    }
  }

  /** Cookies get `Secure` when the server is reached over HTTPS. */
  isSecure(request: FastifyRequest): boolean {
    return request.protocol === 'https' || this.#config.publicUrl.startsWith('https://')
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex')
}
