import { LruCache } from '../cache/lru-cache.js'
import type { DecodedBlock } from '../series/index.js'

interface CachedTail {
  blockNo: number
  block: DecodedBlock
}

/** What the series row says about its tail; a cached tail is used only when all of it agrees. */
export interface TailPosition {
  blockNo: number
  count: number
  lastStep: number | null
  lastTs: number | null
}

/**
 * The open (last, not yet full) block of recently appended series, decoded, kept after each
 * append (write-through). Small appends, the common case of a training loop that logs every
 * step, merge into the tail block: without this each one would read the block back and decode
 * it before encoding it again.
 *
 * Only for a database with one writer process. An entry is used only while the series row
 * (read inside the transaction) still describes it: same block, point count, last step and
 * last timestamp. Steps strictly increase, so a rolled-back append (the row reverts, the entry
 * does not) never matches; a cleared or re-created series writes a new block, which replaces
 * the entry.
 */
export class TailBlockCache {
  readonly #entries: LruCache<number, CachedTail>

  constructor(budgetBytes = 32 * 1024 * 1024) {
    this.#entries = new LruCache(budgetBytes)
  }

  /** The tail block of `seriesId` when the cached copy is still the stored one. */
  get(seriesId: number, position: TailPosition): DecodedBlock | null {
    const entry = this.#entries.get(seriesId)
    if (!entry) return null
    const { block } = entry
    const count = block.steps.length
    if (
      entry.blockNo !== position.blockNo ||
      count !== position.count ||
      count === 0 ||
      block.steps[count - 1] !== position.lastStep ||
      block.timestamps[count - 1] !== position.lastTs
    ) {
      this.forget(seriesId)
      return null
    }
    return block
  }

  /** Records the block just written as the tail of `seriesId`; `block` must not change later. */
  remember(seriesId: number, blockNo: number, block: DecodedBlock): void {
    this.#entries.set(seriesId, { blockNo, block }, sizeOf(block))
  }

  forget(seriesId: number): void {
    this.#entries.delete(seriesId)
  }
}

/** Rough memory of a decoded block: two float columns plus the values. */
function sizeOf(block: DecodedBlock): number {
  const count = block.steps.length
  switch (block.type) {
    case 'floatSeries':
      return 24 * count
    case 'stringSeries': {
      let bytes = 16 * count
      for (const value of block.values) bytes += 2 * value.length + 16
      return bytes
    }
    case 'fileSeries':
      return (16 + 256) * count
  }
}
