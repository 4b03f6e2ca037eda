import { describe, expect, it } from 'vitest'
import { BatchedLookup } from './batched-lookup.js'

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('batched lookups for visible rows', () => {
  it('sends keys asked for together in batches and caches the answers', async () => {
    const batches: string[][] = []
    const lookup = new BatchedLookup<number>({
      batchSize: 2,
      delayMs: 5,
      fetch: async (keys) => {
        batches.push(keys)
        return new Map(keys.filter((k) => k !== 'c').map((k) => [k, k.length]))
      },
    })
    let heard = 0
    lookup.subscribe(() => heard++)
    lookup.request(['a', 'bb'])
    lookup.request(['c', 'a'])
    await wait(20)
    expect(batches).toEqual([['a', 'bb'], ['c']])
    expect(lookup.get('bb')).toBe(2)
    expect(lookup.get('c')).toBeNull()
    expect(heard).toBe(2)
    lookup.request(['a', 'bb', 'c'])
    await wait(20)
    expect(batches).toHaveLength(2)
  })

  it('asks again for invalidated keys and for keys of a failed batch', async () => {
    let calls = 0
    const lookup = new BatchedLookup<number>({
      batchSize: 10,
      delayMs: 1,
      fetch: async (keys) => {
        calls++
        if (calls === 1) throw new Error('down')
        return new Map(keys.map((k) => [k, calls]))
      },
    })
    lookup.request(['a'])
    await wait(10)
    expect(lookup.get('a')).toBeUndefined()
    lookup.request(['a'])
    await wait(10)
    expect(lookup.get('a')).toBe(2)
    lookup.invalidate(['a'])
    lookup.request(['a'])
    await wait(10)
    expect(lookup.get('a')).toBe(3)
  })
})
