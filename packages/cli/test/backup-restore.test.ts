import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { postgresTool, startTestPostgres } from '../../store/test/support/test-postgres.js'
import { startTestS3 } from '../../store/test/support/test-s3.js'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

// A backup taken while a server runs and a client keeps writing, restored into another data
// folder and served from there; and the PostgreSQL + bucket procedure of docs/deploy.md.
// Each test runs several CLI and server processes one after another: on a loaded machine
// that takes a while.
vi.setConfig({ testTimeout: 180_000 })
let root: string
let token: string
let server: ServerProcess
let runId: string
const project = '/api/v1/projects/team/vision'
const fileBytes = new Uint8Array(200_000).map((_, i) => (i * 13) & 0xff)

async function call(
  target: ServerProcess,
  method: string,
  path: string,
  body?: unknown,
  credential = token,
) {
  const raw = body instanceof Uint8Array
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${credential}`,
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

describe('the documented PostgreSQL and bucket backup', () => {
  it('brings back a lost database and bucket from pg_dump and a copy of the prefix', async () => {
    const postgres = await startTestPostgres()
    const s3 = await startTestS3('backups')
    process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId
    process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey
    const database = `backup_pg_${process.pid}`
    const databaseUrl = postgres.url.replace(/\/[^/]*$/, `/${database}`)
    const admin = new pg.Client({ connectionString: postgres.url })
    await admin.connect()
    const recreate = async () => {
      await admin.query(`drop database if exists ${database} with (force)`)
      await admin.query(`create database ${database}`)
    }
    const storage = [
      '--database-url',
      databaseUrl,
      '--blob-url',
      's3://backups/nereid',
      '--s3-endpoint',
      s3.endpoint,
      '--s3-path-style',
    ]
    const dump = join(root, 'nereid.dump')
    const bucketCopy = join(root, 'nereid-blobs')
    const servers: ServerProcess[] = []
    const stop = async (server: ServerProcess) => {
      server.child.kill('SIGTERM')
      await server.exited
    }
    try {
      await recreate()
      const live = await startServerProcess(join(root, 'pg-live'), storage)
      servers.push(live)
      const credential = (
        await runCli([
          'admin',
          'bootstrap',
          '--workspace',
          'team',
          '--project',
          'vision',
          '--data',
          join(root, 'pg-bootstrap'),
          ...storage,
        ])
      ).stdout.trim()
      const created = await call(live, 'POST', `${project}/objects`, { kind: 'run' }, credential)
      const run = ((await created.json()) as { object: { id: string } }).object.id
      const steps = Array.from({ length: 3_000 }, (_, i) => i)
      await call(
        live,
        'POST',
        `${project}/objects/${run}/operations`,
        { operations: [{ op: 'appendFloats', path: 'loss', steps, values: steps }] },
        credential,
      )
      await call(
        live,
        'PUT',
        `${project}/objects/${run}/files?path=model&name=model.bin`,
        fileBytes,
        credential,
      )

      // 1. pg_dump while the instance runs; 2. then the bucket prefix (aws s3 sync).
      await promisify(execFile)(postgresTool('pg_dump'), ['-Fc', '-d', databaseUrl, '-f', dump])
      expect(await s3.download('nereid/', bucketCopy)).toBeGreaterThan(0)
      await stop(servers.pop()!)

      // Both lost.
      await recreate()
      await s3.deleteAll('nereid/')

      // To restore: pg_restore, the files back into the prefix, start the instances.
      await promisify(execFile)(postgresTool('pg_restore'), [
        '--clean',
        '--if-exists',
        '-d',
        databaseUrl,
        dump,
      ])
      await s3.upload(bucketCopy, 'nereid/')
      const restored = await startServerProcess(join(root, 'pg-restored'), storage)
      servers.push(restored)
      const page = (await (
        await call(
          restored,
          'GET',
          `${project}/objects/${run}/series?path=loss&limit=10000`,
          undefined,
          credential,
        )
      ).json()) as { total: number; steps: number[] }
      expect(page.total).toBe(3_000)
      expect(page.steps).toEqual(steps)
      const file = await call(
        restored,
        'GET',
        `${project}/objects/${run}/files?path=model`,
        undefined,
        credential,
      )
      expect(Buffer.from(await file.arrayBuffer()).equals(Buffer.from(fileBytes))).toBe(true)
    } finally {
      for (const server of servers) await stop(server)
      await admin.query(`drop database if exists ${database} with (force)`)
      await admin.end()
      await s3.stop()
      await postgres.stop()
    }
  })
})
