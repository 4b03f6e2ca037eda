import type { BucketRequest, SeriesBuckets } from '../store.js'
import type { FloatColumns } from './block-codec.js'
import {
  decodeBlockSummary,
  decodeStatsRow,
  hasAllRecords,
  STAT,
  STATS_RECORD_FIELDS,
  SUB_CHUNK_SIZE,
  type BlockStatsRow,
  type BlockStatsView,
} from './block-stats.js'

// Local copies of the record layout: V8 folds module constants into the hot loops, while
// property loads on STAT stay loads (about 15% of a 1 M-point downsample).
const {
  firstStep: FIRST_STEP,
  lastStep: LAST_STEP,
  firstTs: FIRST_TS,
  minTs: MIN_TS,
  maxTs: MAX_TS,
  count: COUNT,
  finiteCount: FINITE_COUNT,
  min: MIN,
  max: MAX,
  sum: SUM,
  last: LAST,
} = STAT
const RECORD = STATS_RECORD_FIELDS

/**
 * Points per bucket from which a sub-chunk that straddles a bucket edge may be placed whole
 * in the bucket of its first point. A sub-chunk is then at most 1/8 of an average bucket, so
 * only a few points land one bucket early (a chart cannot show it; xFrom/xTo stay true),
 * and a zoomed-out chart decodes no block at all.
 */
export const FAST_PATH_DENSITY = 8 * SUB_CHUNK_SIZE

const OUTSIDE = 0
const INSIDE = 1
const PARTIAL = 2

type LoadFloatBlocks = (blockNos: number[]) => Promise<Map<number, FloatColumns>>
type LoadStats = (blockNos: number[]) => Promise<Map<number, Uint8Array>>

/**
 * Downsamples a float series for a chart from its block stats, decoding only the blocks
 * that exactness requires (with one `loadBlocks` call). See `SeriesBuckets` for the result:
 * every point in the range lands in exactly one bucket, so no spike is hidden.
 *
 * `rows` are the series' stats rows in block order: all of them, or only those that overlap
 * the range. Their `stats` may be only the BLOB's head (STATS_HEAD_BYTES): a block inside the
 * range and inside one bucket is merged from its summary, and `loadStats` fetches the whole
 * BLOBs of the others (at most two calls: the blocks at the range's ends, then those that
 * straddle a bucket edge), so a zoomed-out read moves per-block aggregates, not 2.8 KB each.
 */
export async function downsample(
  request: BucketRequest,
  rows: BlockStatsRow[],
  loadBlocks: LoadFloatBlocks,
  loadStats: LoadStats,
): Promise<SeriesBuckets> {
  const buckets = request.buckets
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new RangeError(`buckets must be a positive integer, got ${buckets}`)
  }
  const byTime = request.x === 'time'
  const firstRow = rows[0]
  const lastRow = rows[rows.length - 1]
  if (firstRow === undefined || lastRow === undefined) return emptyPoints(request.x)

  let dataLo = firstRow.firstStep
  let dataHi = lastRow.lastStep
  if (byTime) {
    dataLo = Infinity
    dataHi = -Infinity
    for (const row of rows) {
      if (row.minTs < dataLo) dataLo = row.minTs
      if (row.maxTs > dataHi) dataHi = row.maxTs
    }
  }
  let from = request.from ?? dataLo
  let to = request.to ?? dataHi
  if (Number.isNaN(from) || Number.isNaN(to)) throw new RangeError('from and to must be numbers')
  // Infinite bounds would make every bucket infinitely wide; they mean "no bound".
  if (from === -Infinity) from = dataLo
  if (to === Infinity) to = dataHi
  if (from > to) return emptyPoints(request.x)

  const range: Range = { byTime, from, to }
  const acc = createAccumulator(range, buckets)
  const rowClass = new Uint8Array(rows.length)
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!
    rowClass[r] = byTime
      ? classify(range, row.minTs, row.maxTs)
      : classify(range, row.firstStep, row.lastStep)
  }
  // Sub-chunk records of the blocks at the range's ends: their points inside the range are
  // counted record by record.
  const views: (BlockStatsView | undefined)[] = new Array(rows.length)
  await loadViews(rows, views, loadStats, (r) => rowClass[r] === PARTIAL)
  let inside = 0
  for (let r = 0; r < rows.length; r++) {
    if (rowClass[r] === INSIDE) {
      inside += rows[r]!.count
    } else if (rowClass[r] === PARTIAL) {
      const view = views[r]!
      for (let c = 0; c < view.chunks; c++) {
        if (chunkClass(range, view, c) === INSIDE) inside += view.data[c * RECORD + COUNT]!
      }
    }
  }

  // A block inside the range and inside one bucket is merged whole from its summary.
  const summaries: (Float64Array | null)[] = new Array(rows.length).fill(null)
  if (inside > buckets) {
    for (let r = 0; r < rows.length; r++) {
      if (rowClass[r] !== INSIDE) continue
      const row = rows[r]!
      const lo = byTime ? row.minTs : row.firstStep
      const hi = byTime ? row.maxTs : row.lastStep
      if (bucketOf(acc, lo) === bucketOf(acc, hi)) summaries[r] = decodeBlockSummary(row.stats)
    }
  }
  await loadViews(rows, views, loadStats, (r) => rowClass[r] !== OUTSIDE && summaries[r] === null)

  if (inside <= buckets) {
    // Probably few enough for exact points: the blocks are needed either way.
    const needed: number[] = []
    for (let r = 0; r < rows.length; r++) if (rowClass[r] !== OUTSIDE) needed.push(rows[r]!.blockNo)
    const blocks = needed.length > 0 ? await loadBlocks(needed) : new Map<number, FloatColumns>()
    const total = countExact(range, rows, rowClass, views, blocks)
    if (total <= buckets)
      return collectPoints(range, request.x, rows, rowClass, views, blocks, total)
    aggregate(acc, rows, rowClass, views, summaries, blocks, false)
    return finish(acc, request.x)
  }

  const fast = inside >= FAST_PATH_DENSITY * buckets
  const needed: number[] = []
  for (let r = 0; r < rows.length; r++) {
    if (rowClass[r] === OUTSIDE || summaries[r] !== null) continue
    const row = rows[r]!
    if (rowClass[r] === INSIDE) {
      if (fast) continue
      const lo = byTime ? row.minTs : row.firstStep
      const hi = byTime ? row.maxTs : row.lastStep
      if (bucketOf(acc, lo) === bucketOf(acc, hi)) continue
    }
    const view = views[r]!
    for (let c = 0; c < view.chunks; c++) {
      const cls = rowClass[r] === INSIDE ? INSIDE : chunkClass(range, view, c)
      if (needsPoints(acc, view, c, cls, fast)) {
        needed.push(row.blockNo)
        break
      }
    }
  }
  const blocks = needed.length > 0 ? await loadBlocks(needed) : new Map<number, FloatColumns>()
  aggregate(acc, rows, rowClass, views, summaries, blocks, fast)
  return finish(acc, request.x)
}

/**
 * Decodes the sub-chunk records of the rows that `wanted` picks, fetching in one `loadStats`
 * call the whole BLOBs of those whose rows carry only the head.
 */
async function loadViews(
  rows: BlockStatsRow[],
  views: (BlockStatsView | undefined)[],
  loadStats: LoadStats,
  wanted: (r: number) => boolean,
): Promise<void> {
  const missing: number[] = []
  for (let r = 0; r < rows.length; r++) {
    if (views[r] !== undefined || !wanted(r)) continue
    const row = rows[r]!
    if (hasAllRecords(row.stats)) views[r] = decodeStatsRow(row)
    else missing.push(r)
  }
  if (missing.length === 0) return
  const loaded = await loadStats(missing.map((r) => rows[r]!.blockNo))
  for (const r of missing) {
    const row = rows[r]!
    const stats = loaded.get(row.blockNo)
    if (stats === undefined) throw new Error(`Series block ${row.blockNo} stats were not loaded`)
    views[r] = decodeStatsRow({ ...row, stats })
  }
}

interface Range {
  byTime: boolean
  from: number
  to: number
}

interface Accumulator extends Range {
  buckets: number
  span: number
  xFrom: Float64Array
  xTo: Float64Array
  count: Float64Array
  finite: Float64Array
  min: Float64Array
  max: Float64Array
  sum: Float64Array
  last: Float64Array
  lastStep: Float64Array
  /** The current block's sum into one bucket, not yet added to `sum` (see `addSum`). */
  pendingBucket: number
  pendingSum: number
}

function classify(range: Range, lo: number, hi: number): number {
  if (hi < range.from || lo > range.to) return OUTSIDE
  return lo >= range.from && hi <= range.to ? INSIDE : PARTIAL
}

function chunkClass(range: Range, view: BlockStatsView, c: number): number {
  const base = c * RECORD
  return range.byTime
    ? classify(range, view.data[base + MIN_TS]!, view.data[base + MAX_TS]!)
    : classify(range, view.data[base + FIRST_STEP]!, view.data[base + LAST_STEP]!)
}

/** Whether a sub-chunk must be taken point by point rather than merged from its record. */
function needsPoints(
  acc: Accumulator,
  view: BlockStatsView,
  c: number,
  cls: number,
  fast: boolean,
): boolean {
  if (cls === OUTSIDE) return false
  if (cls === PARTIAL) return true
  if (fast) return false
  const base = c * RECORD
  const lo = view.data[base + (acc.byTime ? MIN_TS : FIRST_STEP)]!
  const hi = view.data[base + (acc.byTime ? MAX_TS : LAST_STEP)]!
  return bucketOf(acc, lo) !== bucketOf(acc, hi)
}

/**
 * The bucket holding x: buckets are [from + k·w, from + (k+1)·w) with w = (to − from) / n,
 * and the last one also holds `to`. Multiplying before dividing keeps integer steps on an
 * edge in the bucket that starts there.
 */
function bucketOf(acc: Accumulator, x: number): number {
  if (acc.span === 0) return 0
  const b = Math.floor(((x - acc.from) * acc.buckets) / acc.span)
  return b < 0 ? 0 : b >= acc.buckets ? acc.buckets - 1 : b
}

function createAccumulator(range: Range, buckets: number): Accumulator {
  const filled = (value: number) => new Float64Array(buckets).fill(value)
  // Properties spelled out: an object spread here leaves V8 with a dictionary-mode object
  // and makes every access in the hot loops several times slower.
  return {
    byTime: range.byTime,
    from: range.from,
    to: range.to,
    buckets,
    span: range.to - range.from,
    xFrom: filled(Infinity),
    xTo: filled(-Infinity),
    count: new Float64Array(buckets),
    finite: new Float64Array(buckets),
    min: filled(Infinity),
    max: filled(-Infinity),
    sum: new Float64Array(buckets),
    last: filled(NaN),
    lastStep: filled(-Infinity),
    pendingBucket: -1,
    pendingSum: 0,
  }
}

/**
 * A bucket's sum is its blocks' partial sums (each added up from 0 in point order) added in
 * block order. Whether a block inside one bucket is merged from its summary or record by
 * record, its partial sum is then the same number, so the mean does not depend on which stats
 * a read had at hand (head or whole BLOB, format 1 or 2) down to the last bit.
 */
function addSum(acc: Accumulator, b: number, x: number): void {
  if (b !== acc.pendingBucket) {
    flushSum(acc)
    acc.pendingBucket = b
  }
  acc.pendingSum += x
}

/** Adds the pending partial sum to its bucket; called at the end of every block. */
function flushSum(acc: Accumulator): void {
  const b = acc.pendingBucket
  if (b >= 0) acc.sum[b] = acc.sum[b]! + acc.pendingSum
  acc.pendingBucket = -1
  acc.pendingSum = 0
}

function blockFor(blocks: Map<number, FloatColumns>, row: BlockStatsRow): FloatColumns {
  const block = blocks.get(row.blockNo)
  if (block === undefined) throw new Error(`Series block ${row.blockNo} was not loaded`)
  if (block.steps.length !== row.count) {
    throw new Error(
      `Corrupt series: block ${row.blockNo} holds ${block.steps.length} points, its stats say ${row.count}`,
    )
  }
  return block
}

function aggregate(
  acc: Accumulator,
  rows: BlockStatsRow[],
  rowClass: Uint8Array,
  views: (BlockStatsView | undefined)[],
  summaries: (Float64Array | null)[],
  blocks: Map<number, FloatColumns>,
  fast: boolean,
): void {
  const { byTime, from, to } = acc
  for (let r = 0; r < rows.length; r++) {
    if (rowClass[r] === OUTSIDE) continue
    const summary = summaries[r]
    if (summary != null) {
      mergeRecord(acc, summary, 0)
      flushSum(acc)
      continue
    }
    const row = rows[r]!
    const view = views[r]!
    const data = view.data
    for (let c = 0; c < view.chunks; c++) {
      const cls = rowClass[r] === INSIDE ? INSIDE : chunkClass(acc, view, c)
      if (cls === OUTSIDE) continue
      const base = c * RECORD
      if (!needsPoints(acc, view, c, cls, fast)) {
        mergeRecord(acc, data, base)
        continue
      }
      const { steps, timestamps, values } = blockFor(blocks, row)
      const start = c * view.subChunkSize
      const end = start + data[base + COUNT]!
      for (let i = start; i < end; i++) {
        const step = steps[i]!
        const x = byTime ? timestamps[i]! : step
        if (x >= from && x <= to) addPoint(acc, x, step, values[i]!)
      }
    }
    flushSum(acc)
  }
}

/** Merges a whole sub-chunk (or block summary) into the bucket of its first point. */
function mergeRecord(acc: Accumulator, data: Float64Array, base: number): void {
  const byTime = acc.byTime
  const b = bucketOf(acc, data[base + (byTime ? FIRST_TS : FIRST_STEP)]!)
  const lo = data[base + (byTime ? MIN_TS : FIRST_STEP)]!
  const hi = data[base + (byTime ? MAX_TS : LAST_STEP)]!
  if (lo < acc.xFrom[b]!) acc.xFrom[b] = lo
  if (hi > acc.xTo[b]!) acc.xTo[b] = hi
  acc.count[b] = acc.count[b]! + data[base + COUNT]!
  const finite = data[base + FINITE_COUNT]!
  if (finite > 0) {
    acc.finite[b] = acc.finite[b]! + finite
    addSum(acc, b, data[base + SUM]!)
    const min = data[base + MIN]!
    const max = data[base + MAX]!
    if (min < acc.min[b]!) acc.min[b] = min
    if (max > acc.max[b]!) acc.max[b] = max
  }
  const lastStep = data[base + LAST_STEP]!
  if (lastStep > acc.lastStep[b]!) {
    acc.lastStep[b] = lastStep
    acc.last[b] = data[base + LAST]!
  }
}

function addPoint(acc: Accumulator, x: number, step: number, v: number): void {
  const b = bucketOf(acc, x)
  if (x < acc.xFrom[b]!) acc.xFrom[b] = x
  if (x > acc.xTo[b]!) acc.xTo[b] = x
  acc.count[b] = acc.count[b]! + 1
  if (Number.isFinite(v)) {
    acc.finite[b] = acc.finite[b]! + 1
    addSum(acc, b, v)
    if (v < acc.min[b]!) acc.min[b] = v
    if (v > acc.max[b]!) acc.max[b] = v
  }
  if (step > acc.lastStep[b]!) {
    acc.lastStep[b] = step
    acc.last[b] = v
  }
}

function finish(acc: Accumulator, x: BucketRequest['x']): SeriesBuckets {
  const n = acc.buckets
  const mean = new Float64Array(n)
  for (let b = 0; b < n; b++) {
    if (acc.count[b] === 0) {
      acc.xFrom[b] = acc.from + (acc.span * b) / n
      acc.xTo[b] = b === n - 1 ? acc.to : acc.from + (acc.span * (b + 1)) / n
      acc.lastStep[b] = NaN
    }
    const finite = acc.finite[b]!
    if (finite === 0) {
      acc.min[b] = NaN
      acc.max[b] = NaN
      mean[b] = NaN
    } else {
      mean[b] = acc.sum[b]! / finite
    }
  }
  return {
    mode: 'buckets',
    x,
    xFrom: acc.xFrom,
    xTo: acc.xTo,
    count: acc.count,
    min: acc.min,
    max: acc.max,
    mean,
    last: acc.last,
    lastStep: acc.lastStep,
  }
}

function countExact(
  range: Range,
  rows: BlockStatsRow[],
  rowClass: Uint8Array,
  views: (BlockStatsView | undefined)[],
  blocks: Map<number, FloatColumns>,
): number {
  let total = 0
  for (let r = 0; r < rows.length; r++) {
    if (rowClass[r] === OUTSIDE) continue
    const row = rows[r]!
    if (rowClass[r] === INSIDE) {
      total += row.count
      continue
    }
    const { steps, timestamps } = blockFor(blocks, row)
    const axis = range.byTime ? timestamps : steps
    const view = views[r]!
    for (let c = 0; c < view.chunks; c++) {
      const cls = chunkClass(range, view, c)
      const count = view.data[c * RECORD + COUNT]!
      if (cls === INSIDE) total += count
      if (cls !== PARTIAL) continue
      const start = c * view.subChunkSize
      for (let i = start; i < start + count; i++) {
        const x = axis[i]!
        if (x >= range.from && x <= range.to) total++
      }
    }
  }
  return total
}

function collectPoints(
  range: Range,
  x: BucketRequest['x'],
  rows: BlockStatsRow[],
  rowClass: Uint8Array,
  views: (BlockStatsView | undefined)[],
  blocks: Map<number, FloatColumns>,
  total: number,
): SeriesBuckets {
  const steps = new Float64Array(total)
  const timestamps = new Float64Array(total)
  const values = new Float64Array(total)
  let k = 0
  for (let r = 0; r < rows.length; r++) {
    if (rowClass[r] === OUTSIDE) continue
    const row = rows[r]!
    const block = blockFor(blocks, row)
    const axis = range.byTime ? block.timestamps : block.steps
    const view = views[r]!
    for (let c = 0; c < view.chunks; c++) {
      const cls = rowClass[r] === INSIDE ? INSIDE : chunkClass(range, view, c)
      if (cls === OUTSIDE) continue
      const start = c * view.subChunkSize
      const end = start + view.data[c * RECORD + COUNT]!
      for (let i = start; i < end; i++) {
        const xi = axis[i]!
        if (cls === PARTIAL && (xi < range.from || xi > range.to)) continue
        steps[k] = block.steps[i]!
        timestamps[k] = block.timestamps[i]!
        values[k] = block.values[i]!
        k++
      }
    }
  }
  return { mode: 'points', x, steps, timestamps, values }
}

function emptyPoints(x: BucketRequest['x']): SeriesBuckets {
  return {
    mode: 'points',
    x,
    steps: new Float64Array(0),
    timestamps: new Float64Array(0),
    values: new Float64Array(0),
  }
}
