import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

// A backup taken while a server runs and a client keeps writing, restored into another data
// folder and served from there.
let root: string
let token: string
let server: ServerProcess
let runId: string
const project = '/api/v1/projects/team/vision'
const fileBytes = new Uint8Array(200_000).map((_, i) => (i * 13) & 0xff)

async function call(target: ServerProcess, method: string, path: string, body?: unknown) {
  const raw = body instanceof Uint8Array
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': raw ? 'application/octet-stream' : 'application/json',
    },
    ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }),
  })
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return response
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nereid-backup-test-'))
  const data = join(root, 'live')
  token = (
    await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'team',
      '--project',
      'vision',
      '--data',
      data,
    ])
  ).stdout.trim()
  server = await startServerProcess(data)
  const created = await call(server, 'POST', `${project}/objects`, { kind: 'run' })
  runId = ((await created.json()) as { object: { id: string } }).object.id
  await call(
    server,
    'PUT',
    `${project}/objects/${runId}/files?path=model&name=model.bin`,
    fileBytes,
  )
}, 60_000)

afterAll(async () => {
  server.child.kill('SIGTERM')
  await server.exited
  await rm(root, { recursive: true, force: true })
})

describe('nereid backup and restore', () => {
  it('restores a backup taken under writes to a consistent state', async () => {
    let writing = true
    let acknowledged = 0
    const writer = (async () => {
      for (let seq = 1; writing; seq++) {
        const steps = Array.from({ length: 200 }, (_, i) => (seq - 1) * 200 + i)
        await call(server, 'POST', `${project}/objects/${runId}/operations`, {
          writer: 'w',
          seq,
          operations: [{ op: 'appendFloats', path: 'loss', steps, values: steps }],
        })
        acknowledged = seq
      }
    })()
    while (acknowledged < 5) await new Promise((resolve) => setTimeout(resolve, 20))
    const archive = join(root, 'backup.tar.gz')
    const { stderr } = await runCli(['backup', archive, '--data', join(root, 'live')])
    writing = false
    await writer
    expect(stderr).toMatch(/backed up the database .* and 1 files/)

    const restored = join(root, 'restored')
    await runCli(['restore', archive, '--data', restored])
    const copy = await startServerProcess(restored)
    try {
      const page = (await (
        await call(copy, 'GET', `${project}/objects/${runId}/series?path=loss&limit=100000`)
      ).json()) as { total: number; steps: number[] }
      // Whole batches only, in order, and no more than was written.
      expect(page.total % 200).toBe(0)
      expect(page.total).toBeGreaterThanOrEqual(5 * 200)
      expect(page.total).toBeLessThanOrEqual(acknowledged * 200)
      expect(page.steps).toEqual(Array.from({ length: page.total }, (_, i) => i))
      const file = await call(copy, 'GET', `${project}/objects/${runId}/files?path=model`)
      expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(fileBytes))).toBe(true)
    } finally {
      copy.child.kill('SIGTERM')
      await copy.exited
    }
    await expect(runCli(['restore', archive, '--data', restored])).rejects.toThrow(
      /exists; stop the server and pass --force/,
    )
    await runCli(['restore', archive, '--data', restored, '--force'])
  })

  it('refuses a backup whose file content was damaged', async () => {
    const archive = join(root, 'plain.tar')
    await runCli(['backup', archive, '--data', join(root, 'live')])
    const bytes = await readFile(archive)
    const hash = createHash('sha256').update(fileBytes).digest('hex')
    // The file's content sits in the archive after its header; change one byte of it.
    const at = bytes.indexOf(Buffer.from(fileBytes.subarray(1000, 1064)))
    expect(at).toBeGreaterThan(0)
    bytes[at] = bytes[at]! ^ 0xff
    await writeFile(archive, bytes)
    await expect(runCli(['restore', archive, '--data', join(root, 'damaged')])).rejects.toThrow(
      new RegExp(`file ${hash} in .* is damaged`),
    )
  })

  it('sends PostgreSQL users to pg_dump', async () => {
    await expect(
      runCli(['backup', join(root, 'x.tar'), '--database-url', 'postgres://u@127.0.0.1/db']),
    ).rejects.toThrow(/pg_dump/)
  })
})
