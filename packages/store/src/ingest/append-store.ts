import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { BlockStats } from '../series/index.js'
import type { FieldRowRecord } from './field-access.js'
import {
  appendAtOnce,
  insertBlock,
  insertBlockStats,
  replaceBlock,
  replaceBlockStats,
  updateFieldRow,
  updateSeriesAfterAppend,
} from './hot-statements.js'

/**
 * The writes that end an append (apply-series.ts): its last block with the block's stats, the
 * series row and the field row. Blocks before the last one, when an append fills several, are
 * written by the caller first.
 */
export interface AppendWrite {
  seriesId: number
  block: {
    no: number
    payload: Uint8Array
    stats: BlockStats
    /** The append went into the tail block, whose row exists. */
    replace: boolean
  }
  series: {
    count: number
    finiteCount: number
    firstStep: number
    lastStep: number
    lastTs: number
    min: number | null
    max: number | null
    sum: number
    sumSq: number
    lastValue: string
    nextBlock: number
    tailCount: number
  }
  field: FieldRowRecord
}

/** Stores an append's final writes; which one a store uses depends on its dialect. */
export type StoreAppend = (trx: Transaction<Database>, write: AppendWrite) => Promise<void>

/** Statement by statement: where statements cost no round trip (SQLite). */
export const storeAppendOneByOne: StoreAppend = async (trx, { seriesId, block, series, field }) => {
  if (block.replace) {
    await replaceBlock(trx, block.payload, seriesId, block.no)
    await replaceBlockStats(trx, ...statsColumns(block.stats), seriesId, block.no)
  } else {
    await insertNewBlock(trx, seriesId, block)
  }
  await updateSeriesAfterAppend(trx, ...seriesColumns(series), seriesId)
  await updateFieldRow(trx, ...fieldColumns(field))
}

/** In one statement with data-modifying CTEs (adapter.writableCtes): one round trip. */
export const storeAppendInOneStatement: StoreAppend = async (
  trx,
  { seriesId, block, series, field },
) => {
  await appendAtOnce(
    trx,
    seriesId,
    block.no,
    block.payload,
    seriesId,
    block.no,
    ...statsColumns(block.stats),
    ...seriesColumns(series),
    seriesId,
    ...fieldColumns(field),
  )
}

/** Inserts a block that did not exist, with its stats (never the tail, which is rewritten). */
export async function insertNewBlock(
  trx: Transaction<Database>,
  seriesId: number,
  { no, payload, stats }: AppendWrite['block'],
): Promise<void> {
  await insertBlock(trx, seriesId, no, payload)
  await insertBlockStats(trx, seriesId, no, ...statsColumns(stats))
}

/** A block's stats in the order the block-stats statements take them. */
function statsColumns({ count, firstStep, lastStep, minTs, maxTs, stats }: BlockStats) {
  return [count, firstStep, lastStep, minTs, maxTs, stats] as const
}

/** The field row's values and key in the order the field update statements take them. */
function fieldColumns(field: FieldRowRecord) {
  return [
    field.num,
    field.str,
    field.data,
    Number(field.bytes),
    field.object_id,
    field.path_id,
  ] as const
}

/** The series row's new values in the order the series update statements take them. */
function seriesColumns(series: AppendWrite['series']) {
  return [
    series.count,
    series.finiteCount,
    series.firstStep,
    series.lastStep,
    series.lastTs,
    series.min,
    series.max,
    series.sum,
    series.sumSq,
    series.lastValue,
    series.nextBlock,
    series.tailCount,
  ] as const
}
