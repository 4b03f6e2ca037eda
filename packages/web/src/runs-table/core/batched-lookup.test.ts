import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BatchedLookup } from './batched-lookup.js'

/** Lets the fetches started by a timer settle. */
const answers = () => vi.advanceTimersByTimeAsync(0)

describe('batched lookups for visible rows', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  function recordingLookup(options: { batchSize?: number; delayMs?: number; maxDelayMs?: number }) {
    const batches: string[][] = []
    const lookup = new BatchedLookup<number>({
      batchSize: options.batchSize ?? 10,
      delayMs: options.delayMs ?? 50,
      maxDelayMs: options.maxDelayMs ?? 500,
      fetch: async (keys) => {
        batches.push(keys)
        return new Map(keys.filter((k) => k !== 'c').map((k) => [k, k.length]))
      },
    })
    return { lookup, batches }
  }

  it('sends the keys on screen in batches once the view settles, and caches the answers', async () => {
    const { lookup, batches } = recordingLookup({ batchSize: 2 })
    let heard = 0
    lookup.subscribe(() => heard++)
    lookup.show(['a', 'bb', 'c'])
    await vi.advanceTimersByTimeAsync(49)
    expect(batches).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    await answers()
    expect(batches).toEqual([['a', 'bb'], ['c']])
    expect(lookup.get('bb')).toBe(2)
    expect(lookup.get('c')).toBeNull()
    expect(heard).toBe(2)
    lookup.show(['a', 'bb', 'c'])
    await vi.advanceTimersByTimeAsync(100)
    expect(batches).toHaveLength(2)
  })

  it('does not fetch rows that left the screen before the view settled', async () => {
    const { lookup, batches } = recordingLookup({ delayMs: 50 })
    // A fast scroll: a new set of rows every 30 ms, then the view stops on the last one.
    for (const rows of [
      ['r1', 'r2'],
      ['r3', 'r4'],
      ['r5', 'r6'],
    ]) {
      lookup.show(rows)
      await vi.advanceTimersByTimeAsync(30)
    }
    await vi.advanceTimersByTimeAsync(50)
    await answers()
    expect(batches).toEqual([['r5', 'r6']])
    expect(lookup.get('r1')).toBeUndefined()
  })

  it('still fetches during a long steady scroll, at most a maximum delay apart', async () => {
    const { lookup, batches } = recordingLookup({ delayMs: 50, maxDelayMs: 200 })
    for (let i = 0; i < 20; i++) {
      lookup.show([`r${i}`])
      await vi.advanceTimersByTimeAsync(30)
    }
    // 600 ms of scrolling with the view never still for 50 ms: a batch every 200 ms or so.
    expect(batches.length).toBeGreaterThanOrEqual(2)
    expect(batches.length).toBeLessThanOrEqual(3)
    for (const batch of batches) expect(batch).toHaveLength(1)
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
    lookup.show(['a'])
    await vi.advanceTimersByTimeAsync(10)
    expect(lookup.get('a')).toBeUndefined()
    lookup.show(['a'])
    await vi.advanceTimersByTimeAsync(10)
    expect(lookup.get('a')).toBe(2)
    lookup.invalidate(['a'])
    lookup.show(['a'])
    await vi.advanceTimersByTimeAsync(10)
    expect(lookup.get('a')).toBe(3)
  })
})
