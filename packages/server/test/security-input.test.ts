import { readdir } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { decodeApiToken } from '@nereid/core'
import { afterEach, describe, expect, it } from 'vitest'
import { addPerson, createClockedTestApp, signIn } from './security-fixtures.js'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

describe('hostile input', () => {
  let t: TestApp
  afterEach(async () => {
    await t.close()
  })

  it('keeps "../../etc/passwd" a plain file name and stores bytes by content hash only', async () => {
    t = await createTestApp()
    const run = (
      await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    ).json().object.shortId
    const upload = await t.call({
      method: 'PUT',
      url: `${P}/objects/${run}/files?path=data&name=${encodeURIComponent('../../etc/passwd')}`,
      payload: Buffer.from('not the password file'),
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(upload.statusCode).toBe(200)
    const field = await t.call({ url: `${P}/objects/${run}/field?path=data` })
    expect(field.json().value.name).toBe('../../etc/passwd')
    const download = await t.call({ url: `${P}/objects/${run}/files?path=data` })
    expect(download.body).toBe('not the password file')
    const stored = (await readdir(t.blobDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
    expect(stored).toEqual([upload.json().hash])

    const fileSet = await t.call({
      method: 'POST',
      url: `${P}/objects/${run}/operations`,
      payload: {
        operations: [
          {
            op: 'uploadFileSet',
            path: 'files',
            reset: false,
            files: [{ path: '../../etc/passwd', hash: upload.json().hash }],
          },
        ],
      },
    })
    expect(fileSet.json().results[0]).toMatchObject({
      ok: false,
      error: { code: 'VALUE_INVALID' },
    })
  })

  it('refuses a batch that names __proto__ or constructor.prototype as a key, spelled plainly or in escapes', async () => {
    t = await createTestApp()
    const run = (
      await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    ).json().object.shortId
    const send = (body: string) =>
      t.call({
        method: 'POST',
        url: `${P}/objects/${run}/operations`,
        payload: body,
        headers: { 'content-type': 'application/json' },
      })
    for (const key of ['__proto__', '\\u005f_proto__', 'constructor']) {
      const value = key === 'constructor' ? '{"prototype":{"polluted":true}}' : '{"polluted":true}'
      const answer = await send(`{"operations":[],"${key}":${value}}`)
      expect(answer.statusCode, key).toBe(400)
      expect(answer.json().error.code, key).toBe('MALFORMED_JSON')
    }
    // The same words as values are plain data.
    const plain = await send(
      '{"operations":[{"op":"assignString","path":"note","value":"__proto__ constructor \\u005f"}]}',
    )
    expect(plain.json().results).toEqual([{ ok: true }])
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })

  it('refuses oversized form fields with a clear error that does not repeat them', async () => {
    t = await createTestApp()
    const huge = 'A'.repeat(10_000)
    const cases = [
      { url: '/api/v1/auth/login', payload: { username: huge, password: 'x' } },
      { url: '/api/v1/auth/login', payload: { username: 'admin', password: huge } },
      { url: '/api/v1/tokens', payload: { name: huge } },
      { url: '/api/v1/users', payload: { username: 'bob', displayName: huge } },
      { url: '/api/v1/invitations/lookup', payload: { token: huge } },
      {
        url: '/api/v1/invitations/register',
        payload: { token: 'x', username: huge, password: 'long enough' },
      },
    ]
    for (const { url, payload } of cases) {
      const response = await t.call({ method: 'POST', url, payload })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().error.code, url).toBe('VALIDATION_FAILED')
      expect(response.json().error.message, url).toMatch(/must NOT have more than \d+ characters/)
      expect(response.body, url).not.toContain('AAAAAAAAAA')
    }
    const short = await t.call({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'bob', password: 'short' },
    })
    expect(short.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'password must have 8 to 1024 characters',
    })
  })
})

describe('secrets', () => {
  it('never appear in the server log or in error answers', async () => {
    const lines: string[] = []
    const logs = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const t = await createClockedTestApp({ logs })
    const secrets: string[] = []
    const bob = await addPerson(t, 'bob', { workspace: { name: 'team', role: 'admin' } })
    secrets.push(bob.password, bob.token, decodeApiToken(bob.token).secret)

    const failed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bob', password: 'Hunter2-wrong-guess' },
    })
    secrets.push('Hunter2-wrong-guess')
    const session = await signIn(t.app, 'bob', bob.password)
    secrets.push(session.cookie.split('=')[1]!, session.csrfToken)
    const created = (
      await session.call({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'ci' } })
    ).json()
    secrets.push(created.token, decodeApiToken(created.token).secret)
    const rotated = (
      await session.call({ method: 'POST', url: `/api/v1/tokens/${created.record.id}/rotate` })
    ).json()
    secrets.push(rotated.token)
    const revokedUse = await t.app.inject({
      url: P,
      headers: { authorization: `Bearer ${created.token}` },
    })
    const invitation = (
      await session.call({
        method: 'POST',
        url: '/api/v1/workspaces/team/invitations',
        payload: { role: 'member' },
      })
    ).json()
    secrets.push(invitation.token)
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/register',
      payload: { token: invitation.token, username: 'carol', password: 'carol-secret-pw' },
    })
    secrets.push('carol-secret-pw')
    const adminCreated = (
      await t.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'dave' } })
    ).json()
    secrets.push(adminCreated.password)
    await session.call({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: bob.password, newPassword: 'bob-new-secret' },
    })
    secrets.push('bob-new-secret')
    const badCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x' },
      headers: { cookie: session.cookie, 'x-csrf-token': 'guessed-csrf-token-value' },
    })
    secrets.push('guessed-csrf-token-value')
    await t.app.inject({
      url: P,
      headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged-signature-part' },
    })
    secrets.push('forged-signature-part')

    const audit = JSON.stringify(await t.store.audit.list({ limit: 1000 }))
    expect(audit).toContain('auth.signInFailed')
    await t.close()
    const log = lines.join('')
    // Security events reach the log too (for log-based alerting), without their secrets.
    expect(log).toContain('auth.signInFailed')
    expect(log).toContain('token.rotated')
    const answers = [failed, revokedUse, badCsrf].map((response) => response.body).join('\n')
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(5)
      expect(log, 'the log holds a secret').not.toContain(secret)
      expect(answers, 'an error answer holds a secret').not.toContain(secret)
      expect(audit, 'the audit log holds a secret').not.toContain(secret)
    }
  })
})
