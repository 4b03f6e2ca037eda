import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOperation } from '@nereid/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../dialects/sqlite/sqlite-store.js'
import type { OperationBatch, Store } from '../store.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A real SQLite store (one writer: batches are group-committed) with one project. */
async function setup(): Promise<{ store: Store; projectId: string; newRun(): Promise<string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nereid-group-commit-'))
  dirs.push(dir)
  const store = createSqliteStore({ filename: join(dir, 'nereid.db') })
  const migrated = await store.migrate()
  if (migrated.error) throw migrated.error
  const user = await store.accounts.createUser({ username: 'alice', isAdmin: true, now: 1 })
  const workspace = await store.workspaces.create({ name: 'team', now: 1 })
  await store.workspaces.addMember({
    workspaceId: workspace.id,
    userId: user.id,
    role: 'owner',
    now: 1,
  })
  const project = await store.projects.create({
    workspaceId: workspace.id,
    name: 'vision',
    key: 'CLS',
    owner: 'alice',
    now: 1,
  })
  return {
    store,
    projectId: project.id,
    async newRun() {
      const { object } = await store.objects.create({
        projectId: project.id,
        kind: 'run',
        owner: 'alice',
        now: 1,
      })
      return object.id
    },
  }
}

function appendBatch(
  path: string,
  steps: number[],
  values = steps.map((s) => s / 10),
  writer?: { writer: string; seq: number },
): OperationBatch {
  return {
    ...writer,
    operations: [parseOperation({ op: 'appendFloats', path, steps, values })],
  }
}

async function stepsAndValues(store: Store, objectId: string, path: string) {
  const page = await store.series.page(objectId, path, { limit: 100_000 })
  return {
    steps: Array.from(page!.points.steps),
    values: Array.from(page!.points.values as Float64Array),
  }
}

describe('group commit of concurrent batches', () => {
  it('applies batches submitted together in arrival order, each answered on its own', async () => {
    const { store, newRun } = await setup()
    const [a, b] = [await newRun(), await newRun()]
    const submitted = []
    for (let i = 0; i < 20; i++) {
      const steps = [i * 3, i * 3 + 1, i * 3 + 2]
      submitted.push(
        store.ingest.applyBatch(i % 2 ? b : a, appendBatch('loss', steps), { now: 10 + i }),
      )
    }
    const results = await Promise.all(submitted)
    expect(results.every((result) => result.results[0]!.ok)).toBe(true)
    const expected = (parity: number) =>
      Array.from({ length: 10 }, (_, k) => 2 * k + parity).flatMap((i) => [
        i * 3,
        i * 3 + 1,
        i * 3 + 2,
      ])
    expect((await stepsAndValues(store, a, 'loss')).steps).toEqual(expected(0))
    expect((await stepsAndValues(store, b, 'loss')).steps).toEqual(expected(1))
    await store.close()
  })

  it('applies a batch retried while the first copy is still pending once', async () => {
    const { store, newRun } = await setup()
    const run = await newRun()
    const batch = () => appendBatch('loss', [0, 1], [5, 6], { writer: 'w', seq: 1 })
    const [first, retry] = await Promise.all([
      store.ingest.applyBatch(run, batch(), { now: 2 }),
      store.ingest.applyBatch(run, batch(), { now: 2 }),
    ])
    expect(first).toEqual({ results: [{ ok: true }], acknowledgedSeq: 1 })
    expect(retry).toEqual({ results: [{ ok: true, duplicate: true }], acknowledgedSeq: 1 })
    expect(await stepsAndValues(store, run, 'loss')).toEqual({ steps: [0, 1], values: [5, 6] })
    await store.close()
  })

  it('fails only the batch whose object is gone and applies the rest of its group', async () => {
    const { store, newRun } = await setup()
    const [a, b] = [await newRun(), await newRun()]
    const outcomes = await Promise.allSettled([
      store.ingest.applyBatch(a, appendBatch('loss', [0]), { now: 2 }),
      store.ingest.applyBatch('00000000-0000-0000-0000-000000000000', appendBatch('loss', [0]), {
        now: 2,
      }),
      store.ingest.applyBatch(b, appendBatch('loss', [0, 1]), { now: 2 }),
    ])
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { results: [{ ok: true }] } })
    expect(outcomes[1]).toMatchObject({
      status: 'rejected',
      reason: { code: 'OBJECT_NOT_FOUND' },
    })
    expect(outcomes[2]).toMatchObject({ status: 'fulfilled', value: { results: [{ ok: true }] } })
    expect((await stepsAndValues(store, a, 'loss')).steps).toEqual([0])
    expect((await stepsAndValues(store, b, 'loss')).steps).toEqual([0, 1])
    await store.close()
  })
})

describe('tail block of a series kept in memory', () => {
  it('merges small appends into the open block and reads them back exactly', async () => {
    const { store, newRun } = await setup()
    const run = await newRun()
    for (let i = 0; i < 150; i++) {
      const steps = Array.from({ length: 10 }, (_, k) => i * 10 + k)
      await store.ingest.applyBatch(run, appendBatch('loss', steps), { now: 2 + i })
    }
    const { steps, values } = await stepsAndValues(store, run, 'loss')
    expect(steps).toEqual(Array.from({ length: 1500 }, (_, i) => i))
    expect(values).toEqual(Array.from({ length: 1500 }, (_, i) => i / 10))
    await store.close()
  })

  it('does not use the tail of an append that was rolled back', async () => {
    const { store, projectId, newRun } = await setup()
    const run = await newRun()
    await store.ingest.applyBatch(run, appendBatch('loss', [0, 1, 2]), { now: 2 })
    // The next append is written to the tail block, then rolled back: over the storage limit.
    const used = (await store.usage.project(projectId)).total
    await store.projects.update(projectId, { storageLimitBytes: used + 10 })
    const refused = await store.ingest.applyBatch(run, appendBatch('loss', [3, 4], [9, 9]), {
      now: 3,
    })
    expect(refused.results[0]).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } })
    await store.projects.update(projectId, { storageLimitBytes: null })
    const accepted = await store.ingest.applyBatch(run, appendBatch('loss', [3, 4], [7, 8]), {
      now: 4,
    })
    expect(accepted.results[0]).toEqual({ ok: true })
    expect(await stepsAndValues(store, run, 'loss')).toEqual({
      steps: [0, 1, 2, 3, 4],
      values: [0, 0.1, 0.2, 7, 8],
    })
    await store.close()
  })

  it('starts from an empty block after the series is cleared', async () => {
    const { store, newRun } = await setup()
    const run = await newRun()
    await store.ingest.applyBatch(run, appendBatch('loss', [0, 1, 2]), { now: 2 })
    await store.ingest.applyBatch(
      run,
      {
        operations: [
          parseOperation({ op: 'clearSeries', path: 'loss', seriesType: 'floatSeries' }),
        ],
      },
      { now: 3 },
    )
    await store.ingest.applyBatch(run, appendBatch('loss', [5], [1]), { now: 4 })
    await store.ingest.applyBatch(run, appendBatch('loss', [6], [2]), { now: 5 })
    expect(await stepsAndValues(store, run, 'loss')).toEqual({ steps: [5, 6], values: [1, 2] })
    await store.close()
  })
})
