import { describe, expect, it } from 'vitest'
import { BlockStatsCache } from './block-stats-cache.js'
import { computeBlockStats, STATS_HEAD_BYTES } from './block-stats.js'
import { atOddOffset } from './test-support/series-fixture.js'

function statsOf(values: number[], firstStep = 0): Uint8Array {
  const n = values.length
  return computeBlockStats({
    steps: Float64Array.from({ length: n }, (_, i) => firstStep + i),
    timestamps: Float64Array.from({ length: n }, (_, i) => 1e12 + i),
    values: Float64Array.from(values),
  }).stats
}

const headOf = (stats: Uint8Array) => stats.slice(0, STATS_HEAD_BYTES)

describe('block stats cache', () => {
  it('serves a kept BLOB while the database holds the same head', () => {
    const cache = new BlockStatsCache()
    const stats = statsOf([1, 2, 3, 4, 5])
    cache.set(7, 3, stats)
    expect(Array.from(cache.get(7, 3, headOf(stats))!)).toEqual(Array.from(stats))
    expect(cache.get(7, 4, headOf(stats))).toBeNull()
    expect(cache.get(8, 3, headOf(stats))).toBeNull()
  })

  it('misses, and forgets the entry, once the block has grown or been written anew', () => {
    const cache = new BlockStatsCache()
    const stats = statsOf([1, 2, 3, 4, 5])
    cache.set(7, 3, stats)
    expect(cache.get(7, 3, headOf(statsOf([1, 2, 3, 4, 5, 6])))).toBeNull()
    expect(cache.bytes).toBe(0)
    cache.set(7, 3, stats)
    expect(cache.get(7, 3, headOf(statsOf([9, 2, 3, 4, 5])))).toBeNull()
    expect(cache.get(7, 3, headOf(stats))).toBeNull()
  })

  it('keeps an 8-byte aligned copy, not the caller’s bytes', () => {
    const cache = new BlockStatsCache()
    const stats = atOddOffset(statsOf([1, 2, 3]))
    const kept = cache.set(1, 0, stats)
    expect(kept.byteOffset % 8).toBe(0)
    stats.fill(0)
    expect(cache.get(1, 0, headOf(kept))).toBe(kept)
    expect(kept[0]).not.toBe(0)
  })

  it('evicts the least recently read BLOBs beyond its budget', () => {
    const one = statsOf(Array.from({ length: 64 }, (_, i) => i))
    const cache = new BlockStatsCache(one.length * 8 * 2)
    for (let blockNo = 0; blockNo < 16; blockNo++) cache.set(1, blockNo, one)
    expect(cache.get(1, 0, headOf(one))).not.toBeNull()
    cache.set(1, 16, one)
    expect(cache.bytes).toBeLessThanOrEqual(one.length * 16)
    expect(cache.get(1, 0, headOf(one))).not.toBeNull()
    expect(cache.get(1, 1, headOf(one))).toBeNull()
    expect(cache.get(1, 16, headOf(one))).not.toBeNull()
  })

  it('does not keep a head alone or a BLOB too large for its budget', () => {
    const stats = statsOf(Array.from({ length: 1024 }, (_, i) => i))
    const cache = new BlockStatsCache(stats.length * 4)
    expect(cache.set(1, 0, stats)).toBe(stats)
    cache.set(1, 1, headOf(stats))
    expect(cache.bytes).toBe(0)
  })
})
