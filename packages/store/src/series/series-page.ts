import type { FileInfo } from '@nereid/core'
import type { SeriesPage, SeriesPageRequest, SeriesPoints } from '../store.js'
import type { DecodedBlock, SeriesType } from './block-codec.js'
import { decodeStatsRow, STAT, STATS_RECORD_FIELDS, type BlockStatsRow } from './block-stats.js'

type LoadBlocks = (blockNos: number[]) => Promise<Map<number, DecodedBlock>>

interface Slice {
  block: DecodedBlock
  start: number
  end: number
}

/**
 * One page of a series in step order. Block counts from the stats rows locate the page, so
 * only the blocks holding it, plus the blocks at the step-range edges whose in-range count
 * the stats cannot pin down, are loaded (in one `loadBlocks` call).
 *
 * `rows` are the series' stats rows in block order (all, or those overlapping the range).
 * `type` is the answer's type when no block is read (empty series or empty page); when
 * given, blocks of another type are reported as corruption.
 */
export async function readPage(
  request: SeriesPageRequest,
  rows: BlockStatsRow[],
  loadBlocks: LoadBlocks,
  type?: SeriesType,
): Promise<SeriesPage> {
  const fromStep = request.fromStep ?? -Infinity
  const toStep = request.toStep ?? Infinity
  const offset = request.offset ?? 0
  const limit = request.limit
  if (Number.isNaN(fromStep) || Number.isNaN(toStep)) {
    throw new RangeError('fromStep and toStep must be numbers')
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`offset must be a non-negative integer, got ${offset}`)
  }
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`)
  }

  // Per row: bounds on its points in range and, when the stats settle it, where they start.
  const n = rows.length
  const minIn = new Float64Array(n)
  const maxIn = new Float64Array(n)
  const startIn = new Float64Array(n)
  const mustLoad = new Uint8Array(n)
  for (let r = 0; r < n && fromStep <= toStep; r++) {
    const row = rows[r]!
    if (row.lastStep < fromStep || row.firstStep > toStep) continue
    if (row.firstStep >= fromStep && row.lastStep <= toStep) {
      minIn[r] = row.count
      maxIn[r] = row.count
      continue
    }
    const view = decodeStatsRow(row)
    let first = -1
    for (let c = 0; c < view.chunks; c++) {
      const base = c * STATS_RECORD_FIELDS
      const lo = view.data[base + STAT.firstStep]!
      const hi = view.data[base + STAT.lastStep]!
      const count = view.data[base + STAT.count]!
      if (hi < fromStep || lo > toStep) continue
      maxIn[r] = maxIn[r]! + count
      if (lo >= fromStep && hi <= toStep) {
        minIn[r] = minIn[r]! + count
        if (first < 0) first = c * view.subChunkSize
      } else {
        mustLoad[r] = 1
      }
    }
    startIn[r] = Math.max(first, 0)
  }

  const pageEnd = offset + limit
  const needed: number[] = []
  let cumLo = 0
  let cumHi = 0
  for (let r = 0; r < n; r++) {
    if (maxIn[r] === 0) continue
    const mayHoldPage = limit > 0 && cumLo < pageEnd && cumHi + maxIn[r]! > offset
    if (mustLoad[r] === 1 || mayHoldPage) needed.push(rows[r]!.blockNo)
    cumLo += minIn[r]!
    cumHi += maxIn[r]!
  }
  const blocks = needed.length > 0 ? await loadBlocks(needed) : new Map<number, DecodedBlock>()

  let total = 0
  for (let r = 0; r < n; r++) {
    if (mustLoad[r] === 1) {
      const steps = blockFor(blocks, rows[r]!).steps
      const start = lowerBound(steps, fromStep)
      startIn[r] = start
      minIn[r] = upperBound(steps, toStep) - start
    }
    total += minIn[r]!
  }

  const slices: Slice[] = []
  let cum = 0
  for (let r = 0; r < n && cum < pageEnd; r++) {
    const count = minIn[r]!
    if (count === 0) continue
    const a = Math.max(offset, cum)
    const b = Math.min(pageEnd, cum + count)
    if (a < b) {
      const start = startIn[r]! + a - cum
      slices.push({ block: blockFor(blocks, rows[r]!), start, end: start + b - a })
    }
    cum += count
  }
  return { total, points: concatSlices(slices, type) }
}

function blockFor(blocks: Map<number, DecodedBlock>, row: BlockStatsRow): DecodedBlock {
  const block = blocks.get(row.blockNo)
  if (block === undefined) throw new Error(`Series block ${row.blockNo} was not loaded`)
  if (block.steps.length !== row.count) {
    throw new Error(
      `Corrupt series: block ${row.blockNo} holds ${block.steps.length} points, its stats say ${row.count}`,
    )
  }
  return block
}

/** First index whose step is ≥ step. */
function lowerBound(steps: Float64Array, step: number): number {
  let lo = 0
  let hi = steps.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (steps[mid]! < step) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose step is > step. */
function upperBound(steps: Float64Array, step: number): number {
  let lo = 0
  let hi = steps.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (steps[mid]! <= step) lo = mid + 1
    else hi = mid
  }
  return lo
}

function concatSlices(slices: Slice[], type: SeriesType | undefined): SeriesPoints {
  const outType = slices[0]?.block.type ?? type ?? 'floatSeries'
  let length = 0
  for (const slice of slices) {
    if (slice.block.type !== outType || (type !== undefined && type !== outType)) {
      throw new Error(`Corrupt series: a ${slice.block.type} block in a ${type ?? outType} series`)
    }
    length += slice.end - slice.start
  }
  const steps = new Float64Array(length)
  const timestamps = new Float64Array(length)
  let k = 0
  for (const { block, start, end } of slices) {
    steps.set(block.steps.subarray(start, end), k)
    timestamps.set(block.timestamps.subarray(start, end), k)
    k += end - start
  }
  if (outType === 'floatSeries') {
    const values = new Float64Array(length)
    k = 0
    for (const { block, start, end } of slices) {
      values.set((block.values as Float64Array).subarray(start, end), k)
      k += end - start
    }
    return { type: outType, steps, timestamps, values }
  }
  const values: (string | FileInfo)[] = []
  for (const { block, start, end } of slices) {
    const source = block.values as (string | FileInfo)[]
    for (let i = start; i < end; i++) values.push(source[i]!)
  }
  return outType === 'stringSeries'
    ? { type: outType, steps, timestamps, values: values as string[] }
    : { type: outType, steps, timestamps, values: values as FileInfo[] }
}
