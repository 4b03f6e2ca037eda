import { LruCache } from '../cache/lru-cache.js'
import { STATS_HEAD_BYTES } from './block-stats.js'

/**
 * Whole stats BLOBs of recently charted blocks, so that a chart read again (a page reload, the
 * live update of a running run, another person looking at the same run, a zoom within the same
 * blocks) moves only the BLOBs' heads out of the database. A 1,000-bucket chart of 1 M points
 * needs every sub-chunk record (2.8 MB); on PostgreSQL, encoding those as `bytea` text costs the
 * database more than everything else in the read.
 *
 * An entry is served only when its first STATS_HEAD_BYTES equal the head the database holds
 * now, so it needs no invalidation, across server instances too. The head is the format
 * header and the block summary: point count, first and last step, first, smallest and largest
 * timestamp, finite count, min, max, sum and last value. Appending to a block changes its count;
 * a series cleared and written again, or a deleted series whose id is reused, has other values
 * or timestamps. Only a block rewritten with the same steps and timestamps and a reordering of
 * its values that keeps min, max, last and the float sum bit for bit could pass for the old
 * one: no writer does that.
 */
export class BlockStatsCache {
  readonly #entries: LruCache<string, Uint8Array>
  readonly #budgetBytes: number

  constructor(budgetBytes = 64 * 1024 * 1024) {
    this.#entries = new LruCache(budgetBytes)
    this.#budgetBytes = budgetBytes
  }

  /** The whole stats BLOB of a block when the cached copy begins with `head`; else null. */
  get(seriesId: number, blockNo: number, head: Uint8Array): Uint8Array | null {
    const key = keyOf(seriesId, blockNo)
    const stats = this.#entries.get(key)
    if (stats === undefined) return null
    if (!startsWith(stats, head)) {
      this.#entries.delete(key)
      return null
    }
    return stats
  }

  /**
   * Keeps a copy of a whole stats BLOB, 8-byte aligned so that decoding it is a view, not a copy.
   * BLOBs larger than an eighth of the budget are not kept. Returns the copy kept (or `stats`).
   */
  set(seriesId: number, blockNo: number, stats: Uint8Array): Uint8Array {
    if (stats.length <= STATS_HEAD_BYTES || stats.length * 8 > this.#budgetBytes) return stats
    const copy = new Uint8Array(stats.length)
    copy.set(stats)
    this.#entries.set(keyOf(seriesId, blockNo), copy, copy.length)
    return copy
  }

  /** Bytes of the BLOBs kept now. */
  get bytes(): number {
    return this.#entries.bytes
  }
}

function keyOf(seriesId: number, blockNo: number): string {
  return `${seriesId}:${blockNo}`
}

function startsWith(stats: Uint8Array, head: Uint8Array): boolean {
  if (head.length < STATS_HEAD_BYTES || stats.length < head.length) return false
  for (let i = 0; i < head.length; i++) if (stats[i] !== head[i]) return false
  return true
}
