import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.js'
import {
  addPerson,
  createClockedTestApp,
  sessionCookie,
  signIn,
  type Clock,
} from './security-fixtures.js'
import { createTestApp, type TestApp } from './test-app.js'

const DAY = 24 * 60 * 60 * 1000

describe('password sign-in and browser sessions', () => {
  let t: TestApp & { clock?: Clock }
  afterEach(async () => {
    await t.close()
  })

  it('signs in with a password and sets an HttpOnly, SameSite=Lax session cookie', async () => {
    t = await createTestApp()
    const alice = await addPerson(t, 'alice', { workspace: { name: 'team', role: 'member' } })
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'alice', password: alice.password },
    })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.user).toMatchObject({ username: 'alice', isAdmin: false, displayName: 'alice' })
    expect(body.user.id).toBe(alice.user.id)
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/)
    const cookie = [response.headers['set-cookie']].flat()[0]!
    expect(cookie).toMatch(
      /^nereid_session=[\w-]{40,}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/,
    )

    const session = await t.app.inject({
      url: '/api/v1/auth/session',
      headers: { cookie: sessionCookie(response) },
    })
    expect(session.statusCode).toBe(200)
    expect(session.json()).toEqual({
      user: expect.objectContaining({ username: 'alice' }),
      csrfToken: body.csrfToken,
      workspaces: [{ name: 'team', displayName: 'team', role: 'member' }],
    })
  })

  it('marks the cookie Secure when the server is reached over HTTPS', async () => {
    t = await createTestApp({ publicUrl: 'https://nereid.example.org' })
    const alice = await addPerson(t, 'alice')
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'alice', password: alice.password },
    })
    expect([response.headers['set-cookie']].flat()[0]).toMatch(/; Secure$/)
  })

  it('answers a wrong password and an unknown user alike, without echoing the password', async () => {
    t = await createTestApp()
    await addPerson(t, 'alice')
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'alice', password: 'not-her-password' },
    })
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody', password: 'not-her-password' },
    })
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401)
      expect(response.json().error).toEqual({
        code: 'AUTH_FAILED',
        message: 'wrong username or password',
      })
      expect(response.body).not.toContain('not-her-password')
      expect(response.headers['set-cookie']).toBeUndefined()
    }
  })

  it('answers the session route 401 without a session, and for a planted session id', async () => {
    t = await createTestApp()
    const none = await t.app.inject({ url: '/api/v1/auth/session' })
    expect(none.statusCode).toBe(401)
    expect(none.json().error.code).toBe('AUTH_REQUIRED')
    const planted = await t.app.inject({
      url: '/api/v1/auth/session',
      headers: { cookie: 'nereid_session=attacker-chosen-value' },
    })
    expect(planted.statusCode).toBe(401)
  })

  it('issues a new session id at sign-in and ends the one the browser carried (fixation)', async () => {
    t = await createTestApp()
    const alice = await addPerson(t, 'alice')
    const first = await signIn(t.app, 'alice', alice.password)
    const second = await signIn(t.app, 'alice', alice.password, { cookie: first.cookie })
    expect(second.cookie).not.toBe(first.cookie)
    expect(second.csrfToken).not.toBe(first.csrfToken)
    const old = await t.app.inject({
      url: '/api/v1/auth/session',
      headers: { cookie: first.cookie },
    })
    expect(old.statusCode).toBe(401)
    const current = await second.call({ url: '/api/v1/auth/session' })
    expect(current.statusCode).toBe(200)
  })

  it('requires the CSRF token on state-changing requests signed in by cookie', async () => {
    t = await createTestApp()
    const alice = await addPerson(t, 'alice', {
      workspace: { name: 'team', role: 'member' },
      project: { project: (await t.store.projects.get('team', 'vision'))!, role: 'contributor' },
    })
    const session = await signIn(t.app, 'alice', alice.password)
    const create = { method: 'POST' as const, url: '/api/v1/projects/team/vision/objects' }
    const missing = await t.app.inject({
      ...create,
      payload: { kind: 'run' },
      headers: { cookie: session.cookie },
    })
    expect(missing.statusCode).toBe(403)
    expect(missing.json().error.code).toBe('CSRF_TOKEN_INVALID')
    const wrong = await t.app.inject({
      ...create,
      payload: { kind: 'run' },
      headers: { cookie: session.cookie, 'x-csrf-token': 'x'.repeat(session.csrfToken.length) },
    })
    expect(wrong.json().error.code).toBe('CSRF_TOKEN_INVALID')
    const right = await session.call({ ...create, payload: { kind: 'run' } })
    expect(right.statusCode).toBe(200)
    // Reads need no token, and neither do requests authenticated by an API token.
    expect(
      (
        await t.app.inject({
          url: '/api/v1/projects/team/vision',
          headers: { cookie: session.cookie },
        })
      ).statusCode,
    ).toBe(200)
    expect((await alice.call({ ...create, payload: { kind: 'run' } })).statusCode).toBe(200)
    expect(
      await t.store.search.query(
        (await t.store.projects.get('team', 'vision'))!.id,
        {
          kinds: ['run'],
          query: null,
          limit: 10,
          offset: 0,
        },
        { now: Date.now() },
      ),
    ).toMatchObject({ total: 2 })
  })

  it('signs out: the session ends and the cookie is cleared', async () => {
    t = await createTestApp()
    const alice = await addPerson(t, 'alice')
    const session = await signIn(t.app, 'alice', alice.password)
    const withoutCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: session.cookie },
    })
    expect(withoutCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID')
    const out = await session.call({ method: 'POST', url: '/api/v1/auth/logout' })
    expect(out.statusCode).toBe(200)
    expect(out.json()).toEqual({})
    expect([out.headers['set-cookie']].flat()[0]).toMatch(/^nereid_session=; Path=\/; Max-Age=0/)
    expect((await session.call({ url: '/api/v1/auth/session' })).statusCode).toBe(401)
    // Signing out again, or without a session, is harmless.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(
      200,
    )
  })

  it('ends idle sessions, and every session at its maximum age', async () => {
    const clocked = await createClockedTestApp({
      config: { sessionIdleMs: 2 * DAY, sessionMaxMs: 5 * DAY },
    })
    t = clocked
    const alice = await addPerson(t, 'alice')
    const session = await signIn(t.app, 'alice', alice.password)
    for (let day = 0; day < 4; day++) {
      clocked.clock.advance(DAY + 1000)
      expect((await session.call({ url: '/api/v1/auth/session' })).statusCode).toBe(200)
    }
    clocked.clock.advance(DAY + 1000)
    expect((await session.call({ url: '/api/v1/auth/session' })).statusCode).toBe(401)

    const idle = await signIn(t.app, 'alice', alice.password)
    clocked.clock.advance(2 * DAY + 1)
    expect((await idle.call({ url: '/api/v1/auth/session' })).statusCode).toBe(401)
  })

  it('changes a password, signing out the other sessions', async () => {
    t = await createTestApp()
    const alice = await addPerson(t, 'alice')
    const laptop = await signIn(t.app, 'alice', alice.password)
    const phone = await signIn(t.app, 'alice', alice.password)
    const wrong = await laptop.call({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: 'guess-guess', newPassword: 'a new secret 1' },
    })
    expect(wrong.statusCode).toBe(401)
    const short = await laptop.call({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: alice.password, newPassword: 'short' },
    })
    expect(short.statusCode).toBe(400)
    expect(short.body).not.toContain('short"')
    const changed = await laptop.call({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: alice.password, newPassword: 'a new secret 1' },
    })
    expect(changed.json()).toEqual({ signedOutSessions: 1 })
    expect((await laptop.call({ url: '/api/v1/auth/session' })).statusCode).toBe(200)
    expect((await phone.call({ url: '/api/v1/auth/session' })).statusCode).toBe(401)
    await expect(signIn(t.app, 'alice', alice.password)).rejects.toThrow(/AUTH_FAILED/)
    await signIn(t.app, 'alice', 'a new secret 1')
  })

  it('throttles an account after 10 failures in 10 minutes, even with the right password', async () => {
    const clocked = await createClockedTestApp()
    t = clocked
    const alice = await addPerson(t, 'alice')
    const attempt = (password: string, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'alice', password },
        remoteAddress,
      })
    for (let i = 0; i < 10; i++) {
      // From ten addresses: the account's own counter trips.
      expect((await attempt('wrong-password', `10.0.0.${i}`)).statusCode).toBe(401)
    }
    const blocked = await attempt(alice.password, '10.0.0.99')
    expect(blocked.statusCode).toBe(429)
    expect(blocked.json().error.code).toBe('TOO_MANY_ATTEMPTS')
    expect(blocked.headers['retry-after']).toBe('600')
    // Another instance on the same database agrees.
    const second = await buildApp({
      store: t.store,
      blobs: t.app.nereid.blobs,
      config: { publicUrl: 'http://localhost:8080' },
      now: clocked.clock.now,
    })
    const elsewhere = await second.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'alice', password: alice.password },
    })
    expect(elsewhere.statusCode).toBe(429)
    await second.close()
    clocked.clock.advance(10 * 60 * 1000 + 1)
    expect((await attempt(alice.password, '10.0.0.99')).statusCode).toBe(200)
  })

  it('throttles an address after 10 failures, whatever the usernames', async () => {
    t = await createTestApp()
    const bob = await addPerson(t, 'bob')
    for (let i = 0; i < 10; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: `guess${i}`, password: 'password1' },
        remoteAddress: '192.0.2.7',
      })
      expect(response.statusCode).toBe(401)
    }
    const fromThere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bob', password: bob.password },
      remoteAddress: '192.0.2.7',
    })
    expect(fromThere.statusCode).toBe(429)
    const fromElsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bob', password: bob.password },
      remoteAddress: '192.0.2.8',
    })
    expect(fromElsewhere.statusCode).toBe(200)
  })

  it('stops the sessions and tokens of a deactivated person at once', async () => {
    t = await createTestApp()
    const alice = await addPerson(t, 'alice', { workspace: { name: 'team', role: 'member' } })
    const session = await signIn(t.app, 'alice', alice.password)
    const { accessToken } = (
      await t.app.inject({
        url: '/api/backend/v1/authorization/oauth-token',
        headers: { 'x-neptune-api-token': alice.token },
      })
    ).json()
    const neptune = () =>
      t.app.inject({
        url: '/api/backend/v1/myOrganizations',
        headers: { authorization: `Bearer ${accessToken}` },
      })
    expect((await neptune()).statusCode).toBe(200)
    const deactivate = await t.call({
      method: 'PATCH',
      url: '/api/v1/users/alice',
      payload: { deactivated: true },
    })
    expect(deactivate.json()).toMatchObject({ username: 'alice', deactivated: true })
    expect((await session.call({ url: '/api/v1/auth/session' })).statusCode).toBe(401)
    const byToken = await alice.call({ url: '/api/v1/workspaces' })
    expect(byToken.statusCode).toBe(401)
    expect(byToken.json().error.code).toBe('TOKEN_INVALID')
    expect((await neptune()).statusCode).toBe(401)
    await expect(signIn(t.app, 'alice', alice.password)).rejects.toThrow(/AUTH_FAILED/)
    const revived = await t.call({
      method: 'PATCH',
      url: '/api/v1/users/alice',
      payload: { deactivated: false },
    })
    expect(revived.json().deactivated).toBe(false)
    await signIn(t.app, 'alice', alice.password)
    expect((await alice.call({ url: '/api/v1/workspaces' })).statusCode).toBe(401)
  })

  it('lists the sign-in methods for the sign-in page', async () => {
    t = await createTestApp({
      oidcProviders: [
        {
          id: 'corp',
          name: 'Corporate SSO',
          issuer: 'https://id.example.org',
          clientId: 'nereid',
          clientSecret: 'not-shown',
          allowedDomains: [],
        },
      ],
    })
    const response = await t.app.inject({ url: '/api/v1/auth/providers' })
    expect(response.json()).toEqual({
      password: true,
      oidc: [{ id: 'corp', name: 'Corporate SSO' }],
    })
  })
})
