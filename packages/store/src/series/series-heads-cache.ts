import { LruCache } from '../cache/lru-cache.js'
import { STATS_HEAD_BYTES, type BlockStatsRow } from './block-stats.js'

interface Entry {
  version: string
  rows: BlockStatsRow[]
}

/** Rough bytes of one row: its head and the object around it. */
const ROW_BYTES = STATS_HEAD_BYTES + 128

/**
 * The stats rows (heads only) of recently charted series, so that charting a series again reads
 * no stats rows from the database: with the sub-chunk records from BlockStatsCache, a chart of a
 * series that has not changed is computed from memory. Reading the 977 heads of a 1 M-point
 * series costs SQLite about 5 ms, more than the downsampling itself.
 *
 * Each entry carries the `version` of the series it was read at, a string made of the series
 * row's summary (point count, blocks, first and last step, last timestamp, min, max, sum, …),
 * which every append changes in the same transaction as the blocks. An entry is used only while
 * the series row still gives the same version, across server instances too; a series cleared
 * and written again, or a deleted one whose id is reused, would have to end with the same
 * summary down to the float sum's last bit to pass for the old one.
 */
export class SeriesHeadsCache {
  readonly #entries: LruCache<number, Entry>
  readonly #budgetBytes: number

  constructor(budgetBytes = 16 * 1024 * 1024) {
    this.#entries = new LruCache(budgetBytes)
    this.#budgetBytes = budgetBytes
  }

  /** The rows kept for `seriesId` when they were read at `version`; else null. */
  get(seriesId: number, version: string): BlockStatsRow[] | null {
    const entry = this.#entries.get(seriesId)
    if (!entry) return null
    if (entry.version !== version) {
      this.#entries.delete(seriesId)
      return null
    }
    return entry.rows
  }

  /** Keeps all the stats rows of a series read at `version`; they must not change later. */
  set(seriesId: number, version: string, rows: BlockStatsRow[]): void {
    const bytes = rows.length * ROW_BYTES
    if (bytes * 8 > this.#budgetBytes) {
      this.#entries.delete(seriesId)
      return
    }
    this.#entries.set(seriesId, { version, rows }, bytes)
  }
}
