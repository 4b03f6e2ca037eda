import { createServer } from 'node:net'
import { isNereidError } from '@nereid/core'
import { afterAll, describe, expect, it } from 'vitest'
import { createPostgresStore } from '../src/index.js'
import type { Store } from '../src/store.js'
import { createRun, prepare, seedProject } from './conformance/conformance-context.js'
import { startTestPostgres } from './support/test-postgres.js'

// A cluster of its own: these tests stop and start it.
const server = await startTestPostgres({ dedicated: true })
const opened: Store[] = []
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()))
  await server.stop()
})

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

describe('postgres: faults', () => {
  it('refuses a malformed URL before connecting, saying what is wrong', () => {
    expect(() => createPostgresStore({ connectionString: 'mysql://x@host/db' })).toThrow(
      /must start with postgres:\/\//,
    )
    expect(() => createPostgresStore({ connectionString: 'postgres://user:secret@host' })).toThrow(
      /names no database.*postgres:\/\/…@host\/nereid/,
    )
    expect(() => createPostgresStore({ connectionString: 'postgres://u:secret@host' })).not.toThrow(
      /secret/,
    )
    expect(() =>
      createPostgresStore({ connectionString: 'postgres://h/db', schema: 'Bad-Name' }),
    ).toThrow(/schema "Bad-Name"/)
  })

  it('answers "unavailable" at once when nothing listens, naming where it tried', async () => {
    const port = await closedPort()
    const store = createPostgresStore({
      connectionString: `postgres://postgres:hunter2@127.0.0.1:${port}/nereid`,
    })
    opened.push(store)
    const error = await store.accounts.countUsers().catch((e: unknown) => e)
    expect(isNereidError(error)).toBe(true)
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { retryAfterSeconds: 2 },
    })
    expect((error as Error).message).toContain(`127.0.0.1:${port}/nereid`)
    expect((error as Error).message).toContain('ECONNREFUSED')
    expect((error as Error).message).not.toContain('hunter2')
    await expect(store.locks.runExclusive('x', async () => 1)).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
    })
  })

  it('says when the database does not exist', async () => {
    const store = createPostgresStore({
      connectionString: server.url.replace(/\/nereid_test$/, '/no_such_db'),
    })
    opened.push(store)
    await expect(store.migrate()).resolves.toMatchObject({
      error: {
        code: 'SERVICE_UNAVAILABLE',
        message: expect.stringMatching(/no_such_db.*does not exist/),
      },
    })
  })

  it('loses nothing acknowledged across a restart and reconnects by itself', async () => {
    const store = createPostgresStore({ connectionString: server.url, connectTimeoutMs: 1000 })
    opened.push(store)
    const migrated = await store.migrate()
    expect(migrated.error).toBeUndefined()
    const { project } = await seedProject(store)
    const run = await createRun(store, project.id, 1_000)

    const batches = 60
    let unavailable = 0
    let restarted: Promise<void> | undefined
    for (let b = 0; b < batches; b++) {
      const values = Array.from({ length: 100 }, (_, i) => b * 100 + i)
      const batch = {
        writer: 'w',
        seq: b + 1,
        operations: prepare([{ op: 'appendFloats', path: 'loss', steps: values, values }]),
      }
      if (b === 20) {
        await server.halt!()
        restarted = new Promise((resolve) => setTimeout(resolve, 300)).then(server.resume!)
      }
      // A client's loop: retry what was not acknowledged, as the SDKs do on 503.
      for (;;) {
        try {
          const result = await store.ingest.applyBatch(run.id, batch, { now: 2_000 + b })
          expect(result.acknowledgedSeq).toBe(b + 1)
          break
        } catch (error) {
          expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
          unavailable++
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
    }
    await restarted
    expect(unavailable).toBeGreaterThan(0)
    const page = await store.series.page(run.id, 'loss', { limit: batches * 100 + 1 })
    expect(page?.total).toBe(batches * 100)
    expect(Array.from(page!.points.steps)).toEqual(
      Array.from({ length: batches * 100 }, (_, i) => i),
    )
  })
})
