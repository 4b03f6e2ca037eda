import type { Kysely } from 'kysely'
import { upgradeBlockStats } from '../series/block-stats.js'

interface StatsTable {
  series_block_stats: {
    series_id: number | bigint | string
    block_no: number | bigint | string
    stats: Uint8Array
  }
}

const BATCH = 1000

/**
 * Series block stats gain a summary of the whole block at the head of their BLOB (format 2,
 * see series/block-stats.ts), so a zoomed-out chart fetches per-block aggregates instead of
 * every sub-chunk record. Rewrites the format-1 BLOBs already stored, in key order and in
 * batches, so the memory used does not grow with the store.
 */
export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<StatsTable>
  let after: { seriesId: number; blockNo: number } | null = null
  for (;;) {
    let query = db
      .selectFrom('series_block_stats')
      .select(['series_id', 'block_no', 'stats'])
      .orderBy('series_id')
      .orderBy('block_no')
      .limit(BATCH)
    if (after !== null) {
      const { seriesId, blockNo } = after
      query = query.where((eb) =>
        eb.or([
          eb('series_id', '>', seriesId),
          eb.and([eb('series_id', '=', seriesId), eb('block_no', '>', blockNo)]),
        ]),
      )
    }
    const rows = await query.execute()
    for (const row of rows) {
      const upgraded = upgradeBlockStats(row.stats)
      if (upgraded === row.stats) continue
      await db
        .updateTable('series_block_stats')
        .set({ stats: upgraded })
        .where('series_id', '=', row.series_id)
        .where('block_no', '=', row.block_no)
        .execute()
    }
    const last = rows[rows.length - 1]
    if (last === undefined || rows.length < BATCH) return
    after = { seriesId: Number(last.series_id), blockNo: Number(last.block_no) }
  }
}
