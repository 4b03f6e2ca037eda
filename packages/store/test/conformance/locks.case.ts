import { describe, expect, it } from 'vitest'
import type { ConformanceContext } from './conformance-context.js'

export function defineLockCases(context: ConformanceContext): void {
  describe('locks and job rounds', () => {
    it('runs exclusive holders of one lock one at a time, and of different locks at once', async () => {
      const store = await context.createStore()
      const inside = new Map<string, number>()
      let most = 0
      let together = false
      const hold = (name: string) =>
        store.locks.runExclusive(name, async () => {
          inside.set(name, (inside.get(name) ?? 0) + 1)
          most = Math.max(most, inside.get(name)!)
          if ((inside.get('a') ?? 0) > 0 && (inside.get('b') ?? 0) > 0) together = true
          await new Promise((resolve) => setTimeout(resolve, 10))
          inside.set(name, inside.get(name)! - 1)
        })
      await Promise.all([hold('a'), hold('a'), hold('b'), hold('a'), hold('b')])
      expect(most).toBe(1)
      expect(together).toBe(true)
      await store.close()
    })

    it('gives up a try at once while the lock is held, and succeeds once it is free', async () => {
      const store = await context.createStore()
      let release!: () => void
      const holder = store.locks.runExclusive(
        'job',
        () => new Promise<void>((resolve) => (release = resolve)),
      )
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(await store.locks.tryRunExclusive('job', async () => 'ran')).toEqual({
        acquired: false,
      })
      release()
      await holder
      expect(await store.locks.tryRunExclusive('job', async () => 'ran')).toEqual({
        acquired: true,
        value: 'ran',
      })
      await store.close()
    })

    it('lets shared holders in together and an exclusive one in alone, in arrival order', async () => {
      const store = await context.createStore()
      const log: string[] = []
      const step = (label: string, ms: number) => async () => {
        log.push(`${label}+`)
        await new Promise((resolve) => setTimeout(resolve, ms))
        log.push(`${label}-`)
      }
      await Promise.all([
        store.locks.runShared('blobs', step('r1', 30)),
        store.locks.runShared('blobs', step('r2', 30)),
        store.locks.runExclusive('blobs', step('w', 10)),
        store.locks.runShared('blobs', step('r3', 10)),
      ])
      expect(log.slice(0, 2).sort()).toEqual(['r1+', 'r2+'])
      expect(log.indexOf('w+')).toBeGreaterThan(Math.max(log.indexOf('r1-'), log.indexOf('r2-')))
      expect(log.indexOf('r3+')).toBeGreaterThan(log.indexOf('w-'))
      await store.close()
    })

    it('releases a lock whose work throws, and passes the error on', async () => {
      const store = await context.createStore()
      await expect(
        store.locks.runExclusive('x', async () => {
          throw new Error('boom')
        }),
      ).rejects.toThrow('boom')
      expect(await store.locks.tryRunExclusive('x', async () => 1)).toEqual({
        acquired: true,
        value: 1,
      })
      await store.close()
    })

    it('claims one round of a periodic job per interval', async () => {
      const store = await context.createStore()
      expect(await store.jobs.lastStarted('gc')).toBeNull()
      expect(await store.jobs.claim('gc', 10_000, 5_000)).toBe(true)
      expect(await store.jobs.claim('gc', 12_000, 5_000)).toBe(false)
      expect(await store.jobs.claim('other', 12_000, 5_000)).toBe(true)
      expect(await store.jobs.lastStarted('gc')).toBe(10_000)
      expect(await store.jobs.claim('gc', 15_000, 5_000)).toBe(true)
      expect(await store.jobs.lastStarted('gc')).toBe(15_000)
      const racing = await Promise.all(
        Array.from({ length: 5 }, () => store.jobs.claim('gc', 30_000, 5_000)),
      )
      expect(racing.filter(Boolean)).toHaveLength(1)
      await store.close()
    })
  })
}
