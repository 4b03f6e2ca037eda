import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signAccessToken, type AccessTokenClaims } from '../../src/neptune/access-token.js'
import { createTestApp, type TestApp } from '../test-app.js'
import { neptuneSession } from './neptune-session.js'

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >
}

describe('Neptune authentication', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(async () => {
    await t.close()
  })

  it('exchanges an API token for a JWT naming its issuer, expiry and client id', async () => {
    const session = await neptuneSession(t)
    const payload = claims(session.accessToken)
    expect(payload.iss).toBe('http://localhost:8080/auth/realms/neptune')
    expect(payload.azp).toBe('neptune-cli')
    expect(Number(payload.exp)).toBeGreaterThan(Date.now() / 1000 + 60)
    const project = await session.call({
      method: 'GET',
      url: '/api/backend/v1/projects/get?projectIdentifier=team/vision',
    })
    expect(project.statusCode).toBe(200)
    expect(project.json()).toMatchObject({ name: 'vision', organizationName: 'team', version: 2 })
  })

  it('answers an unknown API token with 401, which the client reports as an invalid token', async () => {
    const forged = Buffer.from(
      JSON.stringify({ api_address: 'http://x', api_url: 'http://x', api_key: 'nope' }),
    ).toString('base64')
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/backend/v1/authorization/oauth-token',
      headers: { 'x-neptune-api-token': forged },
    })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toMatchObject({ code: 401 })
  })

  it('refreshes with the form-encoded OAuth grant and refuses a non-refresh token', async () => {
    const session = await neptuneSession(t)
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/auth/realms/neptune/protocol/openid-connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      payload: `grant_type=refresh_token&client_id=neptune-cli&refresh_token=${session.refreshToken}`,
    })
    expect(refreshed.statusCode).toBe(200)
    expect(refreshed.json()).toMatchObject({ token_type: 'Bearer', expires_in: 600 })
    expect(claims((refreshed.json() as { access_token: string }).access_token).use).toBe('access')

    const misused = await t.app.inject({
      method: 'POST',
      url: '/auth/realms/neptune/protocol/openid-connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=refresh_token&refresh_token=${session.accessToken}`,
    })
    expect(misused.statusCode).toBe(400)
    expect(misused.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('stops every JWT of an API token the moment the token is revoked', async () => {
    const { token, record } = await t.app.nereid.tokens.mint(
      (await t.store.accounts.findUserByUsername('admin'))!.id,
      'revoked soon',
      Date.now(),
    )
    const session = await neptuneSession(t, token)
    const url = '/api/backend/v1/projects/get?projectIdentifier=team/vision'
    expect((await session.call({ method: 'GET', url })).statusCode).toBe(200)
    await t.store.accounts.revokeApiToken(record.id, Date.now())
    expect((await session.call({ method: 'GET', url })).statusCode).toBe(401)
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/auth/realms/neptune/protocol/openid-connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=refresh_token&refresh_token=${session.refreshToken}`,
    })
    expect(refreshed.json()).toMatchObject({ error: 'invalid_grant' })
  })

  it('stops every JWT of an account the moment the account is deactivated', async () => {
    const now = Date.now()
    const user = await t.store.accounts.createUser({ username: 'leaver', isAdmin: false, now })
    const workspace = await t.store.workspaces.getByName('team')
    await t.store.workspaces.addMember({
      workspaceId: workspace!.id,
      userId: user.id,
      role: 'member',
      now,
    })
    const { token } = await t.app.nereid.tokens.mint(user.id, 'leaver token', now)
    const session = await neptuneSession(t, token)
    const url = '/api/backend/v1/myOrganizations'
    expect((await session.call({ method: 'GET', url })).statusCode).toBe(200)
    await t.store.accounts.updateUser(user.id, { deactivatedAt: Date.now() })
    const refused = await session.call({ method: 'GET', url })
    expect(refused.statusCode).toBe(401)
    expect(refused.json()).toMatchObject({ code: 401 })
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/auth/realms/neptune/protocol/openid-connect/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=refresh_token&refresh_token=${session.refreshToken}`,
    })
    expect(refreshed.json()).toMatchObject({ error: 'invalid_grant' })
    const exchanged = await t.app.inject({
      method: 'GET',
      url: '/api/backend/v1/authorization/oauth-token',
      headers: { 'x-neptune-api-token': token },
    })
    expect(exchanged.statusCode).toBe(401)
  })

  it('reports an expired access token with the error type the client retries on', async () => {
    const session = await neptuneSession(t)
    const secret = await t.store.secrets.getOrCreate('neptune-jwt-hs256', () => 'unused', 0)
    const past = Math.floor(Date.now() / 1000) - 100
    const expired = signAccessToken(
      {
        ...(claims(session.accessToken) as unknown as AccessTokenClaims),
        iat: past - 600,
        exp: past,
      },
      secret,
    )
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/backend/v1/projects/get?projectIdentifier=team/vision',
      headers: { authorization: `Bearer ${expired}` },
    })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toMatchObject({ errorType: 'AUTHORIZATION_TOKEN_EXPIRED' })
  })

  it('refuses a JWT signed with another key', async () => {
    const session = await neptuneSession(t)
    const forged = signAccessToken(
      claims(session.accessToken) as unknown as AccessTokenClaims,
      'another secret',
    )
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/backend/v1/myOrganizations',
      headers: { authorization: `Bearer ${forged}` },
    })
    expect(response.statusCode).toBe(401)
  })

  it('keeps its signing key in the database, so restarts and other instances accept its tokens', async () => {
    const first = await t.store.secrets.getOrCreate('neptune-jwt-hs256', () => 'a', 0)
    const second = await t.store.secrets.getOrCreate('neptune-jwt-hs256', () => 'b', 0)
    expect(second).toBe(first)
    expect(first).not.toBe('a')
  })
})
