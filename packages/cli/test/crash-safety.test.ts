import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSqliteStore } from '@nereid/store'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

const CHILD = fileURLToPath(new URL('./fixtures/ingest-child.mjs', import.meta.url))

describe('crash safety', () => {
  let dataDir = ''
  let server: ServerProcess | undefined

  afterEach(async () => {
    server?.child.kill('SIGKILL')
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  })

  it('loses no acknowledged batch when the server is killed with SIGKILL during ingestion', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-crash-'))
    const { stdout: tokenLine } = await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'crash',
      '--project',
      'test',
      '--data',
      dataDir,
    ])
    const token = tokenLine.trim()
    server = await startServerProcess(dataDir)
    const created = await fetch(`${server.url}/api/v1/projects/crash/test/objects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'run' }),
    })
    const run = ((await created.json()) as { object: { id: string } }).object

    const child = spawn(process.execPath, [CHILD, server.url, token, run.id, '100000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let acknowledgedStep = -1
    let acks = 0
    const killed = new Promise<void>((resolve) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          const match = /^ACK (\d+) (\d+)$/.exec(line)
          if (!match) continue
          acknowledgedStep = Math.max(acknowledgedStep, Number(match[2]))
          if (++acks === 40) {
            server!.child.kill('SIGKILL')
            resolve()
          }
        }
      })
    })
    await killed
    const childExit = new Promise((resolve) => child.once('exit', resolve))
    await server.exited
    await childExit
    expect(acknowledgedStep).toBeGreaterThanOrEqual(39_999)

    server = await startServerProcess(dataDir)
    const page = await fetch(
      `${server.url}/api/v1/projects/crash/test/objects/${run.id}/series?path=train/loss&limit=100000`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    )
    const body = (await page.json()) as { total: number; steps: number[]; values: number[] }
    // Every acknowledged point is there, in order, once; a batch in flight at the kill may or may not be.
    expect(body.total).toBeGreaterThanOrEqual(acknowledgedStep + 1)
    expect(body.total % 1000).toBe(0)
    for (let i = 0; i < body.total; i++) {
      expect(body.steps[i]).toBe(i)
      expect(body.values[i]).toBe(i * 0.5)
    }
    server.child.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    server = undefined

    const store = createSqliteStore({ filename: join(dataDir, 'nereid.db') })
    expect(await store.checkIntegrity()).toEqual({ ok: true, messages: ['ok'] })
    await store.close()
  }, 120_000)
})
