import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initRun } from '@nereid/client'
import type { NereidError } from '@nereid/core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startTestPostgres } from '../../store/test/support/test-postgres.js'
import { startTestS3, type TestS3 } from '../../store/test/support/test-s3.js'
import { CLI, runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

// A server on PostgreSQL and a bucket, with both taken away under it: a cluster of its own
// (the test stops and starts it) and an s3rver the test stops. Every step spawns processes
// and waits for a database to stop or start; on a loaded machine that takes a while.
vi.setConfig({ testTimeout: 180_000 })

const postgres = await startTestPostgres({ dedicated: true })
let s3: TestS3 | undefined = await startTestS3('faults')
process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId
process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey
// Path-style addressing from the variable here (the other tests use the flag).
process.env.NEREID_S3_PATH_STYLE = '1'
const storageArgs = [
  '--database-url',
  postgres.url,
  '--blob-url',
  's3://faults',
  '--s3-endpoint',
  s3.endpoint,
]

let dataDir: string
let server: ServerProcess
let token: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nereid-faults-'))
  server = await startServerProcess(join(dataDir, 'server'), storageArgs)
  // Minted for the server's address, which the SDK reads from the token.
  token = (
    await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'team',
      '--project',
      'vision',
      '--data',
      join(dataDir, 'bootstrap'),
      '--public-url',
      server.url,
      ...storageArgs,
    ])
  ).stdout.trim()
}, 180_000)

afterAll(async () => {
  server.child.kill('SIGTERM')
  await server.exited
  await s3?.stop()
  await postgres.stop()
  await rm(dataDir, { recursive: true, force: true })
})

const project = '/api/v1/projects/team/vision'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function call(method: string, path: string, body?: unknown): Promise<Response> {
  const raw = body instanceof Uint8Array
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': raw ? 'application/octet-stream' : 'application/json',
    },
    ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }),
  })
}

let refusals = 0

/** `nereid server` with these arguments, expected to give up: its exit code and output. */
function failedStart(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'server', '--port', '0', '--data', join(dataDir, `refused-${++refusals}`), ...args],
      // A server that does start is killed here, and the test then fails on its exit code.
      { env: { ...process.env, ...env }, timeout: 90_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : ((error.code as number) ?? null), stdout, stderr }),
    )
  })
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

describe('wrong storage settings at start', () => {
  it('stops with one line saying what is wrong and a non-zero exit, for each setting', async () => {
    const port = await closedPort()
    const s3Args = ['--s3-endpoint', s3!.endpoint, '--s3-path-style']
    const badUser = postgres.url.replace('//postgres@', '//nobody:hunter2@')
    const cases: {
      args: string[]
      env?: NodeJS.ProcessEnv
      line: RegExp
    }[] = [
      {
        args: ['--database-url', badUser],
        line: /^nereid: cannot use the database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:\d+\/nereid_test: .*role "nobody" does not exist/,
      },
      {
        args: ['--database-url', postgres.url.replace(/\/nereid_test$/, '/no_such_db')],
        line: /^nereid: cannot use the database .*\/no_such_db: .*database "no_such_db" does not exist/,
      },
      {
        args: ['--database-url', `postgres://postgres:hunter2@127.0.0.1:${port}/nereid`],
        line: new RegExp(
          `^nereid: cannot use the database .*127\\.0\\.0\\.1:${port}/nereid.*ECONNREFUSED`,
        ),
      },
      {
        args: ['--database-url', 'mysql://root@127.0.0.1/nereid'],
        line: /^nereid: the database URL must be postgres:\/\/user:password@host:5432\/database/,
      },
      {
        args: ['--blob-url', 's3://faults', ...s3Args],
        env: { AWS_ACCESS_KEY_ID: 'WRONG', AWS_SECRET_ACCESS_KEY: 'hunter2' },
        line: /^nereid: cannot use the blob storage s3:\/\/faults: .*access denied \(HTTP 403\): check AWS_ACCESS_KEY_ID/,
      },
      {
        args: ['--blob-url', 's3://no-such-bucket/nereid', ...s3Args],
        line: /^nereid: cannot use the blob storage s3:\/\/no-such-bucket\/nereid: .*"no-such-bucket".* does not exist; create it first/,
      },
      {
        args: ['--blob-url', 's3://faults', '--s3-endpoint', s3!.endpoint],
        env: { NEREID_S3_PATH_STYLE: 'maybe' },
        line: /^nereid: NEREID_S3_PATH_STYLE must be 1 or 0 \(true or false\), not "maybe"$/,
      },
      {
        args: ['--blob-url', 'http://bucket/prefix'],
        line: /^nereid: the blob URL must look like s3:\/\/bucket or s3:\/\/bucket\/prefix/,
      },
    ]
    const outcomes = await Promise.all(cases.map(({ args, env }) => failedStart(args, env)))
    outcomes.forEach((outcome, i) => {
      const lines = outcome.stderr.trimEnd().split('\n')
      expect({ code: outcome.code, stdout: outcome.stdout, lines }).toEqual({
        code: 1,
        stdout: '',
        lines: [expect.stringMatching(cases[i]!.line)],
      })
      expect(outcome.stderr).not.toContain('hunter2')
    })
  })
})

describe('storage faults under a running server', () => {
  it('answers 503 with Retry-After while PostgreSQL is down, and recovers without a restart', async () => {
    const created = await call('POST', `${project}/objects`, { kind: 'run' })
    const { object } = (await created.json()) as { object: { id: string } }
    const send = (seq: number) =>
      call('POST', `${project}/objects/${object.id}/operations`, {
        writer: 'w',
        seq,
        operations: [{ op: 'appendFloats', path: 'loss', steps: [seq], values: [seq] }],
      })
    expect((await send(1)).status).toBe(200)

    await postgres.halt!()
    const down = await send(2)
    expect(down.status).toBe(503)
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = (await down.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('SERVICE_UNAVAILABLE')
    expect(body.error.message).toMatch(/database at 127\.0\.0\.1:\d+\/nereid_test is unavailable/)

    await postgres.resume!()
    // The client retries what was not acknowledged; the pool reconnects by itself.
    let status = 0
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await send(2)).status
      if (status !== 200) await sleep(200)
    }
    expect(status).toBe(200)
    expect((await send(3)).status).toBe(200)
    const page = (await (
      await call('GET', `${project}/objects/${object.id}/series?path=loss&limit=10`)
    ).json()) as { steps: number[] }
    expect(page.steps).toEqual([1, 2, 3])
  })

  it('loses nothing the SDK logs while PostgreSQL restarts', async () => {
    const errors: NereidError[] = []
    const dataDirectory = join(dataDir, 'sdk')
    const run = await initRun({
      project: 'team/vision',
      apiToken: token,
      dataDirectory,
      capture: false,
      quiet: true,
      onError: (error) => errors.push(error),
    })
    const loss = run.field('train/loss')
    let restarted: Promise<void> | undefined
    for (let i = 0; i < 3000; i++) {
      loss.append(i * 0.5, { step: i })
      if (i === 1000) await postgres.halt!()
      // Down for about a second of logging, then back while the SDK keeps going.
      if (i === 2000) restarted = postgres.resume!()
      if (i % 100 === 99) await sleep(10)
    }
    await restarted
    const stopped = await run.stop({ timeoutMs: 120_000 })
    expect(stopped.pendingOperations).toBe(0)
    expect(await readdir(join(dataDirectory, 'async'))).toEqual([])
    expect(errors.map((error) => error.code)).toContain('SERVICE_UNAVAILABLE')

    const page = (await (
      await call('GET', `${project}/objects/${run.id!}/series?path=train/loss&limit=10000`)
    ).json()) as { total: number; steps: number[]; values: number[] }
    expect(page.total).toBe(3000)
    expect(page.steps).toEqual(Array.from({ length: 3000 }, (_, i) => i))
    expect(page.values).toEqual(Array.from({ length: 3000 }, (_, i) => i * 0.5))
  })

  it('fails an upload clearly when the bucket is unreachable, and writes no field', async () => {
    const created = await call('POST', `${project}/objects`, { kind: 'run' })
    const { object } = (await created.json()) as { object: { id: string } }
    const stored = await call(
      'PUT',
      `${project}/objects/${object.id}/files?path=before/outage`,
      new Uint8Array(1000).fill(3),
    )
    expect(stored.status).toBe(200)
    await s3!.stop()
    s3 = undefined
    const upload = await call(
      'PUT',
      `${project}/objects/${object.id}/files?path=model/weights`,
      new Uint8Array(1000).fill(7),
    )
    expect(upload.status).toBe(503)
    expect(upload.headers.get('retry-after')).toBe('5')
    const body = (await upload.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('SERVICE_UNAVAILABLE')
    expect(body.error.message).toMatch(
      /object storage \(bucket "faults" at http:\/\/127\.0\.0\.1:\d+\)/,
    )
    const field = await call('GET', `${project}/objects/${object.id}/field?path=model/weights`)
    expect(field.status).toBe(404)
    // What was stored before the outage is untouched; reading its bytes waits for the bucket.
    const before = await call('GET', `${project}/objects/${object.id}/field?path=before/outage`)
    expect(before.status).toBe(200)
    const download = await call('GET', `${project}/objects/${object.id}/files?path=before/outage`)
    expect(download.status).toBe(503)
    expect(download.headers.get('retry-after')).toBe('5')
  })
})
