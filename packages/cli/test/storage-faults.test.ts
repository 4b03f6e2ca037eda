import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestPostgres } from '../../store/test/support/test-postgres.js'
import { startTestS3, type TestS3 } from '../../store/test/support/test-s3.js'
import { runCli, startServerProcess, type ServerProcess } from './support/server-process.js'

// A server on PostgreSQL and a bucket, with both taken away under it: a cluster of its own
// (the test stops and starts it) and an s3rver the test stops.
const postgres = await startTestPostgres({ dedicated: true })
let s3: TestS3 | undefined = await startTestS3('faults')
process.env.AWS_ACCESS_KEY_ID = s3.credentials.accessKeyId
process.env.AWS_SECRET_ACCESS_KEY = s3.credentials.secretAccessKey
const storageArgs = [
  '--database-url',
  postgres.url,
  '--blob-url',
  's3://faults',
  '--s3-endpoint',
  s3.endpoint,
  '--s3-path-style',
]

let dataDir: string
let server: ServerProcess
let token: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'nereid-faults-'))
  token = (
    await runCli([
      'admin',
      'bootstrap',
      '--workspace',
      'team',
      '--project',
      'vision',
      '--data',
      dataDir,
      ...storageArgs,
    ])
  ).stdout.trim()
  server = await startServerProcess(dataDir, storageArgs)
}, 120_000)

afterAll(async () => {
  server.child.kill('SIGTERM')
  await server.exited
  await s3?.stop()
  await postgres.stop()
  await rm(dataDir, { recursive: true, force: true })
})

const project = '/api/v1/projects/team/vision'

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
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(status).toBe(200)
    expect((await send(3)).status).toBe(200)
    const page = (await (
      await call('GET', `${project}/objects/${object.id}/series?path=loss&limit=10`)
    ).json()) as { steps: number[] }
    expect(page.steps).toEqual([1, 2, 3])
  })

  it('fails an upload clearly when the bucket is unreachable, and writes no field', async () => {
    const created = await call('POST', `${project}/objects`, { kind: 'run' })
    const { object } = (await created.json()) as { object: { id: string } }
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
    expect(body.error.message).toMatch(
      /object storage \(bucket "faults" at http:\/\/127\.0\.0\.1:\d+\)/,
    )
    const field = await call('GET', `${project}/objects/${object.id}/field?path=model/weights`)
    expect(field.status).toBe(404)
  })
})
