import { describe, expect, it } from 'vitest'
import type { ConformanceContext } from './conformance-context.js'

export function defineAccountCases(context: ConformanceContext): void {
  describe('accounts', () => {
    it('finds a token by the hash of its secret, with its owner', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const token = await store.accounts.createApiToken({
        userId: user.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      const found = await store.accounts.findApiToken('h1')
      expect(found?.token.id).toBe(token.id)
      expect(found?.user.username).toBe('bob')
      await store.close()
    })

    it('stops finding a revoked token', async () => {
      const store = await context.createStore()
      const user = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      const token = await store.accounts.createApiToken({
        userId: user.id,
        name: 'ci',
        secretHash: 'h1',
        now: 2,
      })
      await store.accounts.revokeApiToken(token.id, 3)
      expect(await store.accounts.findApiToken('h1')).toBeNull()
      expect((await store.accounts.listApiTokens(user.id))[0]?.revokedAt).toBe(3)
      await store.close()
    })

    it('rejects a second user with the same name', async () => {
      const store = await context.createStore()
      await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 1 })
      await expect(
        store.accounts.createUser({ username: 'bob', isAdmin: false, now: 2 }),
      ).rejects.toThrow(/exists/)
      expect(await store.accounts.countUsers()).toBe(1)
      await store.close()
    })

    it('rejects an invalid username', async () => {
      const store = await context.createStore()
      await expect(
        store.accounts.createUser({ username: 'Bob Smith', isAdmin: false, now: 1 }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      await store.close()
    })
  })
}
