import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestPostgres } from '../../store/test/support/test-postgres.js'
import { startTestS3 } from '../../store/test/support/test-s3.js'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

// Two `nereid server` processes on one PostgreSQL database and one bucket (s3rver), and
// clients that alternate between them, as behind a load balancer. Each test makes hundreds of
// requests through two processes and one database; on a loaded machine that takes a while.
vi.setConfig({ testTimeout: 120_000 })

const postgres = await startTestPostgres()
const s3 = await startTestS3('two-instances')
const database = `two_instances_${process.pid}`
const databaseUrl = postgres.url.replace(/\/[^/]*$/, `/${database}`)
const storageArgs = [
  '--database-url',
  databaseUrl,
  '--blob-url',
  's3://two-instances/nereid',
  '--s3-endpoint',
  s3.endpoint,
  '--s3-path-style',
]
// The server processes inherit these: the AWS SDK's standard variables.
process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId
process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey

const admin = new pg.Client({ connectionString: postgres.url })
await admin.connect()
await admin.query(`drop database if exists ${database}`)
await admin.query(`create database ${database}`)

let dataDir: string
let servers: ServerProcess[] = []
let token: string
let password: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nereid-two-'))
  const bootstrap = await runCli([
    'admin',
    'bootstrap',
    '--workspace',
    'team',
    '--project',
    'vision',
    '--data',
    join(dataDir, 'unused'),
    ...storageArgs,
  ])
  token = bootstrap.stdout.trim()
  password = /password (\S+)/.exec(bootstrap.stderr)![1]!
  servers = await Promise.all([
    startServerProcess(join(dataDir, 'a'), storageArgs),
    startServerProcess(join(dataDir, 'b'), storageArgs),
  ])
}, 120_000)

afterAll(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM')
    await server.exited
  }
  await admin.query(`drop database if exists ${database}`)
  await admin.end()
  await s3.stop()
  await postgres.stop()
  await rm(dataDir, { recursive: true, force: true })
})

const project = '/api/v1/projects/team/vision'

async function call(
  server: ServerProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && !(body instanceof Uint8Array)
        ? { 'content-type': 'application/json' }
        : {}),
      ...headers,
    },
    ...(body === undefined
      ? {}
      : { body: body instanceof Uint8Array ? body : JSON.stringify(body) }),
  })
}

async function json<T>(response: Response): Promise<T> {
  const text = await response.text()
  if (!response.ok) throw new Error(`${response.status}: ${text}`)
  return JSON.parse(text) as T
}

describe('two server instances on one PostgreSQL and one bucket', () => {
  it('gives both instances the same run for one custom run id', async () => {
    const created = await Promise.all(
      [0, 1, 0, 1].map((i) =>
        call(servers[i]!, 'POST', `${project}/objects`, {
          kind: 'run',
          customRunId: 'shared',
        }).then((r) => json<{ object: { id: string }; created: boolean }>(r)),
      ),
    )
    expect(new Set(created.map((c) => c.object.id)).size).toBe(1)
    expect(created.filter((c) => c.created)).toHaveLength(1)
  })

  it('keeps every point of writers alternating between instances, steps in order', async () => {
    const { object } = await json<{ object: { id: string } }>(
      await call(servers[0]!, 'POST', `${project}/objects`, {
        kind: 'run',
        customRunId: 'alternating',
      }),
    )
    const writers = 3
    const batches = 20
    const perBatch = 100
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let b = 0; b < batches; b++) {
          const values = Array.from({ length: perBatch }, (_, i) => b * perBatch + i)
          const body = {
            writer: `process-${w}`,
            seq: b * 2 + 1,
            operations: [
              { op: 'appendFloats', path: `own/${w}`, steps: values, values },
              { op: 'appendFloats', path: 'shared/loss', values },
            ],
          }
          const server = servers[(w + b) % 2]!
          const result = await json<{ acknowledgedSeq: number }>(
            await call(server, 'POST', `${project}/objects/${object.id}/operations`, body),
          )
          expect(result.acknowledgedSeq).toBe(b * 2 + 2)
          // Every fourth batch is sent again through the other instance, as a client does
          // when an answer is lost: it must not be applied twice.
          if (b % 4 === 0) {
            const again = await json<{ results: { duplicate?: boolean }[] }>(
              await call(
                servers[(w + b + 1) % 2]!,
                'POST',
                `${project}/objects/${object.id}/operations`,
                body,
              ),
            )
            expect(again.results.every((r) => r.duplicate === true)).toBe(true)
          }
        }
      }),
    )
    const total = batches * perBatch
    for (let w = 0; w < writers; w++) {
      const page = await json<{ total: number; steps: number[] }>(
        await call(
          servers[w % 2]!,
          'GET',
          `${project}/objects/${object.id}/series?path=own/${w}&limit=${total}`,
        ),
      )
      expect(page.total).toBe(total)
      expect(page.steps).toEqual(Array.from({ length: total }, (_, i) => i))
    }
    const shared = await json<{ total: number; steps: number[] }>(
      await call(
        servers[1]!,
        'GET',
        `${project}/objects/${object.id}/series?path=shared/loss&limit=10000`,
      ),
    )
    expect(shared.total).toBe(writers * total)
    expect(shared.steps).toEqual(Array.from({ length: writers * total }, (_, i) => i))
  })

  it('serves a file uploaded through one instance from the other, byte for byte', async () => {
    const { object } = await json<{ object: { id: string } }>(
      await call(servers[0]!, 'POST', `${project}/objects`, { kind: 'run' }),
    )
    const bytes = new Uint8Array(7 * 1024 * 1024)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 10)) & 0xff
    const uploaded = await json<{ hash: string; size: number }>(
      await call(
        servers[0]!,
        'PUT',
        `${project}/objects/${object.id}/files?path=model/weights&name=weights.bin`,
        bytes,
        { 'content-type': 'application/octet-stream' },
      ),
    )
    expect(uploaded).toEqual({
      hash: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
    })
    const download = await call(
      servers[1]!,
      'GET',
      `${project}/objects/${object.id}/files?path=model/weights`,
    )
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
  })

  it('accepts a browser session started on one instance on the other', async () => {
    const login = await fetch(`${servers[0]!.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    })
    expect(login.status).toBe(200)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const session = await fetch(`${servers[1]!.url}/api/v1/auth/session`, { headers: { cookie } })
    expect(session.status).toBe(200)
    expect(((await session.json()) as { user: { username: string } }).user.username).toBe('admin')
  })

  it('honours an API token and its Neptune access token on either instance, and a revocation on both at once', async () => {
    const created = await json<{ token: string; record: { id: string } }>(
      await call(servers[0]!, 'POST', '/api/v1/tokens', { name: 'pipeline' }),
    )
    const as = (credential: string) => ({ authorization: `Bearer ${credential}` })
    const read = (server: ServerProcess, credential: string) =>
      fetch(`${server.url}${project}`, { headers: as(credential) })
    expect((await read(servers[1]!, created.token)).status).toBe(200)
    // The Neptune client trades its API token for a signed access token on one instance and
    // sends it to whichever the balancer picks.
    const exchanged = await fetch(`${servers[1]!.url}/api/backend/v1/authorization/oauth-token`, {
      headers: { 'x-neptune-api-token': created.token },
    })
    const { accessToken } = await json<{ accessToken: string }>(exchanged)
    expect((await read(servers[0]!, accessToken)).status).toBe(200)

    await json(await call(servers[1]!, 'DELETE', `/api/v1/tokens/${created.record.id}`))
    for (const server of servers) {
      expect((await read(server, created.token)).status).toBe(401)
      expect((await read(server, accessToken)).status).toBe(401)
    }
    expect((await read(servers[0]!, token)).status).toBe(200)
  })

  it('ends a session signed out on one instance on the other', async () => {
    const login = await fetch(`${servers[1]!.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    })
    const { csrfToken } = await json<{ csrfToken: string }>(login)
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const session = (server: ServerProcess) =>
      fetch(`${server.url}/api/v1/auth/session`, { headers: { cookie } })
    expect((await session(servers[0]!)).status).toBe(200)
    const logout = await fetch(`${servers[0]!.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken },
    })
    expect(logout.status).toBe(200)
    for (const server of servers) expect((await session(server)).status).toBe(401)
  })
})
