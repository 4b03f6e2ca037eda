import { describe, expect, it } from 'vitest'
import { LruCache } from './lru-cache.js'

describe('LRU cache', () => {
  it('drops the least recently used entries once over its budget', () => {
    const cache = new LruCache<string, number>(30)
    cache.set('a', 1, 10)
    cache.set('b', 2, 10)
    cache.set('c', 3, 10)
    expect(cache.get('a')).toBe(1)
    cache.set('d', 4, 10)
    expect(cache.get('b')).toBeUndefined()
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4])
    expect(cache.bytes).toBe(30)
  })

  it('replaces an entry set again and forgets a deleted one', () => {
    const cache = new LruCache<string, number>(100)
    cache.set('a', 1, 10)
    cache.set('a', 2, 20)
    expect(cache.get('a')).toBe(2)
    expect(cache.bytes).toBe(20)
    cache.delete('a')
    expect(cache.get('a')).toBeUndefined()
    expect(cache.bytes).toBe(0)
  })

  it('does not keep an entry larger than its budget, nor the one it replaced', () => {
    const cache = new LruCache<string, number>(10)
    cache.set('a', 1, 5)
    cache.set('a', 2, 11)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.bytes).toBe(0)
  })
})
