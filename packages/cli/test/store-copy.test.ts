import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { storeCopyCommand } from '../src/commands/store-copy.js'
import { startTestPostgres } from '../../store/test/support/test-postgres.js'
import { startTestS3 } from '../../store/test/support/test-s3.js'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

// SQLite + a blob folder → PostgreSQL + a bucket → SQLite + a blob folder, each hop verified by
// the command itself, and the data read back through a server at the end of each. Each test
// runs a copy and a server process or two; on a loaded machine that takes a while.
vi.setConfig({ testTimeout: 180_000 })
const postgres = await startTestPostgres()
const s3 = await startTestS3('copies')
process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId
process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey
const database = `store_copy_${process.pid}`
const databaseUrl = postgres.url.replace(/\/[^/]*$/, `/${database}`)
const s3Args = ['--s3-endpoint', s3.endpoint, '--s3-path-style']
const admin = new pg.Client({ connectionString: postgres.url })
await admin.connect()
await admin.query(`drop database if exists ${database}`)
await admin.query(`create database ${database}`)

let root: string
let token: string
let runId: string
let snapshot: unknown
const fileBytes = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff)
const project = '/api/v1/projects/team/vision'

async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
  const raw = body instanceof Uint8Array
  const response = await fetch(`${server.url}${path}`, {
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

/** What a user sees of the run: its fields, a long series, and the file's bytes. */
async function readBack(server: ServerProcess) {
  const base = `${project}/objects/${runId}`
  const { fields } = (await (await call(server, 'GET', `${base}/fields`)).json()) as {
    fields: { path: string }[]
  }
  const series = await (
    await call(server, 'GET', `${base}/series?path=train/loss&limit=10000`)
  ).json()
  const file = Buffer.from(
    await (await call(server, 'GET', `${base}/files?path=model`)).arrayBuffer(),
  )
  // sys/state and the times derived from it follow the clock and the inactive-run job.
  const kept = new Set(['sys/id', 'sys/custom_run_id', 'sys/name', 'sys/tags', 'sys/owner'])
  return {
    fields: fields.filter((f) => !f.path.startsWith('sys/') || kept.has(f.path)),
    series,
    file: createHash('sha256').update(file).digest('hex'),
  }
}

async function stop(server: ServerProcess) {
  server.child.kill('SIGTERM')
  await server.exited
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'nereid-copy-test-'))
  const source = join(root, 'source')
  token = (
    await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'team',
      '--project',
      'vision',
      '--data',
      source,
    ])
  ).stdout.trim()
  const server = await startServerProcess(source)
  try {
    const created = await call(server, 'POST', `${project}/objects`, {
      kind: 'run',
      customRunId: 'c1',
    })
    runId = ((await created.json()) as { object: { id: string } }).object.id
    const steps = Array.from({ length: 5_000 }, (_, i) => i)
    await call(server, 'POST', `${project}/objects/${runId}/operations`, {
      operations: [
        { op: 'assignFloat', path: 'params/lr', value: 0.001 },
        { op: 'assignString', path: 'params/optimizer', value: 'adam' },
        { op: 'addStrings', path: 'sys/tags', values: ['copied', 'ünïcødé'] },
        { op: 'appendFloats', path: 'train/loss', steps, values: steps.map((s) => 1 / (s + 1)) },
        { op: 'appendStrings', path: 'logs', values: ['one', 'two'] },
      ],
    })
    await call(
      server,
      'PUT',
      `${project}/objects/${runId}/files?path=model&name=model.bin`,
      fileBytes,
    )
    for (let i = 0; i < 5; i++) await call(server, 'POST', `${project}/objects`, { kind: 'run' })
    snapshot = await readBack(server)
  } finally {
    await stop(server)
  }
}, 120_000)

afterAll(async () => {
  await admin.query(`drop database if exists ${database}`)
  await admin.end()
  await s3.stop()
  await postgres.stop()
  await rm(root, { recursive: true, force: true })
})

describe('nereid store copy', () => {
  it('copies a SQLite store into PostgreSQL and a bucket, and verifies it', async () => {
    const { stderr } = await runCli([
      'store',
      'copy',
      '--from',
      join(root, 'source'),
      '--to',
      databaseUrl,
      '--to-blobs',
      's3://copies/nereid',
      ...s3Args,
    ])
    expect(stderr).toMatch(/every table's count and checksum and every file match/)
    const server = await startServerProcess(join(root, 'pg-server'), [
      '--database-url',
      databaseUrl,
      '--blob-url',
      's3://copies/nereid',
      ...s3Args,
    ])
    try {
      expect(await readBack(server)).toEqual(snapshot)
      // Ids generated after the copy continue after the copied ones.
      await call(server, 'POST', `${project}/objects/${runId}/operations`, {
        operations: [{ op: 'assignInt', path: 'after/copy', value: 1 }],
      })
    } finally {
      await stop(server)
    }
  })

  it('refuses to copy into a store that holds data, unless resuming', async () => {
    const args = ['store', 'copy', '--from', join(root, 'source'), '--to', databaseUrl]
    await expect(runCli([...args, '--to-blobs', 's3://copies/nereid', ...s3Args])).rejects.toThrow(
      /already holds data .* pass --resume/,
    )
    await expect(runCli([...args.slice(0, 6)])).rejects.toThrow(/--to-blobs is needed/)
  })

  it('finishes an interrupted copy with --resume', async () => {
    const target = join(root, 'interrupted')
    const copy = ['store', 'copy', '--from', join(root, 'source'), '--to', target]
    await runCli(copy)
    // What an interruption leaves: tables before the cut whole, the one at the cut up to
    // some key, the ones after it empty, some files not yet copied.
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(join(target, 'nereid.db'))
    db.exec(`delete from series_blocks where (series_id, block_no) >
        (select series_id, block_no from series_blocks order by 1, 2 limit 1 offset 1);
      delete from series_block_stats; delete from string_set_values`)
    db.close()
    await rm(join(target, 'blobs'), { recursive: true, force: true })
    await expect(runCli(copy)).rejects.toThrow(/already holds data/)
    const { stderr } = await runCli([...copy, '--resume'])
    expect(stderr).toMatch(/every table's count and checksum and every file match/)
    const server = await startServerProcess(target)
    try {
      expect(await readBack(server)).toEqual(snapshot)
    } finally {
      await stop(server)
    }
  })

  it('copies PostgreSQL and a bucket back into a data folder', async () => {
    const back = join(root, 'back')
    const { stderr } = await runCli([
      'store',
      'copy',
      '--from',
      databaseUrl,
      '--from-blobs',
      's3://copies/nereid',
      '--to',
      back,
      ...s3Args,
    ])
    expect(stderr).toMatch(/every table's count and checksum and every file match/)
    const server = await startServerProcess(back)
    try {
      const copied = await readBack(server)
      expect(copied.fields.map((f) => f.path)).toContain('after/copy')
    } finally {
      await stop(server)
    }
  })

  it('draws a progress bar of rows and files on a terminal', async () => {
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 100 })
    let shown = ''
    terminal.on('data', (chunk: Buffer) => (shown += chunk.toString()))
    await storeCopyCommand(
      { from: join(root, 'source'), to: join(root, 'on-a-terminal') },
      terminal as unknown as NodeJS.WriteStream,
    )
    const frames = shown.split('\r\x1b[2K').map((frame) => frame.split('\n')[0]!)
    expect(frames).toContainEqual(
      expect.stringMatching(/^rows \[[=> ]{24}\] \d+% [\d,]+\/[\d,]+ rows/),
    )
    expect(frames).toContainEqual(
      expect.stringMatching(/^files \[[=> ]{24}\] \d+% [\d,]+\/300,000 bytes/),
    )
    // One line per table is for logs; a terminal gets the bar instead.
    expect(shown).not.toMatch(/^ {2}objects: /m)
    expect(shown).toMatch(/every table's count and checksum and every file match\n$/)
  })
})
