import { encodeApiToken } from '@nereid/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addPerson, callWith, signIn, type Person } from './security-fixtures.js'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

describe('API tokens', () => {
  let t: TestApp
  let alice: Person
  beforeEach(async () => {
    t = await createTestApp()
    alice = await addPerson(t, 'alice', {
      workspace: { name: 'team', role: 'member' },
      project: { project: (await t.store.projects.get('team', 'vision'))!, role: 'contributor' },
    })
  })
  afterEach(async () => {
    await t.close()
  })

  it('creates a token shown once and lists name, created and last used, never the token', async () => {
    const session = await signIn(t.app, 'alice', alice.password)
    const created = await session.call({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'laptop' },
    })
    expect(created.statusCode).toBe(200)
    const { token, record } = created.json()
    expect(record).toMatchObject({ name: 'laptop', lastUsedAt: null, revokedAt: null })
    expect((await callWith(t.app, token, { url: P })).statusCode).toBe(200)
    const listed = await session.call({ url: '/api/v1/tokens' })
    const tokens = listed.json().tokens as { id: string; name: string; lastUsedAt: string }[]
    expect(tokens.map((entry) => entry.name)).toEqual(['test', 'laptop'])
    expect(tokens[1]!.lastUsedAt).not.toBeNull()
    expect(listed.body).not.toContain(token)
    expect(JSON.stringify(tokens)).not.toMatch(/secret|hash/i)
  })

  it('stops a revoked token at once', async () => {
    const { token, record } = (
      await alice.call({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci' } })
    ).json()
    expect((await callWith(t.app, token, { url: P })).statusCode).toBe(200)
    const revoked = await alice.call({ method: 'DELETE', url: `/api/v1/tokens/${record.id}` })
    expect(revoked.json().revokedAt).not.toBeNull()
    const after = await callWith(t.app, token, { url: P })
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('TOKEN_INVALID')
  })

  it('rotates a token: the new one works, the old one stops', async () => {
    const { token, record } = (
      await alice.call({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci' } })
    ).json()
    const rotated = await alice.call({
      method: 'POST',
      url: `/api/v1/tokens/${record.id}/rotate`,
    })
    expect(rotated.statusCode).toBe(200)
    const next = rotated.json()
    expect(next.record.name).toBe('ci')
    expect(next.token).not.toBe(token)
    expect((await callWith(t.app, token, { url: P })).statusCode).toBe(401)
    expect((await callWith(t.app, next.token, { url: P })).statusCode).toBe(200)
    const again = await alice.call({ method: 'POST', url: `/api/v1/tokens/${record.id}/rotate` })
    expect(again.json().error.code).toBe('TOKEN_NOT_FOUND')
  })

  it('does not let one person revoke or rotate another person’s token', async () => {
    const bob = await addPerson(t, 'bob')
    const bobsTokenId = (await t.store.accounts.listApiTokens(bob.user.id))[0]!.id
    for (const request of [
      { method: 'DELETE' as const, url: `/api/v1/tokens/${bobsTokenId}` },
      { method: 'POST' as const, url: `/api/v1/tokens/${bobsTokenId}/rotate` },
    ]) {
      const response = await alice.call(request)
      expect(response.statusCode).toBe(404)
      expect(response.json().error.code).toBe('TOKEN_NOT_FOUND')
    }
    expect((await bob.call({ url: '/api/v1/workspaces' })).statusCode).toBe(200)
  })

  it('refuses forged and malformed tokens, and names no secret in the answer', async () => {
    const forged = encodeApiToken('http://localhost:8080', 'a'.repeat(43))
    const malformed = 'bm90LWEtdG9rZW4'
    for (const token of [forged, malformed, `${alice.token}x`]) {
      const response = await callWith(t.app, token, { url: P })
      expect(response.statusCode).toBe(401)
      expect(response.json().error.code).toBe('TOKEN_INVALID')
      expect(response.body).not.toContain(token)
    }
  })

  it('does not open another workspace’s project to a valid token', async () => {
    await t.store.workspaces.create({ name: 'other', now: Date.now() })
    const stranger = await addPerson(t, 'stranger', { workspace: { name: 'other', role: 'owner' } })
    const response = await stranger.call({ url: P })
    expect(response.statusCode).toBe(404)
    expect(response.json().error.code).toBe('PROJECT_NOT_FOUND')
    const write = await stranger.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'run' },
    })
    expect(write.statusCode).toBe(404)
  })

  it('lets an administrator list and revoke a person’s tokens', async () => {
    const listed = await t.call({ url: '/api/v1/users/alice/tokens' })
    const [token] = listed.json().tokens as { id: string }[]
    const revoked = await t.call({
      method: 'DELETE',
      url: `/api/v1/users/alice/tokens/${token!.id}`,
    })
    expect(revoked.statusCode).toBe(200)
    expect((await alice.call({ url: P })).statusCode).toBe(401)
    expect((await alice.call({ url: '/api/v1/users/alice/tokens' })).statusCode).toBe(401)
  })

  it('ends the Neptune client’s access tokens when their API token is revoked', async () => {
    const exchange = await t.app.inject({
      url: '/api/backend/v1/authorization/oauth-token',
      headers: { 'x-neptune-api-token': alice.token },
    })
    expect(exchange.statusCode).toBe(200)
    const { accessToken, refreshToken } = exchange.json()
    const project = `/api/backend/v1/projects/get?projectIdentifier=team/vision`
    expect((await callWith(t.app, accessToken, { url: project })).statusCode).toBe(200)
    const [record] = await t.store.accounts.listApiTokens(alice.user.id)
    await alice.call({ method: 'DELETE', url: `/api/v1/tokens/${record!.id}` })
    expect((await callWith(t.app, accessToken, { url: project })).statusCode).toBe(401)
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/auth/realms/neptune/protocol/openid-connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=refresh_token&refresh_token=${refreshToken}&client_id=neptune-cli`,
    })
    expect(refresh.body).not.toContain('access_token')
  })
})

describe('service accounts', () => {
  let t: TestApp
  let wsAdmin: Person
  beforeEach(async () => {
    t = await createTestApp()
    wsAdmin = await addPerson(t, 'ws-admin', { workspace: { name: 'team', role: 'admin' } })
  })
  afterEach(async () => {
    await t.close()
  })

  async function serviceAccountToken(name: string): Promise<string> {
    const created = await wsAdmin.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/service-accounts',
      payload: { name },
    })
    expect(created.json()).toMatchObject({
      account: { username: `${name}@team`, kind: 'serviceAccount' },
      projects: [],
    })
    const token = await wsAdmin.call({
      method: 'POST',
      url: `/api/v1/workspaces/team/service-accounts/${name}/tokens`,
      payload: { name: 'pipeline' },
    })
    return token.json().token as string
  }

  it('reaches nothing until assigned to a project, then only that project', async () => {
    const token = await serviceAccountToken('ci')
    // Workspace visibility opens a project to members; a service account is none.
    await t.call({ method: 'PATCH', url: P, payload: { visibility: 'workspace' } })
    expect((await callWith(t.app, token, { url: P })).statusCode).toBe(404)
    const assigned = await wsAdmin.call({
      method: 'PUT',
      url: `${P}/members/ci@team`,
      payload: { role: 'contributor' },
    })
    expect(assigned.json()).toMatchObject({ role: 'contributor', user: { username: 'ci@team' } })
    const run = await callWith(t.app, token, {
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'run' },
    })
    expect(run.statusCode).toBe(200)
    expect(run.json().object.owner).toBe('ci@team')
    const elsewhere = await t.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/projects',
      payload: { name: 'audio' },
    })
    expect(elsewhere.statusCode).toBe(200)
    expect((await callWith(t.app, token, { url: '/api/v1/projects/team/audio' })).statusCode).toBe(
      404,
    )
    const listed = await wsAdmin.call({ url: '/api/v1/workspaces/team/service-accounts' })
    expect(listed.json().serviceAccounts).toEqual([
      {
        account: expect.objectContaining({ username: 'ci@team' }),
        projects: [{ project: 'team/vision', role: 'contributor' }],
      },
    ])
  })

  it('cannot manage tokens, sign in or reach workspace settings', async () => {
    const token = await serviceAccountToken('ci')
    expect((await callWith(t.app, token, { url: '/api/v1/tokens' })).statusCode).toBe(403)
    expect(
      (await callWith(t.app, token, { url: '/api/v1/workspaces/team/service-accounts' }))
        .statusCode,
    ).toBe(404)
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ci@team', password: 'whatever-it-is' },
    })
    expect(login.statusCode).toBe(401)
  })

  it('revokes and rotates service account tokens, and deletes the account with them', async () => {
    const token = await serviceAccountToken('ci')
    await wsAdmin.call({ method: 'PUT', url: `${P}/members/ci@team`, payload: { role: 'viewer' } })
    expect((await callWith(t.app, token, { url: P })).statusCode).toBe(200)
    const [record] = (
      await wsAdmin.call({ url: '/api/v1/workspaces/team/service-accounts/ci/tokens' })
    ).json().tokens as { id: string }[]
    const rotated = await wsAdmin.call({
      method: 'POST',
      url: `/api/v1/workspaces/team/service-accounts/ci/tokens/${record!.id}/rotate`,
    })
    const next = rotated.json().token as string
    expect((await callWith(t.app, token, { url: P })).statusCode).toBe(401)
    expect((await callWith(t.app, next, { url: P })).statusCode).toBe(200)
    const deleted = await wsAdmin.call({
      method: 'DELETE',
      url: '/api/v1/workspaces/team/service-accounts/ci@team',
    })
    expect(deleted.json()).toEqual({ deleted: true })
    expect((await callWith(t.app, next, { url: P })).statusCode).toBe(401)
  })

  it('is managed by workspace admins only', async () => {
    const member = await addPerson(t, 'member', { workspace: { name: 'team', role: 'member' } })
    const response = await member.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/service-accounts',
      payload: { name: 'sneaky' },
    })
    expect(response.statusCode).toBe(403)
    expect(
      await t.store.serviceAccounts.list((await t.store.workspaces.getByName('team'))!.id),
    ).toEqual([])
  })
})
