import { describe, expect, it } from 'vitest'
import { SessionStore } from './session-store.js'

type Handler = (request: { method: string; headers: Record<string, string>; body: unknown }) => {
  status: number
  body?: unknown
}

function fakeServer(routes: Record<string, Handler>) {
  const requests: { path: string; method: string; headers: Record<string, string> }[] = []
  const fetch = (async (path: string, init: RequestInit) => {
    const method = init.method ?? 'GET'
    const headers = (init.headers ?? {}) as Record<string, string>
    requests.push({ path, method, headers })
    const handler = routes[`${method} ${path}`]
    const answer = handler
      ? handler({ method, headers, body: init.body ? JSON.parse(String(init.body)) : undefined })
      : { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND', message: 'no route' } } }
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), {
      status: answer.status,
    })
  }) as typeof globalThis.fetch
  return { fetch, requests }
}

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  }
}

const user = { id: 'u1', username: 'alice', displayName: 'Alice', isAdmin: false }
const session = {
  user,
  csrfToken: 'csrf-1',
  workspaces: [{ name: 'team', displayName: 'Team', role: 'owner' }],
}

describe('session store', () => {
  it('signs in with a password and sends the CSRF token on changes, not reads', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': ({ body }) =>
        (body as { password: string }).password === 'right'
          ? { status: 200, body: { user, csrfToken: 'csrf-1' } }
          : { status: 401, body: { error: { code: 'AUTH_FAILED', message: 'wrong' } } },
      'GET /api/v1/auth/session': () => ({ status: 200, body: session }),
    })
    const store = new SessionStore({ fetch: server.fetch, storage: memoryStorage() })
    await expect(store.signInWithPassword('alice', 'wrong')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    })
    await store.signInWithPassword('alice', 'right')
    expect(store.state).toMatchObject({ status: 'signed-in', mode: 'session', user })
    expect(store.credentials()).toEqual({ kind: 'session', csrfToken: 'csrf-1' })
  })

  it('restores a cookie session on load', async () => {
    const server = fakeServer({
      'GET /api/v1/auth/session': () => ({ status: 200, body: session }),
    })
    const store = new SessionStore({ fetch: server.fetch, storage: memoryStorage() })
    await store.restore()
    expect(store.state).toMatchObject({ status: 'signed-in', workspaces: session.workspaces })
  })

  it('signs in with an API token, keeps it for the tab and sends it as a Bearer header', async () => {
    const server = fakeServer({
      'GET /api/v1/auth/session': ({ headers }) =>
        headers.authorization === 'Bearer tok'
          ? { status: 200, body: session }
          : { status: 401, body: { error: { code: 'AUTH_REQUIRED', message: 'no' } } },
    })
    const storage = memoryStorage()
    const store = new SessionStore({ fetch: server.fetch, storage })
    await store.signInWithToken(' tok ')
    expect(store.state).toMatchObject({ status: 'signed-in', mode: 'token' })
    expect(store.credentials()).toEqual({ kind: 'token', token: 'tok' })
    const again = new SessionStore({ fetch: server.fetch, storage })
    const restoring = again.restore()
    // Pages may read with the kept token while it is being checked.
    expect(again.state).toMatchObject({ status: 'signed-in', provisional: true })
    expect(again.credentials()).toEqual({ kind: 'token', token: 'tok' })
    await restoring
    expect(again.state).toMatchObject({ status: 'signed-in', mode: 'token', user })
    expect(again.state).not.toHaveProperty('provisional')
  })

  it('works with a token on a server without the accounts API', async () => {
    const server = fakeServer({
      'GET /api/v1/workspaces': ({ headers }) =>
        headers.authorization === 'Bearer tok'
          ? { status: 200, body: { workspaces: [{ id: '1', name: 'team', displayName: 'Team' }] } }
          : { status: 401, body: { error: { code: 'TOKEN_INVALID', message: 'bad' } } },
    })
    const store = new SessionStore({ fetch: server.fetch, storage: memoryStorage() })
    await store.signInWithToken('tok')
    expect(store.state).toMatchObject({ status: 'signed-in', workspaces: [{ name: 'team' }] })
    await expect(
      new SessionStore({ fetch: server.fetch, storage: memoryStorage() }).signInWithToken('bad'),
    ).rejects.toMatchObject({ code: 'TOKEN_INVALID' })
    expect(await store.providers()).toEqual({ password: false, oidc: [] })
  })

  it('forgets a revoked token and says why', async () => {
    const storage = memoryStorage()
    storage.setItem('nereid.apiToken', 'old')
    const server = fakeServer({
      'GET /api/v1/auth/session': () => ({
        status: 401,
        body: { error: { code: 'TOKEN_INVALID', message: 'revoked' } },
      }),
    })
    const store = new SessionStore({ fetch: server.fetch, storage })
    await store.restore()
    expect(store.state).toEqual({ status: 'signed-out', reason: null })
    expect(storage.items.size).toBe(0)
  })

  it('signs out of a cookie session through the server', async () => {
    const server = fakeServer({
      'GET /api/v1/auth/session': () => ({ status: 200, body: session }),
      'POST /api/v1/auth/logout': () => ({ status: 200, body: {} }),
    })
    const store = new SessionStore({ fetch: server.fetch, storage: memoryStorage() })
    await store.restore()
    await store.signOut()
    const logout = server.requests.find((r) => r.path === '/api/v1/auth/logout')
    expect(logout?.headers['x-csrf-token']).toBe('csrf-1')
    expect(store.state.status).toBe('signed-out')
  })
})
