import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeApiToken } from '@nereid/core'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

describe('nereid CLI', () => {
  let dataDir = ''
  let server: ServerProcess | undefined
  afterEach(async () => {
    server?.child.kill('SIGKILL')
    server = undefined
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('bootstrap prints one token on stdout, and is safe to run again', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    const first = await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'ci',
      '--project',
      'models',
      '--data',
      dataDir,
      '--public-url',
      'http://nereid.internal:9000',
    ])
    const lines = first.stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(decodeApiToken(lines[0]!).apiUrl).toBe('http://nereid.internal:9000')
    expect(first.stderr).toContain('created user "admin"')
    const second = await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'ci',
      '--project',
      'models',
      '--data',
      dataDir,
    ])
    expect(second.stdout.trim()).not.toBe(lines[0])
    expect(second.stderr).not.toContain('created user')
    expect((await readdir(dataDir)).sort()).toEqual(expect.arrayContaining(['blobs', 'nereid.db']))
  })

  it('reports a bad option in one line, exits non-zero and creates nothing', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    const never = join(dataDir, 'never')
    await expect(
      runCli(['admin', 'bootstrap', '--workspace', 'Not Valid', '--data', never]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^nereid: workspace name "Not Valid" must be/),
    })
    expect(await readdir(dataDir)).toEqual([])
  })

  it('migrates explicitly and says when there is nothing to do', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    const first = await runCli(['db', 'migrate', '--data', dataDir])
    expect(first.stderr).toContain('Success     0001-initial')
    const again = await runCli(['db', 'migrate', '--data', dataDir])
    expect(again.stderr).toContain('up to date')
  })

  it('serves with a token minted by bootstrap and shuts down cleanly on SIGTERM', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    const { stdout } = await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'ci',
      '--project',
      'models',
      '--data',
      dataDir,
    ])
    server = await startServerProcess(dataDir)
    const response = await fetch(`${server.url}/api/v1/projects/ci/models`, {
      headers: { authorization: `Bearer ${stdout.trim()}` },
    })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { key: string }).key).toBe('MODELS')
    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    server = undefined
  })

  it('creates an admin, a workspace and a token on the first start', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-cli-'))
    server = await startServerProcess(dataDir)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(server.output()).toMatch(/First start: created user "admin"/)
    const token = /API token \(shown once; keep it\):\n(\S+)/.exec(server.output())?.[1]
    expect(token).toBeDefined()
    const response = await fetch(`${server.url}/api/v1/projects/default/sandbox`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
  })
})
