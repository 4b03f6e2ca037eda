import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { createRun, seedProject, write } from '../../test/conformance/conformance-context.js'
import { createSqliteStore } from '../dialects/sqlite/sqlite-store.js'
import { decodeBlockSummary, STATS_HEAD_BYTES } from '../series/block-stats.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

/** Rewrites every stats BLOB as format 1 wrote it (no block summary), as before 0008. */
function downgradeToFormat1(filename: string): number {
  const db = new Database(filename)
  try {
    const rows = db.prepare('select series_id, block_no, stats from series_block_stats').all() as {
      series_id: number
      block_no: number
      stats: Buffer
    }[]
    const update = db.prepare(
      'update series_block_stats set stats = ? where series_id = ? and block_no = ?',
    )
    for (const row of rows) {
      const old = Buffer.alloc(row.stats.length - (STATS_HEAD_BYTES - 8))
      row.stats.copy(old, 0, 0, 8)
      row.stats.copy(old, 8, STATS_HEAD_BYTES)
      old[0] = 1
      update.run(old, row.series_id, row.block_no)
    }
    db.prepare("delete from nereid_migrations where name = '0008-block-summaries'").run()
    return rows.length
  } finally {
    db.close()
  }
}

function statsVersions(filename: string): number[] {
  const db = new Database(filename, { readonly: true })
  try {
    const rows = db.prepare('select stats from series_block_stats').all() as { stats: Buffer }[]
    return [...new Set(rows.map((row) => row.stats[0]!))]
  } finally {
    db.close()
  }
}

describe('migration 0008: block summaries', () => {
  it('rewrites format-1 stats with a summary and keeps every chart read the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nereid-0008-'))
    dirs.push(dir)
    const filename = join(dir, 'nereid.db')
    let store = createSqliteStore({ filename })
    expect((await store.migrate()).error).toBeUndefined()
    const { project } = await seedProject(store)
    const run = await createRun(store, project.id, 1000)
    // Over two batches of the migration (1,000 rows each), across two series.
    const values = Array.from({ length: 1300 * 1024 + 77 }, (_, i) => Math.sin(i / 300))
    const half = 700_000
    await write(
      store,
      run.id,
      [{ op: 'appendFloats', path: 'a', values: values.slice(0, half) }],
      2,
    )
    await write(store, run.id, [{ op: 'appendFloats', path: 'a', values: values.slice(half) }], 3)
    await write(store, run.id, [{ op: 'appendFloats', path: 'b', values: [1, 'NaN', 3] }], 4)
    const requests = [
      { buckets: 1000, x: 'step' },
      { buckets: 300, x: 'step', from: 5000.5, to: 900_000 },
      { buckets: 50, x: 'time' },
    ] as const
    const before = []
    for (const request of requests) before.push(await store.series.buckets(run.id, 'a', request))
    const small = await store.series.buckets(run.id, 'b', { buckets: 10, x: 'step' })
    await store.close()

    expect(downgradeToFormat1(filename)).toBe(1302)
    expect(statsVersions(filename)).toEqual([1])
    store = createSqliteStore({ filename })
    // Format-1 rows are still read correctly before the migration runs.
    expect(await store.series.buckets(run.id, 'a', requests[0])).toEqual(before[0])
    const migrated = await store.migrate()
    expect(migrated.error).toBeUndefined()
    expect(migrated.results).toEqual([
      { name: '0008-block-summaries', direction: 'Up', status: 'Success' },
    ])
    for (const [i, request] of requests.entries()) {
      expect(await store.series.buckets(run.id, 'a', request)).toEqual(before[i])
    }
    expect(await store.series.buckets(run.id, 'b', { buckets: 10, x: 'step' })).toEqual(small)
    const page = await store.series.page(run.id, 'a', { offset: 1_000_000, limit: 2 })
    expect(Array.from(page!.points.values as Float64Array)).toEqual(
      values.slice(1_000_000, 1_000_002),
    )
    await store.close()

    expect(statsVersions(filename)).toEqual([2])
    const db = new Database(filename, { readonly: true })
    const head = db.prepare('select stats from series_block_stats limit 1').get() as {
      stats: Buffer
    }
    db.close()
    expect(decodeBlockSummary(head.stats)).not.toBeNull()
  })
})
