import { randomUUID } from 'node:crypto'
import { ConflictError, ValidationError } from '@nereid/core'
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { AccountStore } from '../store.js'
import { toApiToken, toUser } from './rows.js'

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/

export function createAccountStore(db: Kysely<Database>): AccountStore {
  return {
    async createUser({ username, displayName, passwordHash, isAdmin, now }) {
      if (!USERNAME.test(username)) {
        throw new ValidationError(
          `username "${username.slice(0, 64)}" must be 1-64 lowercase letters, digits, ".", "_" or "-"`,
          {
            field: 'username',
          },
        )
      }
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst()
      if (existing)
        throw new ConflictError('VALIDATION_FAILED', `user "${username}" exists`, {
          field: 'username',
        })
      const row = {
        id: randomUUID(),
        username,
        display_name: displayName ?? username,
        password_hash: passwordHash ?? null,
        is_admin: isAdmin ? 1 : 0,
        created_at: now,
      }
      await db.insertInto('users').values(row).execute()
      return toUser(row)
    },
    async getUser(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
      return row ? toUser(row) : null
    },
    async findUserByUsername(username) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst()
      return row ? toUser(row) : null
    },
    async countUsers() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },
    async createApiToken({ userId, name, secretHash, now }) {
      const row = {
        id: randomUUID(),
        user_id: userId,
        name,
        secret_hash: secretHash,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      }
      await db.insertInto('api_tokens').values(row).execute()
      return toApiToken(row)
    },
    async findApiToken(secretHash) {
      const token = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('secret_hash', '=', secretHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      if (!token || token.user_id === null) return null
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', token.user_id)
        .executeTakeFirst()
      return user ? { token: toApiToken(token), user: toUser(user) } : null
    },
    async touchApiToken(id, now) {
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute()
    },
    async revokeApiToken(id, now) {
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
    },
    async listApiTokens(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute()
      return rows.map(toApiToken)
    },
  }
}
