import {
  BLOCK_CAPACITY,
  decodeBlock,
  encodeFileBlock,
  encodeFloatBlock,
  encodeStringBlock,
  sliceColumns,
  type DecodedBlock,
  type FileColumns,
  type FloatColumns,
  type SeriesColumns,
  type SeriesType,
  type StringColumns,
} from '../block-codec.js'
import { computeBlockStats, type BlockStatsRow } from '../block-stats.js'

/** A series as the SQL side would hold it: stats rows plus encoded block payloads. */
export interface StoredSeries {
  type: SeriesType
  rows: BlockStatsRow[]
  payloads: Map<number, Uint8Array>
}

export interface StoreOptions {
  /** Points per block, cycled; BLOCK_CAPACITY by default. Tail merges leave short blocks. */
  blockSizes?: number[]
  /** Hands out every BLOB at an odd byte offset, as a driver's pooled Buffers can. */
  misalign?: boolean
}

export function storeSeries(
  type: SeriesType,
  cols: SeriesColumns,
  options: StoreOptions = {},
): StoredSeries {
  const sizes = options.blockSizes ?? [BLOCK_CAPACITY]
  const rows: BlockStatsRow[] = []
  const payloads = new Map<number, Uint8Array>()
  const n = cols.steps.length
  const place = (bytes: Uint8Array) => (options.misalign ? atOddOffset(bytes) : bytes)
  for (let start = 0, blockNo = 0; start < n; blockNo++) {
    const end = Math.min(n, start + sizes[blockNo % sizes.length]!)
    const part = sliceColumns(cols, start, end)
    const payload =
      type === 'floatSeries'
        ? encodeFloatBlock(part as FloatColumns)
        : type === 'stringSeries'
          ? encodeStringBlock(part as StringColumns)
          : encodeFileBlock(part as FileColumns)
    const stats = computeBlockStats(
      part.values instanceof Float64Array
        ? { steps: part.steps, timestamps: part.timestamps, values: part.values }
        : { steps: part.steps, timestamps: part.timestamps },
    )
    rows.push({ blockNo, ...stats, stats: place(stats.stats) })
    payloads.set(blockNo, place(payload))
    start = end
  }
  return { type, rows, payloads }
}

export function atOddOffset(bytes: Uint8Array): Uint8Array {
  const holder = new Uint8Array(bytes.length + 3)
  holder.set(bytes, 3)
  return holder.subarray(3)
}

/** A loadBlocks stand-in that records every call. */
export function blockLoader(series: StoredSeries): {
  calls: number[][]
  load: (blockNos: number[]) => Promise<Map<number, DecodedBlock>>
  loadFloats: (blockNos: number[]) => Promise<Map<number, FloatColumns>>
} {
  const calls: number[][] = []
  const load = async (blockNos: number[]) => {
    calls.push([...blockNos])
    const out = new Map<number, DecodedBlock>()
    for (const blockNo of blockNos) {
      const payload = series.payloads.get(blockNo)
      if (payload === undefined) throw new Error(`no block ${blockNo}`)
      out.set(blockNo, decodeBlock(payload))
    }
    return out
  }
  const loadFloats = async (blockNos: number[]) => {
    const out = new Map<number, FloatColumns>()
    for (const [blockNo, block] of await load(blockNos)) {
      if (block.type === 'floatSeries') out.set(blockNo, block)
    }
    return out
  }
  return { calls, load, loadFloats }
}

/** Deterministic PRNG (mulberry32) so a failing random test can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
