import { describe, expect, it } from 'vitest'
import { CountCache } from './count-cache.js'

describe('count cache', () => {
  it('answers a count until it is older than its time to live', () => {
    const cache = new CountCache<number>({ ttlMs: 2000, maxEntries: 10 })
    cache.set('q', 120_000, 1000)
    expect(cache.get('q', 2999)).toBe(120_000)
    expect(cache.get('q', 3000)).toBeUndefined()
    expect(cache.get('q', 1500)).toBeUndefined()
  })

  it('forgets a count when the clock goes backwards', () => {
    const cache = new CountCache<number>({ ttlMs: 2000, maxEntries: 10 })
    cache.set('q', 5, 1000)
    expect(cache.get('q', 999)).toBeUndefined()
  })

  it('keeps at most its number of entries, dropping the oldest first', () => {
    const cache = new CountCache<number>({ ttlMs: 60_000, maxEntries: 2 })
    cache.set('a', 1, 0)
    cache.set('b', 2, 1)
    cache.set('a', 3, 2)
    cache.set('c', 4, 3)
    expect(cache.get('b', 4)).toBeUndefined()
    expect([cache.get('a', 4), cache.get('c', 4)]).toEqual([3, 4])
  })
})
