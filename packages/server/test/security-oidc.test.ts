import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { OidcProviderConfig } from '../src/config.js'
import { createTestApp, type TestApp } from './test-app.js'

/**
 * Single sign-on against a real OpenID Connect provider (`oidc-provider`) on loopback, with
 * Nereid listening on loopback too, and a cookie-keeping "browser" following the redirects.
 */

const PEOPLE: Record<string, { email: string; name: string; verified: boolean }> = {
  'sub-ada': { email: 'ada@example.com', name: 'Ada Lovelace', verified: true },
  'sub-eve': { email: 'eve@elsewhere.org', name: 'Eve', verified: true },
  'sub-max': { email: 'max@example.com', name: 'Max', verified: false },
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function freePort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A provider that signs in whoever `signInAs` names, and grants the scopes asked for. */
async function startProvider(redirectUri: string) {
  const state = { signInAs: 'sub-ada' }
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'nereid',
        client_secret: 'nereid-client-secret',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-cookie-key'] },
    async findAccount(_ctx, id) {
      const person = PEOPLE[id]!
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: person.email,
            email_verified: person.verified,
            name: person.name,
            preferred_username: person.email.split('@')[0],
          }
        },
      }
    },
  })
  const handle = provider.callback()
  const server = createServer((request, response) => {
    if (!request.url?.startsWith('/interaction/')) return void handle(request, response)
    void (async () => {
      const details = await provider.interactionDetails(request, response)
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(request, response, {
          login: { accountId: state.signInAs },
        })
        return
      }
      const grant = new provider.Grant({
        accountId: details.session!.accountId,
        clientId: details.params.client_id as string,
      })
      grant.addOIDCScope(String(details.params.scope))
      await provider.interactionFinished(
        request,
        response,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      )
    })()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    issuer,
    state,
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

/** Follows redirects like a browser, keeping each origin's cookies, until `stopAt` is reached. */
class Browser {
  readonly jars = new Map<string, Map<string, string>>()

  async get(url: string, accept?: string): Promise<Response> {
    const target = new URL(url)
    const jar = this.jars.get(target.origin) ?? new Map<string, string>()
    this.jars.set(target.origin, jar)
    const response = await fetch(target, {
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(accept ? { accept } : {}),
      },
    })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      if (value === '' || /max-age=0/i.test(cookie)) jar.delete(name)
      else jar.set(name, value)
    }
    return response
  }

  /** Follows redirects from `url` until one leads to `stopAt`; returns that URL. */
  async follow(url: string, stopAt: string): Promise<string> {
    let next = url
    for (let hop = 0; hop < 20; hop++) {
      const response = await this.get(next)
      const location = response.headers.get('location')
      if (!location)
        throw new Error(`no redirect from ${next}: ${response.status} ${await response.text()}`)
      next = new URL(location, next).toString()
      if (next.startsWith(stopAt)) return next
    }
    throw new Error('too many redirects')
  }
}

describe('single sign-on with OpenID Connect', () => {
  let t: TestApp
  let nereid: string
  let provider: Awaited<ReturnType<typeof startProvider>>

  async function start(overrides: Partial<OidcProviderConfig> = {}) {
    const port = await freePort()
    nereid = `http://127.0.0.1:${port}`
    const callback = `${nereid}/api/v1/auth/oidc/callback`
    provider = await startProvider(callback)
    t = await createTestApp({
      publicUrl: nereid,
      oidcProviders: [
        {
          id: 'corp',
          name: 'Corporate SSO',
          issuer: provider.issuer,
          clientId: 'nereid',
          clientSecret: 'nereid-client-secret',
          allowedDomains: ['example.com'],
          ...overrides,
        },
      ],
    })
    await t.app.listen({ host: '127.0.0.1', port })
  }

  /** Runs the whole sign-in; returns the callback's answer. */
  async function signInWithSso(browser: Browser, returnTo = '/projects/team') {
    const login = await browser.get(
      `${nereid}/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`,
    )
    expect(login.status).toBe(302)
    const authorize = login.headers.get('location')!
    expect(authorize.startsWith(`${provider.issuer}/auth?`)).toBe(true)
    expect(new URL(authorize).searchParams.get('code_challenge_method')).toBe('S256')
    const callback = await browser.follow(authorize, `${nereid}/api/v1/auth/oidc/callback`)
    return browser.get(callback)
  }

  beforeEach(() => {
    nereid = ''
  })
  afterEach(async () => {
    await t?.close()
    await provider?.close()
  })

  it('creates the account at first sign-in and joins the workspace mapped to its domain', async () => {
    await start()
    await t.call({
      method: 'PUT',
      url: '/api/v1/sso/domains/example.com',
      payload: { workspace: 'team', role: 'member' },
    })
    const browser = new Browser()
    const done = await signInWithSso(browser)
    expect(done.status).toBe(302)
    expect(done.headers.get('location')).toBe('/projects/team')
    const session = await browser.get(`${nereid}/api/v1/auth/session`)
    expect(session.status).toBe(200)
    const body = (await session.json()) as {
      user: { username: string; displayName: string; email: string }
      workspaces: unknown[]
    }
    expect(body.user).toMatchObject({
      username: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.com',
    })
    expect(body.workspaces).toEqual([{ name: 'team', displayName: 'team', role: 'member' }])

    // A second sign-in finds the same account.
    const again = new Browser()
    expect((await signInWithSso(again)).status).toBe(302)
    const second = (await (await again.get(`${nereid}/api/v1/auth/session`)).json()) as {
      user: { id: string }
    }
    expect(second.user.id).toBe((await t.store.accounts.findUserByUsername('ada'))!.id)
    expect((await t.store.accounts.listUsers()).map((u) => u.username)).toEqual(['ada', 'admin'])
    const audit = (await t.call({ url: '/api/v1/audit' })).json().events as { action: string }[]
    expect(audit.filter((e) => e.action === 'auth.signIn')).toHaveLength(2)
  })

  it('refuses e-mail domains the provider is not allowed for', async () => {
    await start()
    provider.state.signInAs = 'sub-eve'
    const done = await signInWithSso(new Browser())
    expect(done.status).toBe(401)
    expect(((await done.json()) as { error: { code: string } }).error.code).toBe('SSO_FAILED')
    expect(await t.store.accounts.findUserByUsername('eve')).toBeNull()
  })

  it('refuses an address the provider has not verified', async () => {
    await start()
    provider.state.signInAs = 'sub-max'
    const done = await signInWithSso(new Browser())
    expect(done.status).toBe(401)
    expect(await t.store.accounts.findUserByUsername('max')).toBeNull()
  })

  it('refuses a callback that was not started in the same browser', async () => {
    await start()
    const victim = new Browser()
    const login = await victim.get(`${nereid}/api/v1/auth/oidc/login`)
    const callback = await victim.follow(
      login.headers.get('location')!,
      `${nereid}/api/v1/auth/oidc/callback`,
    )
    // The attacker's browser lacks the state cookie the sign-in was bound to.
    const forged = await new Browser().get(callback)
    expect(forged.status).toBe(401)
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('SSO_FAILED')
    expect(forged.headers.getSetCookie().some((c) => c.startsWith('nereid_session='))).toBe(false)
    // Nor can the same callback be used twice.
    expect((await victim.get(callback)).status).toBe(302)
    expect((await victim.get(callback)).status).toBe(401)
  })

  it('sends a person whose sign-in failed back to the sign-in page with the reason', async () => {
    await start()
    const victim = new Browser()
    const login = await victim.get(`${nereid}/api/v1/auth/oidc/login`)
    const callback = await victim.follow(
      login.headers.get('location')!,
      `${nereid}/api/v1/auth/oidc/callback`,
    )
    const page = await new Browser().get(callback, 'text/html,application/xhtml+xml')
    expect(page.status).toBe(302)
    const location = new URL(page.headers.get('location')!, nereid)
    expect(location.pathname).toBe('/-/sign-in')
    expect(location.searchParams.get('ssoError')).toMatch(/not started in this browser/)
    expect(page.headers.getSetCookie().some((c) => c.startsWith('nereid_session='))).toBe(false)
  })

  it('never redirects to another site after signing in', async () => {
    await start()
    const done = await signInWithSso(new Browser(), '//evil.example/steal')
    expect(done.headers.get('location')).toBe('/')
  })
})
