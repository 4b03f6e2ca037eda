import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { StoreContext } from '../store-context.js'
import type { SeriesReader } from '../store.js'
import {
  decodeBlock,
  downsample,
  readPage,
  type BlockStatsRow,
  type DecodedBlock,
  type FloatColumns,
} from '../series/index.js'

interface SeriesRef {
  id: number
  type: 'floatSeries' | 'stringSeries' | 'fileSeries'
}

export function createSeriesReader(context: StoreContext): SeriesReader {
  const { db } = context

  async function findSeries(objectId: string, path: string): Promise<SeriesRef | null> {
    const object = await db
      .selectFrom('objects')
      .select('project_id')
      .where('id', '=', objectId)
      .executeTakeFirst()
    if (!object) return null
    const session = context.paths.session(db)
    const pathId = await session.lookup(object.project_id, path)
    session.commit()
    if (pathId === null) return null
    const row = await db
      .selectFrom('series')
      .select(['id', 'type'])
      .where('object_id', '=', objectId)
      .where('path_id', '=', pathId)
      .executeTakeFirst()
    return row ? { id: Number(row.id), type: row.type as SeriesRef['type'] } : null
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
      const bounded = request.x === 'step'
      const rows = await statsRows(
        db,
        series.id,
        bounded ? request.from : undefined,
        bounded ? request.to : undefined,
      )
      return downsample(request, rows, async (blockNos) => {
        const decoded = await loadBlocks(db, series.id, blockNos)
        const floats = new Map<number, FloatColumns>()
        for (const [blockNo, block] of decoded)
          if (block.type === 'floatSeries') floats.set(blockNo, block)
        return floats
      })
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

/** Stats rows of a series in block order, optionally only those overlapping a step range. */
async function statsRows(
  db: Kysely<Database>,
  seriesId: number,
  fromStep?: number,
  toStep?: number,
): Promise<BlockStatsRow[]> {
  let query = db
    .selectFrom('series_block_stats')
    .select(['block_no', 'count', 'first_step', 'last_step', 'min_ts', 'max_ts', 'stats'])
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
