import type { Credentials } from '../api/api-client.js'
import { NereidApiError, NetworkError } from '../api/api-error.js'
import type { ProvidersWire, SessionUser, SessionWire } from '../api/wire-types.js'

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out'; reason: string | null }
  | {
      status: 'signed-in'
      /** How requests are authenticated: the session cookie, or an API token in this tab. */
      mode: 'session' | 'token'
      user: SessionUser
      workspaces: { name: string; displayName: string; role: string }[]
      /**
       * True while a token kept from earlier in this tab is being checked: pages render and
       * read at once, and a refused token signs out when the check answers.
       */
      provisional?: boolean
    }

/** The slice of Web Storage the store uses (sessionStorage: the token lives as long as the tab). */
export interface TokenStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const TOKEN_KEY = 'nereid.apiToken'

/**
 * Who is signed in, and how requests prove it. Two ways in (the session contract with the
 * accounts API): a password (or SSO) session in an HttpOnly cookie, whose CSRF token is added
 * to state-changing requests; or an API token kept in sessionStorage and sent as a Bearer
 * header (scripts, kiosks, and servers without the accounts API).
 */
export class SessionStore {
  readonly #fetch: typeof fetch
  readonly #storage: TokenStorage
  readonly #listeners = new Set<() => void>()
  #state: SessionState = { status: 'loading' }
  #csrfToken = ''
  #token: string | null = null

  constructor(options: { fetch: typeof fetch; storage: TokenStorage }) {
    this.#fetch = options.fetch
    this.#storage = options.storage
  }

  get state(): SessionState {
    return this.#state
  }

  credentials(): Credentials {
    if (this.#token) return { kind: 'token', token: this.#token }
    if (this.#state.status === 'signed-in') return { kind: 'session', csrfToken: this.#csrfToken }
    return { kind: 'none' }
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Restores the tab's token or the browser's session, if either is still valid. */
  async restore(): Promise<void> {
    const token = this.#storage.getItem(TOKEN_KEY)
    if (token) {
      this.#token = token
      this.#set({
        status: 'signed-in',
        mode: 'token',
        user: { id: '', username: '', displayName: '', isAdmin: false },
        workspaces: [],
        provisional: true,
      })
      try {
        await this.signInWithToken(token)
        return
      } catch {
        this.#storage.removeItem(TOKEN_KEY)
        this.#token = null
      }
    }
    try {
      const session = await this.#json<SessionWire>('GET', '/api/v1/auth/session')
      this.#acceptSession(session, 'session')
    } catch (error) {
      if (error instanceof NetworkError) throw error
      this.#set({ status: 'signed-out', reason: null })
    }
  }

  async providers(): Promise<ProvidersWire> {
    try {
      return await this.#json<ProvidersWire>('GET', '/api/v1/auth/providers')
    } catch (error) {
      // A server without the accounts API signs in with API tokens only.
      if (error instanceof NereidApiError && error.status === 404)
        return { password: false, oidc: [] }
      throw error
    }
  }

  async signInWithPassword(username: string, password: string): Promise<void> {
    const login = await this.#json<{ user: SessionUser; csrfToken: string }>(
      'POST',
      '/api/v1/auth/login',
      { username, password },
    )
    this.#token = null
    this.#storage.removeItem(TOKEN_KEY)
    this.#csrfToken = login.csrfToken
    try {
      const session = await this.#json<SessionWire>('GET', '/api/v1/auth/session')
      this.#acceptSession(session, 'session')
    } catch {
      this.#acceptSession(
        { user: login.user, csrfToken: login.csrfToken, workspaces: [] },
        'session',
      )
    }
  }

  /** Checks the token with the server and keeps it for this tab. */
  async signInWithToken(token: string): Promise<void> {
    const trimmed = token.trim()
    if (!trimmed) throw new Error('paste an API token')
    this.#token = trimmed
    try {
      let session: SessionWire
      try {
        session = await this.#json<SessionWire>('GET', '/api/v1/auth/session')
      } catch (error) {
        if (!(error instanceof NereidApiError) || error.status !== 404) throw error
        // No session endpoint on this server: any authenticated route proves the token.
        const { workspaces } = await this.#json<{
          workspaces: { name: string; displayName: string }[]
        }>('GET', '/api/v1/workspaces')
        session = {
          user: { id: '', username: 'API token', displayName: 'API token', isAdmin: false },
          csrfToken: '',
          workspaces: workspaces.map((w) => ({ ...w, role: 'member' })),
        }
      }
      this.#storage.setItem(TOKEN_KEY, trimmed)
      this.#acceptSession(session, 'token')
    } catch (error) {
      this.#token = null
      throw error
    }
  }

  async signOut(): Promise<void> {
    const wasSession = this.#state.status === 'signed-in' && this.#state.mode === 'session'
    if (wasSession) {
      try {
        await this.#json('POST', '/api/v1/auth/logout', {})
      } catch {
        // The cookie is cleared by the server when it answers; signed out here either way.
      }
    }
    this.#token = null
    this.#csrfToken = ''
    this.#storage.removeItem(TOKEN_KEY)
    this.#set({ status: 'signed-out', reason: null })
  }

  /** The server refused our credentials (session expired, token revoked). */
  expired(reason: string): void {
    if (this.#state.status !== 'signed-in') return
    this.#token = null
    this.#storage.removeItem(TOKEN_KEY)
    this.#set({ status: 'signed-out', reason })
  }

  /** Workspaces may change (a project created elsewhere); read them again. */
  async refresh(): Promise<void> {
    if (this.#state.status !== 'signed-in') return
    await (this.#token ? this.signInWithToken(this.#token) : this.restore())
  }

  #acceptSession(session: SessionWire, mode: 'session' | 'token'): void {
    if (mode === 'session') this.#csrfToken = session.csrfToken
    this.#set({ status: 'signed-in', mode, user: session.user, workspaces: session.workspaces })
  }

  #set(state: SessionState): void {
    this.#state = state
    for (const listener of this.#listeners) listener()
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.#token) headers.authorization = `Bearer ${this.#token}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (method !== 'GET' && this.#csrfToken && !this.#token)
      headers['x-csrf-token'] = this.#csrfToken
    let response: Response
    try {
      response = await this.#fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
    } catch (error) {
      throw new NetworkError(error)
    }
    const text = await response.text()
    const parsed = text ? (JSON.parse(text) as unknown) : undefined
    if (!response.ok) {
      const error = (
        parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      )?.error
      throw new NereidApiError(
        response.status,
        error?.code ?? 'HTTP_ERROR',
        error?.message ?? `the server answered ${response.status}`,
        error?.details,
      )
    }
    return parsed as T
  }
}
