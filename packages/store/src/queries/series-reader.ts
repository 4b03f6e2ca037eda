import { sql, type Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { StoreContext } from '../store-context.js'
import type { BucketRequest, SeriesReader } from '../store.js'
import {
  decodeBlock,
  type BlockStatsCache,
  downsample,
  readPage,
  STATS_HEAD_BYTES,
  type BlockStatsRow,
  type DecodedBlock,
  type FloatColumns,
} from '../series/index.js'

interface SeriesRef {
  id: number
  type: 'floatSeries' | 'stringSeries' | 'fileSeries'
  /** Blocks written so far (block numbers run from 0). */
  blocks: number
  firstStep: number | null
  lastStep: number | null
  /** The series row's summary, which every write changes (see SeriesHeadsCache). */
  version: string
}

/**
 * Blocks per bucket from which a chart read that the cache cannot serve fetches only the head
 * of each stats BLOB. Each bucket edge cuts a block whose whole BLOB is then fetched a second
 * time, so heads pay off only when most blocks sit inside one bucket; below this, one query of
 * whole BLOBs is faster (on SQLite it costs about what the heads alone do).
 */
const HEAD_READ_BLOCKS_PER_BUCKET = 4

export function createSeriesReader(context: StoreContext): SeriesReader {
  const { db, blockStats, seriesHeads } = context

  async function findSeries(objectId: string, path: string): Promise<SeriesRef | null> {
    // One statement (object, path id, series row): on PostgreSQL each round trip costs more
    // than finding the rows.
    const row = await db
      .selectFrom('objects as o')
      .innerJoin('paths as p', (join) =>
        join.onRef('p.project_id', '=', 'o.project_id').on('p.path', '=', path),
      )
      .innerJoin('series as s', (join) =>
        join.onRef('s.object_id', '=', 'o.id').onRef('s.path_id', '=', 'p.id'),
      )
      .select([
        's.id',
        's.type',
        's.count',
        's.finite_count',
        's.next_block',
        's.tail_count',
        's.first_step',
        's.last_step',
        's.last_ts',
        's.min',
        's.max',
        's.sum',
        's.sum_sq',
        's.last_value',
      ])
      .where('o.id', '=', objectId)
      .executeTakeFirst()
    if (!row) return null
    return {
      id: Number(row.id),
      type: row.type as SeriesRef['type'],
      blocks: Number(row.next_block),
      firstStep: row.first_step === null ? null : Number(row.first_step),
      lastStep: row.last_step === null ? null : Number(row.last_step),
      version: JSON.stringify([
        row.count,
        row.finite_count,
        row.next_block,
        row.tail_count,
        row.first_step,
        row.last_step,
        row.last_ts,
        row.min,
        row.max,
        row.sum,
        row.sum_sq,
        row.last_value,
      ]),
    }
  }

  /** Whether the range of a chart read holds enough blocks per bucket to read heads first. */
  function readsHeads(series: SeriesRef, request: BucketRequest): boolean {
    let blocks = series.blocks
    const { firstStep, lastStep } = series
    if (request.x === 'step' && firstStep !== null && lastStep !== null && lastStep > firstStep) {
      const from = Math.max(firstStep, request.from ?? firstStep)
      const to = Math.min(lastStep, request.to ?? lastStep)
      blocks *= Math.max(0, to - from) / (lastStep - firstStep)
    }
    return blocks >= HEAD_READ_BLOCKS_PER_BUCKET * request.buckets
  }

  /**
   * The stats rows of a chart read the cache cannot serve. Whole BLOBs read go to the block
   * cache, and the rows of a whole series (as heads) to the series cache, for the next read.
   */
  async function readStatsRows(series: SeriesRef, request: BucketRequest) {
    const bounded = request.x === 'step' && (request.from !== undefined || request.to !== undefined)
    const headsOnly = readsHeads(series, request)
    const rows = await statsRows(
      db,
      series.id,
      bounded ? request.from : undefined,
      bounded ? request.to : undefined,
      headsOnly,
    )
    if (!headsOnly) {
      for (const row of rows) row.stats = blockStats.set(series.id, row.blockNo, row.stats)
    }
    if (!bounded) {
      // Copies of the heads: views would keep evicted BLOBs alive.
      const heads = headsOnly
        ? rows
        : rows.map((row) => ({ ...row, stats: row.stats.slice(0, STATS_HEAD_BYTES) }))
      seriesHeads.set(series.id, series.version, heads)
    }
    return rows
  }

  return {
    async page(objectId, path, request) {
      const series = await findSeries(objectId, path)
      if (!series) return null
      const rows = await statsRows(db, series.id, request.fromStep, request.toStep)
      return readPage(request, rows, (blockNos) => loadBlocks(db, series.id, blockNos), series.type)
    },

    async buckets(objectId, path, request) {
      const series = await findSeries(objectId, path)
      if (!series || series.type !== 'floatSeries') return null
      // Heads from the cache, and the sub-chunk records of blocks that have not changed.
      const rows =
        seriesHeads.get(series.id, series.version) ?? (await readStatsRows(series, request))
      return downsample(
        request,
        rows,
        async (blockNos) => {
          const decoded = await loadBlocks(db, series.id, blockNos)
          const floats = new Map<number, FloatColumns>()
          for (const [blockNo, block] of decoded)
            if (block.type === 'floatSeries') floats.set(blockNo, block)
          return floats
        },
        (blockNos) => loadCachedStats(blockStats, db, series.id, rows, blockNos),
      )
    },

    async fileAt(objectId, path, index) {
      const series = await findSeries(objectId, path)
      if (!series || series.type !== 'fileSeries' || index < 0) return null
      const page = await readPage(
        { offset: index, limit: 1 },
        await statsRows(db, series.id),
        (blockNos) => loadBlocks(db, series.id, blockNos),
        series.type,
      )
      return page.points.type === 'fileSeries' ? (page.points.values[0] ?? null) : null
    },
  }
}

/**
 * Stats rows of a series in block order, optionally only those overlapping a step range.
 * `headOnly` fetches only the head of each stats BLOB (header and block summary): a chart of
 * 1 M points then moves about 100 KB instead of 2.7 MB, and `loadStats` fetches the rest for
 * the few blocks that need it.
 */
async function statsRows(
  db: Kysely<Database>,
  seriesId: number,
  fromStep?: number,
  toStep?: number,
  headOnly = false,
): Promise<BlockStatsRow[]> {
  // substr counts bytes on a BLOB (SQLite) and on a bytea (PostgreSQL) alike.
  const stats = headOnly
    ? sql<Uint8Array>`substr(stats, 1, ${sql.lit(STATS_HEAD_BYTES)})`.as('stats')
    : sql<Uint8Array>`stats`.as('stats')
  let query = db
    .selectFrom('series_block_stats')
    .select(['block_no', 'count', 'first_step', 'last_step', 'min_ts', 'max_ts', stats])
    .where('series_id', '=', seriesId)
  if (fromStep !== undefined) query = query.where('last_step', '>=', fromStep)
  if (toStep !== undefined) query = query.where('first_step', '<=', toStep)
  const rows = await query.orderBy('block_no').execute()
  return rows.map((row) => ({
    blockNo: Number(row.block_no),
    count: Number(row.count),
    firstStep: Number(row.first_step),
    lastStep: Number(row.last_step),
    minTs: Number(row.min_ts),
    maxTs: Number(row.max_ts),
    stats: row.stats,
  }))
}

/**
 * Whole stats BLOBs of some blocks of a series: those whose cached copy still has the head
 * that `rows` read from the database come from `cache`, the others from the database (and are
 * kept for the next read).
 */
async function loadCachedStats(
  cache: BlockStatsCache,
  db: Kysely<Database>,
  seriesId: number,
  rows: BlockStatsRow[],
  blockNos: number[],
): Promise<Map<number, Uint8Array>> {
  const heads = new Map<number, Uint8Array>()
  for (const row of rows) heads.set(row.blockNo, row.stats)
  const out = new Map<number, Uint8Array>()
  const missing: number[] = []
  for (const blockNo of blockNos) {
    const head = heads.get(blockNo)
    const cached = head === undefined ? null : cache.get(seriesId, blockNo, head)
    if (cached) out.set(blockNo, cached)
    else missing.push(blockNo)
  }
  for (const [blockNo, stats] of await loadStats(db, seriesId, missing)) {
    out.set(blockNo, cache.set(seriesId, blockNo, stats))
  }
  return out
}

/** Whole stats BLOBs of some blocks of a series. */
async function loadStats(
  db: Kysely<Database>,
  seriesId: number,
  blockNos: number[],
): Promise<Map<number, Uint8Array>> {
  const out = new Map<number, Uint8Array>()
  if (blockNos.length === 0) return out
  let first = Infinity
  let last = -Infinity
  for (const blockNo of blockNos) {
    if (blockNo < first) first = blockNo
    if (blockNo > last) last = blockNo
  }
  // When most blocks of a stretch are wanted (a chart whose buckets are narrower than a
  // block), one range scan beats lists of parameters.
  if (blockNos.length * 2 >= last - first + 1) {
    const rows = await db
      .selectFrom('series_block_stats')
      .select(['block_no', 'stats'])
      .where('series_id', '=', seriesId)
      .where('block_no', '>=', first)
      .where('block_no', '<=', last)
      .execute()
    const wanted = new Set(blockNos)
    for (const row of rows) {
      const blockNo = Number(row.block_no)
      if (wanted.has(blockNo)) out.set(blockNo, row.stats)
    }
    return out
  }
  for (let start = 0; start < blockNos.length; start += 500) {
    const rows = await db
      .selectFrom('series_block_stats')
      .select(['block_no', 'stats'])
      .where('series_id', '=', seriesId)
      .where('block_no', 'in', blockNos.slice(start, start + 500))
      .execute()
    for (const row of rows) out.set(Number(row.block_no), row.stats)
  }
  return out
}

async function loadBlocks(
  db: Kysely<Database>,
  seriesId: number,
  blockNos: number[],
): Promise<Map<number, DecodedBlock>> {
  const blocks = new Map<number, DecodedBlock>()
  for (let start = 0; start < blockNos.length; start += 500) {
    const rows = await db
      .selectFrom('series_blocks')
      .select(['block_no', 'payload'])
      .where('series_id', '=', seriesId)
      .where('block_no', 'in', blockNos.slice(start, start + 500))
      .execute()
    for (const row of rows) blocks.set(Number(row.block_no), decodeBlock(row.payload))
  }
  return blocks
}
