import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CLI, runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

/** Runs the built CLI with `input` on stdin. */
function runWithStdin(
  args: string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

async function signIn(url: string, username: string, password: string) {
  return fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
}

describe('nereid admin user, and the account flags of nereid server', () => {
  let dataDir = ''
  let server: ServerProcess | undefined
  afterEach(async () => {
    if (server) {
      server.child.kill('SIGTERM')
      await server.exited
    }
    server = undefined
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('creates a person with a generated password that signs in, in a workspace role', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    await runCli(['admin', 'bootstrap', '--workspace', 'ml', '--data', dataDir])
    const created = await runCli([
      'admin',
      'user',
      'create',
      'alice',
      '--display-name',
      'Alice Example',
      '--workspace',
      'ml',
      '--role',
      'admin',
      '--data',
      dataDir,
    ])
    const lines = created.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    const password = lines[0]!
    expect(password.length).toBeGreaterThanOrEqual(12)
    expect(created.stderr).toContain('created user "alice", admin of workspace "ml"')

    server = await startServerProcess(dataDir)
    const response = await signIn(server.url, 'alice', password)
    expect(response.status).toBe(200)
    const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!
    const session = await fetch(`${server.url}/api/v1/auth/session`, { headers: { cookie } })
    expect(await session.json()).toMatchObject({
      user: { username: 'alice', displayName: 'Alice Example', isAdmin: false },
      workspaces: [{ name: 'ml', role: 'admin' }],
    })
    expect(server.output()).not.toContain(password)
  })

  it('takes the password from stdin and resets it, ending sessions', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    await runCli(['db', 'migrate', '--data', dataDir])
    const created = await runWithStdin(
      ['admin', 'user', 'create', 'root', '--admin', '--password-stdin', '--data', dataDir],
      'correct horse battery\n',
    )
    expect(created).toMatchObject({ code: 0, stdout: '' })
    expect(created.stderr).toContain('created administrator "root"')

    server = await startServerProcess(dataDir)
    expect((await signIn(server.url, 'root', 'correct horse battery')).status).toBe(200)
    const reset = await runCli(['admin', 'user', 'reset-password', 'root', '--data', dataDir])
    const fresh = reset.stdout.trim()
    expect((await signIn(server.url, 'root', 'correct horse battery')).status).toBe(401)
    expect((await signIn(server.url, 'root', fresh)).status).toBe(200)
  })

  it('explains what is wrong in one line', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    await runCli(['admin', 'user', 'create', 'bob', '--data', dataDir])
    await expect(
      runCli(['admin', 'user', 'create', 'bob', '--data', dataDir]),
    ).rejects.toMatchObject({ code: 1, stderr: 'nereid: user "bob" exists\n' })
    await expect(
      runCli(['admin', 'user', 'create', 'Bad Name', '--data', dataDir]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^nereid: username "Bad Name" must be/),
    })
    const short = await runWithStdin(
      ['admin', 'user', 'create', 'carol', '--password-stdin', '--data', dataDir],
      'short\n',
    )
    expect(short).toMatchObject({
      code: 1,
      stderr: 'nereid: password must have 8 to 1024 characters\n',
    })
    await expect(
      runCli(['admin', 'user', 'create', 'dave', '--workspace', 'nope', '--data', dataDir]),
    ).rejects.toMatchObject({ stderr: 'nereid: workspace "nope" not found\n' })
  })

  it('offers single sign-on configured by flags, and refuses an incomplete configuration', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    await runCli(['admin', 'bootstrap', '--workspace', 'ml', '--data', dataDir])
    await expect(
      runCli([
        'server',
        '--data',
        dataDir,
        '--port',
        '0',
        '--oidc-issuer',
        'https://id.example.org',
      ]),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/needs --oidc-client-id/) })
    server = await startServerProcess(dataDir, [
      '--oidc-issuer',
      'https://id.example.org/',
      '--oidc-client-id',
      'nereid',
      '--oidc-client-secret',
      'test-client-secret',
      '--oidc-name',
      'Example SSO',
      '--trash-retention-days',
      '7',
    ])
    const providers = await fetch(`${server.url}/api/v1/auth/providers`)
    expect(await providers.json()).toEqual({
      password: true,
      oidc: [{ id: 'oidc', name: 'Example SSO' }],
    })
  })
})
