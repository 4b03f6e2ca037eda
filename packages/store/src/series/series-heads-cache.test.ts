import { describe, expect, it } from 'vitest'
import type { BlockStatsRow } from './block-stats.js'
import { SeriesHeadsCache } from './series-heads-cache.js'

function rows(n: number): BlockStatsRow[] {
  return Array.from({ length: n }, (_, blockNo) => ({
    blockNo,
    count: 1024,
    firstStep: blockNo * 1024,
    lastStep: blockNo * 1024 + 1023,
    minTs: 0,
    maxTs: 1,
    stats: new Uint8Array(96),
  }))
}

describe('series heads cache', () => {
  it('serves the rows only while the series is at the version they were read at', () => {
    const cache = new SeriesHeadsCache()
    const kept = rows(3)
    cache.set(4, '[3072,"a"]', kept)
    expect(cache.get(4, '[3072,"a"]')).toBe(kept)
    expect(cache.get(5, '[3072,"a"]')).toBeNull()
    expect(cache.get(4, '[3073,"a"]')).toBeNull()
    // A changed series forgets its rows: going back to the old version does not revive them.
    expect(cache.get(4, '[3072,"a"]')).toBeNull()
  })

  it('evicts the least recently read series beyond its budget', () => {
    const cache = new SeriesHeadsCache(10 * 1024 * 1024)
    for (let id = 0; id < 60; id++) cache.set(id, 'v', rows(1000))
    expect(cache.get(0, 'v')).toBeNull()
    expect(cache.get(59, 'v')).not.toBeNull()
  })

  it('does not keep a series too large for its budget', () => {
    const cache = new SeriesHeadsCache(1024 * 1024)
    cache.set(1, 'v', rows(2000))
    expect(cache.get(1, 'v')).toBeNull()
  })
})
