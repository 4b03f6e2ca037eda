import { readFloat64Column, readUint32, writeFloat64Column, writeUint32 } from './float-bytes.js'

/**
 * Per-block statistics live in their own narrow table (`series_block_stats`) so a zoomed-out
 * chart reads them without touching the point blobs (measured: 3 ms for 1 M points, versus
 * overflow-page reads when they sit next to the blobs).
 *
 * The stats BLOB splits the block into sub-chunks of SUB_CHUNK_SIZE consecutive points (the
 * last one may be shorter) because a block (1,024 points) is often wider than a chart bucket:
 * sub-chunk records let downsampling stay exact-ish at that zoom without decoding blocks.
 *
 * Stats BLOB format, version 2 (little-endian):
 *
 *   offset 0   u8   format version (2)
 *   offset 1   u8   float64 fields per record (STATS_RECORD_FIELDS = 11)
 *   offset 2   u16  points per sub-chunk (SUB_CHUNK_SIZE when written)
 *   offset 4   u32  sub-chunk record count (ceil(count / sub-chunk size))
 *   offset 8   the block summary: one record over the whole block
 *   offset 96  the sub-chunk records
 *
 * The summary comes first so that a read can fetch only the BLOB's head (STATS_HEAD_BYTES, with
 * SQL `substr`): a zoomed-out chart merges whole blocks that fall inside one bucket from their
 * summaries and fetches sub-chunk records only for the blocks that straddle a bucket edge. The
 * summary is the sub-chunk records merged in order (sums added from 0), exactly what merging
 * them into an empty bucket gives. Version 1 had no summary (sub-chunk records from offset 8);
 * migration 0008 rewrites it and readers still accept it.
 *
 * Every record holds STATS_RECORD_FIELDS float64s, at the offsets in STAT:
 *
 *   0 firstStep    step of the first point
 *   1 lastStep     step of the last point; steps strictly increase, so this is also the step
 *                  of `last` (no separate "step of last value" is needed)
 *   2 firstTs      timestamp of the first point: x = 'time' places a whole sub-chunk at it
 *   3 minTs        smallest timestamp (timestamps need not be monotonic)
 *   4 maxTs        largest timestamp
 *   5 count        points, NaN/±Infinity included
 *   6 finiteCount  finite values (divisor of the mean)
 *   7 min          smallest finite value; NaN when finiteCount is 0
 *   8 max          largest finite value; NaN when finiteCount is 0
 *   9 sum          sum of finite values; 0 when finiteCount is 0
 *  10 last         value of the last point, whatever it is (may be NaN)
 *
 * String and file blocks get the same records with finiteCount 0 and NaN min/max/sum/last:
 * only steps, timestamps and counts mean anything there.
 */

export const SUB_CHUNK_SIZE = 32
export const STATS_FORMAT_VERSION = 2
export const STATS_RECORD_FIELDS = 11

/** Offsets of the fields within one record. */
export const STAT = {
  firstStep: 0,
  lastStep: 1,
  firstTs: 2,
  minTs: 3,
  maxTs: 4,
  count: 5,
  finiteCount: 6,
  min: 7,
  max: 8,
  sum: 9,
  last: 10,
} as const

const HEADER_BYTES = 8
const RECORD_BYTES = STATS_RECORD_FIELDS * 8
const V1_RECORDS_AT = HEADER_BYTES
const V2_RECORDS_AT = HEADER_BYTES + RECORD_BYTES

/** Bytes of a stats BLOB's head: the header and the block summary (format version 2). */
export const STATS_HEAD_BYTES = V2_RECORDS_AT

/**
 * One `series_block_stats` row as the SQL side hands it over; rows come sorted by blockNo.
 * `stats` is the whole stats BLOB, or for a downsampling read possibly only its first
 * STATS_HEAD_BYTES (see `hasAllRecords`).
 */
export interface BlockStatsRow {
  blockNo: number
  count: number
  firstStep: number
  lastStep: number
  minTs: number
  maxTs: number
  stats: Uint8Array
}

export interface BlockStats {
  count: number
  firstStep: number
  lastStep: number
  minTs: number
  maxTs: number
  stats: Uint8Array
}

/**
 * A decoded stats BLOB. Record `i` occupies `data[i * STATS_RECORD_FIELDS + STAT.<field>]`
 * and covers the block's points [chunkStart(view, i), chunkEnd(view, i)).
 */
export interface BlockStatsView {
  chunks: number
  subChunkSize: number
  data: Float64Array
}

export function computeBlockStats(cols: {
  steps: Float64Array
  timestamps: Float64Array
  values?: Float64Array
}): BlockStats {
  const { steps, timestamps, values } = cols
  const n = steps.length
  if (n === 0) throw new Error('Cannot compute statistics of an empty series block')
  if (timestamps.length !== n || (values !== undefined && values.length !== n)) {
    throw new Error(
      `Series columns differ in length: ${n} steps, ${timestamps.length} timestamps, ${values?.length} values`,
    )
  }
  const chunks = Math.ceil(n / SUB_CHUNK_SIZE)
  const data = new Float64Array(chunks * STATS_RECORD_FIELDS)
  let blockMinTs = Infinity
  let blockMaxTs = -Infinity
  for (let c = 0; c < chunks; c++) {
    const start = c * SUB_CHUNK_SIZE
    const end = Math.min(n, start + SUB_CHUNK_SIZE)
    let minTs = Infinity
    let maxTs = -Infinity
    for (let i = start; i < end; i++) {
      const ts = timestamps[i]!
      if (ts < minTs) minTs = ts
      if (ts > maxTs) maxTs = ts
    }
    const base = c * STATS_RECORD_FIELDS
    data[base + STAT.firstStep] = steps[start]!
    data[base + STAT.lastStep] = steps[end - 1]!
    data[base + STAT.firstTs] = timestamps[start]!
    data[base + STAT.minTs] = minTs
    data[base + STAT.maxTs] = maxTs
    data[base + STAT.count] = end - start
    if (values === undefined) {
      data[base + STAT.finiteCount] = 0
      data[base + STAT.min] = NaN
      data[base + STAT.max] = NaN
      data[base + STAT.sum] = NaN
      data[base + STAT.last] = NaN
    } else {
      let finite = 0
      let min = Infinity
      let max = -Infinity
      let sum = 0
      for (let i = start; i < end; i++) {
        const v = values[i]!
        if (Number.isFinite(v)) {
          finite++
          if (v < min) min = v
          if (v > max) max = v
          sum += v
        }
      }
      data[base + STAT.finiteCount] = finite
      data[base + STAT.min] = finite > 0 ? min : NaN
      data[base + STAT.max] = finite > 0 ? max : NaN
      data[base + STAT.sum] = sum
      data[base + STAT.last] = values[end - 1]!
    }
    if (minTs < blockMinTs) blockMinTs = minTs
    if (maxTs > blockMaxTs) blockMaxTs = maxTs
  }
  const stats = encodeStats(SUB_CHUNK_SIZE, chunks, data)
  return {
    count: n,
    firstStep: steps[0]!,
    lastStep: steps[n - 1]!,
    minTs: blockMinTs,
    maxTs: blockMaxTs,
    stats,
  }
}

/** Views a stats BLOB's sub-chunk records (format 1 or 2) without copying when 8-byte aligned. */
export function decodeBlockStats(bytes: Uint8Array): BlockStatsView {
  const { chunks, subChunkSize, recordsAt } = readHeader(bytes)
  const expected = recordsAt + chunks * RECORD_BYTES
  if (bytes.length !== expected) {
    throw new Error(
      `Corrupt block stats: ${chunks} records need ${expected} bytes, got ${bytes.length}`,
    )
  }
  return {
    chunks,
    subChunkSize,
    data: readFloat64Column(bytes, recordsAt, chunks * STATS_RECORD_FIELDS),
  }
}

/**
 * The block summary record (fields at the STAT offsets) from a stats BLOB or its head; null
 * for a format-1 BLOB, which has none.
 */
export function decodeBlockSummary(bytes: Uint8Array): Float64Array | null {
  const { version } = readHeader(bytes)
  if (version === 1) return null
  if (bytes.length < STATS_HEAD_BYTES) {
    throw new Error(
      `Corrupt block stats: ${bytes.length} bytes, shorter than the ${STATS_HEAD_BYTES}-byte head`,
    )
  }
  return readFloat64Column(bytes, HEADER_BYTES, STATS_RECORD_FIELDS)
}

/** Whether `bytes` is a whole stats BLOB rather than only its head. */
export function hasAllRecords(bytes: Uint8Array): boolean {
  const { chunks, recordsAt } = readHeader(bytes)
  return bytes.length >= recordsAt + chunks * RECORD_BYTES
}

/**
 * The same statistics in the current format: a format-1 BLOB gains its block summary (merged
 * from its records, as `computeBlockStats` would); a current one comes back as it is.
 */
export function upgradeBlockStats(bytes: Uint8Array): Uint8Array {
  if (readHeader(bytes).version === STATS_FORMAT_VERSION) return bytes
  const view = decodeBlockStats(bytes)
  return encodeStats(view.subChunkSize, view.chunks, view.data)
}

function readHeader(bytes: Uint8Array): {
  version: number
  chunks: number
  subChunkSize: number
  recordsAt: number
} {
  if (bytes.length < HEADER_BYTES) {
    throw new Error(`Corrupt block stats: ${bytes.length} bytes, shorter than the 8-byte header`)
  }
  const version = bytes[0]!
  if (version !== 1 && version !== STATS_FORMAT_VERSION) {
    throw new Error(
      `Corrupt block stats: unknown format version ${version} (expected 1 or ${STATS_FORMAT_VERSION})`,
    )
  }
  if (bytes[1] !== STATS_RECORD_FIELDS) {
    throw new Error(
      `Corrupt block stats: records of ${bytes[1]} fields (expected ${STATS_RECORD_FIELDS})`,
    )
  }
  const subChunkSize = bytes[2]! | (bytes[3]! << 8)
  if (subChunkSize === 0) throw new Error('Corrupt block stats: sub-chunk size is 0')
  return {
    version,
    chunks: readUint32(bytes, 4),
    subChunkSize,
    recordsAt: version === 1 ? V1_RECORDS_AT : V2_RECORDS_AT,
  }
}

function encodeStats(subChunkSize: number, chunks: number, records: Float64Array): Uint8Array {
  const stats = new Uint8Array(V2_RECORDS_AT + chunks * RECORD_BYTES)
  stats[0] = STATS_FORMAT_VERSION
  stats[1] = STATS_RECORD_FIELDS
  stats[2] = subChunkSize & 0xff
  stats[3] = subChunkSize >>> 8
  writeUint32(stats, 4, chunks)
  writeFloat64Column(stats, HEADER_BYTES, summarizeRecords(records, chunks))
  writeFloat64Column(stats, V2_RECORDS_AT, records)
  return stats
}

/**
 * Merges sub-chunk records in order, the way downsampling merges them into an empty bucket
 * (a record without finite values adds nothing to min, max and sum), so that merging the
 * summary gives the same bucket bit for bit.
 */
function summarizeRecords(records: Float64Array, chunks: number): Float64Array {
  const out = new Float64Array(STATS_RECORD_FIELDS)
  let minTs = Infinity
  let maxTs = -Infinity
  let count = 0
  let finite = 0
  let min = Infinity
  let max = -Infinity
  let sum = 0
  let numeric = true
  for (let c = 0; c < chunks; c++) {
    const base = c * STATS_RECORD_FIELDS
    if (records[base + STAT.minTs]! < minTs) minTs = records[base + STAT.minTs]!
    if (records[base + STAT.maxTs]! > maxTs) maxTs = records[base + STAT.maxTs]!
    count += records[base + STAT.count]!
    // String and file blocks carry NaN sums: their summary keeps NaN like their records.
    if (Number.isNaN(records[base + STAT.sum]!)) numeric = false
    const f = records[base + STAT.finiteCount]!
    if (f > 0) {
      finite += f
      sum += records[base + STAT.sum]!
      if (records[base + STAT.min]! < min) min = records[base + STAT.min]!
      if (records[base + STAT.max]! > max) max = records[base + STAT.max]!
    }
  }
  const lastBase = (chunks - 1) * STATS_RECORD_FIELDS
  out[STAT.firstStep] = records[STAT.firstStep]!
  out[STAT.lastStep] = records[lastBase + STAT.lastStep]!
  out[STAT.firstTs] = records[STAT.firstTs]!
  out[STAT.minTs] = minTs
  out[STAT.maxTs] = maxTs
  out[STAT.count] = count
  out[STAT.finiteCount] = finite
  out[STAT.min] = finite > 0 ? min : NaN
  out[STAT.max] = finite > 0 ? max : NaN
  out[STAT.sum] = numeric ? sum : NaN
  out[STAT.last] = records[lastBase + STAT.last]!
  return out
}

/** Decodes a row's stats BLOB, checking it agrees with the row's point count. */
export function decodeStatsRow(row: BlockStatsRow): BlockStatsView {
  const view = decodeBlockStats(row.stats)
  if (view.chunks !== Math.ceil(row.count / view.subChunkSize)) {
    throw new Error(
      `Corrupt block stats: block ${row.blockNo} has ${row.count} points but ${view.chunks} records`,
    )
  }
  return view
}

/** Index in the block of the first point of sub-chunk `chunk`. */
export function chunkStart(view: BlockStatsView, chunk: number): number {
  return chunk * view.subChunkSize
}

/** Index in the block one past the last point of sub-chunk `chunk`. */
export function chunkEnd(view: BlockStatsView, chunk: number): number {
  return chunk * view.subChunkSize + view.data[chunk * STATS_RECORD_FIELDS + STAT.count]!
}

/** Field `field` (an offset from STAT) of record `chunk`. */
export function statOf(view: BlockStatsView, chunk: number, field: number): number {
  return view.data[chunk * STATS_RECORD_FIELDS + field]!
}

export interface ValueSummary {
  count: number
  finiteCount: number
  /** Smallest and largest finite value; NaN when there are no finite values. */
  min: number
  max: number
  /** Sums over finite values (0 when there are none), for the mean and the variance. */
  sum: number
  sumSq: number
  /** The last value as given, NaN included; NaN for an empty array. */
  last: number
}

/**
 * Summary of appended values, merged into the per-series summary that the runs table sorts
 * and filters on. NaN/±Infinity count but never reach min/max/sum, so one bad step cannot
 * turn a run's mean into NaN.
 */
export function summarize(values: Float64Array): ValueSummary {
  const n = values.length
  let finite = 0
  let min = Infinity
  let max = -Infinity
  let sum = 0
  let sumSq = 0
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    if (Number.isFinite(v)) {
      finite++
      if (v < min) min = v
      if (v > max) max = v
      sum += v
      sumSq += v * v
    }
  }
  return {
    count: n,
    finiteCount: finite,
    min: finite > 0 ? min : NaN,
    max: finite > 0 ? max : NaN,
    sum,
    sumSq,
    last: n > 0 ? values[n - 1]! : NaN,
  }
}
