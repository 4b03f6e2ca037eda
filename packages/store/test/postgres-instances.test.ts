import { afterAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { createPostgresStore } from '../src/index.js'
import type { Store } from '../src/store.js'
import { createRun, prepare, seedProject } from './conformance/conformance-context.js'
import { startTestPostgres } from './support/test-postgres.js'

// Several server processes on one database, each with its own pool, as two Store instances
// on one schema.
const server = await startTestPostgres()
const schema = `instances_${process.pid}`
const opened: Store[] = []

function open(): Store {
  const store = createPostgresStore({ connectionString: server.url, schema, maxConnections: 6 })
  opened.push(store)
  return store
}

afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()))
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  await admin.query(`drop schema if exists "${schema}" cascade`)
  await admin.end()
  await server.stop()
})

const first = open()
const second = open()
const migrated = await Promise.all([first.migrate(), second.migrate()])
const { project } = await seedProject(first)

describe('postgres: several instances on one database', () => {
  it('migrates once when instances start together', () => {
    for (const result of migrated) expect(result.error).toBeUndefined()
    const applied = migrated.flatMap((result) =>
      result.results.filter((r) => r.status === 'Success').map((r) => r.name),
    )
    expect(new Set(applied).size).toBe(applied.length)
  })

  it('gives one run to writers creating the same custom run id on different instances', async () => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? first : second).objects.create({
          projectId: project.id,
          kind: 'run',
          owner: 'alice',
          now: 1_000,
          customRunId: 'shared-run',
        }),
      ),
    )
    expect(new Set(created.map((c) => c.object.id)).size).toBe(1)
    expect(created.filter((c) => c.created)).toHaveLength(1)
  })

  it('numbers runs created at once on different instances without gaps or repeats', async () => {
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createRun(i % 2 ? first : second, project.id, 2_000)),
    )
    const numbers = runs.map((run) => Number(run.shortId.split('-')[1])).sort((a, b) => a - b)
    expect(new Set(numbers).size).toBe(12)
    expect(numbers.at(-1)! - numbers[0]!).toBe(11)
  })

  it('keeps every point of concurrent writers of one run, steps in order', async () => {
    const run = await createRun(first, project.id, 3_000, { customRunId: 'many-writers' })
    const writers = 4
    const batches = 15
    const perBatch = 50
    // Each writer appends its own series and a shared one with implicit steps, alternating
    // between the instances batch by batch.
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let b = 0; b < batches; b++) {
          const store = (w + b) % 2 === 0 ? first : second
          const values = Array.from({ length: perBatch }, (_, i) => b * perBatch + i)
          const result = await store.ingest.applyBatch(
            run.id,
            {
              writer: `writer-${w}`,
              seq: b * 3 + 1,
              operations: prepare([
                {
                  op: 'appendFloats',
                  path: `own/${w}`,
                  steps: values,
                  values,
                  timestamps: values.map((v) => 1_000_000 + v),
                },
                { op: 'appendFloats', path: 'shared/loss', values },
                { op: 'assignInt', path: `progress/${w}`, value: b },
              ]),
            },
            { now: 4_000 + b },
          )
          expect(result.results.every((r) => r.ok)).toBe(true)
          expect(result.acknowledgedSeq).toBe(b * 3 + 3)
        }
      }),
    )
    const total = batches * perBatch
    for (let w = 0; w < writers; w++) {
      const page = await second.series.page(run.id, `own/${w}`, { limit: total + 1 })
      expect(page?.total).toBe(total)
      expect(Array.from(page!.points.steps)).toEqual(Array.from({ length: total }, (_, i) => i))
    }
    const shared = await first.series.page(run.id, 'shared/loss', { limit: 10_000 })
    expect(shared?.total).toBe(writers * total)
    const steps = Array.from(shared!.points.steps)
    expect(steps).toEqual(Array.from({ length: writers * total }, (_, i) => i))
    const progress = await first.fields.list(run.id)
    for (let w = 0; w < writers; w++) {
      expect(progress.find((f) => f.path === `progress/${w}`)?.value).toEqual({
        type: 'int',
        value: batches - 1,
      })
    }
  })

  it('applies a batch retried through the other instance once', async () => {
    const run = await createRun(first, project.id, 5_000)
    const batch = {
      writer: 'retrier',
      seq: 1,
      operations: prepare([{ op: 'appendFloats', path: 'x', steps: [1, 2], values: [1, 2] }]),
    }
    await first.ingest.applyBatch(run.id, batch, { now: 5_001 })
    const again = await second.ingest.applyBatch(run.id, batch, { now: 5_002 })
    expect(again.results).toEqual([{ ok: true, duplicate: true }])
    expect((await second.series.page(run.id, 'x', { limit: 10 }))?.total).toBe(2)
  })

  it('reads what the batch it waited for committed: a retry that arrives mid-commit is applied once', async () => {
    const run = await createRun(first, project.id, 6_000)
    await first.ingest.applyBatch(
      run.id,
      {
        writer: 'mid-commit',
        seq: 1,
        operations: prepare([{ op: 'appendFloats', path: 'y', steps: [1], values: [1] }]),
      },
      { now: 6_001 },
    )
    // Batch 2, still applying on another instance: it holds the run's row and has written its
    // point, the run's totals and its writer position, not yet committed.
    const original = new pg.Client({
      connectionString: server.url,
      options: `-c search_path=${schema}`,
    })
    await original.connect()
    await original.query('begin')
    await original.query('select id from objects where id = $1 for update', [run.id])
    await original.query('update objects set modified_at = 6002 where id = $1', [run.id])
    await original.query('update series set last_step = 2, count = 2 where object_id = $1', [
      run.id,
    ])
    await original.query(
      'update writer_positions set last_seq = 2 where object_id = $1 and writer = $2',
      [run.id, 'mid-commit'],
    )
    // Its retry, through this instance, waits for the run's row; batch 2 commits meanwhile.
    const retry = second.ingest.applyBatch(
      run.id,
      {
        writer: 'mid-commit',
        seq: 2,
        operations: prepare([{ op: 'appendFloats', path: 'y', steps: [2], values: [2] }]),
      },
      { now: 6_003 },
    )
    await new Promise((resolve) => setTimeout(resolve, 200))
    await original.query('commit')
    await original.end()
    expect((await retry).results).toEqual([{ ok: true, duplicate: true }])
  })
})

describe('postgres: locks across instances', () => {
  it('runs exclusive work on one instance at a time', async () => {
    let inside = 0
    let most = 0
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? first : second).locks.runExclusive('counter', async () => {
          inside++
          most = Math.max(most, inside)
          await new Promise((resolve) => setTimeout(resolve, 20))
          inside--
        }),
      ),
    )
    expect(most).toBe(1)
  })

  it('lets a try fail at once while another instance holds the lock', async () => {
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let entered!: () => void
    const inside = new Promise<void>((resolve) => (entered = resolve))
    const holder = first.locks.runExclusive('job', async () => {
      entered()
      await held
      return 'done'
    })
    await inside
    expect(await second.locks.tryRunExclusive('job', async () => 'ran')).toEqual({
      acquired: false,
    })
    release()
    expect(await holder).toBe('done')
    expect(await second.locks.tryRunExclusive('job', async () => 'ran')).toEqual({
      acquired: true,
      value: 'ran',
    })
  })

  it('shares a lock among shared holders and keeps an exclusive holder apart', async () => {
    const events: string[] = []
    let releaseShared!: () => void
    const sharedHeld = new Promise<void>((resolve) => (releaseShared = resolve))
    let sharedIn = 0
    let bothIn!: () => void
    const bothInside = new Promise<void>((resolve) => (bothIn = resolve))
    const readers = [first, second].map((store) =>
      store.locks.runShared('blobs', async () => {
        if (++sharedIn === 2) bothIn()
        await sharedHeld
        events.push('shared done')
      }),
    )
    await bothInside
    const writer = first.locks.runExclusive('blobs', async () => {
      events.push('exclusive')
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(events).toEqual([])
    releaseShared()
    await Promise.all([...readers, writer])
    expect(events).toEqual(['shared done', 'shared done', 'exclusive'])
  })

  it('releases a lock when its work fails', async () => {
    await expect(
      first.locks.runExclusive('failing', async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await second.locks.tryRunExclusive('failing', async () => 1)).toEqual({
      acquired: true,
      value: 1,
    })
  })
})

describe('postgres: background jobs across instances', () => {
  it('lets one instance claim a round when several claim it at once', async () => {
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? first : second).jobs.claim('simultaneous', 50_000, 10_000),
      ),
    )
    expect(claims.filter(Boolean)).toHaveLength(1)
  })

  it('runs each round of a periodic job once, on whichever instance gets there first', async () => {
    // What every server's job timer does on each tick: take the job's lock without waiting,
    // then claim the round; only the winner works.
    const intervalMs = 100
    const rounds: { instance: number; at: number }[] = []
    let inside = 0
    let most = 0
    const tick = (store: Store, instance: number) =>
      store.locks.tryRunExclusive('job:sweep', async () => {
        const at = Date.now()
        if (!(await store.jobs.claim('sweep', at, intervalMs))) return
        inside++
        most = Math.max(most, inside)
        rounds.push({ instance, at })
        await new Promise((resolve) => setTimeout(resolve, 5))
        inside--
      })
    const until = Date.now() + 1_500
    await Promise.all(
      [first, second].map(async (store, instance) => {
        while (Date.now() < until) {
          await tick(store, instance)
          await new Promise((resolve) => setTimeout(resolve, 10 + instance * 3))
        }
      }),
    )
    expect(most).toBe(1)
    expect(rounds.length).toBeGreaterThanOrEqual(3)
    // Two instances ticking every ~10 ms would run it about 250 times without coordination.
    expect(rounds.length).toBeLessThanOrEqual(1_500 / intervalMs + 1)
    for (let i = 1; i < rounds.length; i++) {
      expect(rounds[i]!.at - rounds[i - 1]!.at).toBeGreaterThanOrEqual(intervalMs)
    }
  })
})
