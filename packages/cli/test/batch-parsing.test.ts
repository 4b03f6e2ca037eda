import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

/**
 * Large batches are parsed on a worker thread of the built server; these cases go through
 * that path (bodies above the inline threshold) against a real server process.
 */
describe('operation batches parsed off the main thread', () => {
  let dataDir = ''
  let server: ServerProcess
  let token = ''
  let runUrl = ''

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'nereid-batches-'))
    token = (
      await runCli(['admin', 'bootstrap', '--workspace', 'w', '--project', 'p', '--data', dataDir])
    ).stdout.trim()
    server = await startServerProcess(dataDir)
    const created = await fetch(`${server.url}/api/v1/projects/w/p/objects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'run' }),
    })
    const { object } = (await created.json()) as { object: { id: string } }
    runUrl = `${server.url}/api/v1/projects/w/p/objects/${object.id}`
  })

  afterAll(async () => {
    server.child.kill('SIGTERM')
    await server.exited
    await rm(dataDir, { recursive: true, force: true })
  })

  const post = (body: string) =>
    fetch(`${runUrl}/operations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    })

  it('applies a large batch and reports its invalid operation in place', async () => {
    const values = Array.from({ length: 5000 }, (_, i) => i / 7)
    const response = await post(
      JSON.stringify({
        writer: 'w1',
        seq: 1,
        operations: [
          { op: 'appendFloats', path: 'loss', values },
          { op: 'appendFloats', path: 'bad//path', values },
          { op: 'assignString', path: 'note', value: 'x'.repeat(100) },
        ],
      }),
    )
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      results: { ok: boolean; error?: { code: string } }[]
      acknowledgedSeq: number
    }
    expect(body.results.map((r) => (r.ok ? 'ok' : r.error!.code))).toEqual([
      'ok',
      'PATH_INVALID',
      'ok',
    ])
    expect(body.acknowledgedSeq).toBe(3)
    const page = await fetch(`${runUrl}/series?path=loss&offset=4998&limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(await page.json()).toMatchObject({
      total: 5000,
      steps: [4998, 4999],
      values: [4998 / 7, 4999 / 7],
    })
  })

  it('answers malformed JSON in a large body with MALFORMED_JSON', async () => {
    const response = await post(`{"operations": [${'1,'.repeat(20_000)}`)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'MALFORMED_JSON',
    )
  })

  it('refuses prototype-polluting keys', async () => {
    const response = await post(
      `{"operations": [], "__proto__": {"admin": true}, "pad": "${'x'.repeat(20_000)}"}`,
    )
    expect(response.status).toBe(400)
  })

  it('names the envelope field that is wrong', async () => {
    const response = await post(JSON.stringify({ operations: 'nope', pad: 'x'.repeat(20_000) }))
    expect(response.status).toBe(400)
    expect(
      ((await response.json()) as { error: { details: { field: string } } }).error.details.field,
    ).toMatch(/^body\./)
  })
})
