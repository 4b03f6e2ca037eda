import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { SessionStore } from '../store.js'
import { toUser } from './rows.js'

export function createSessionStore(db: Kysely<Database>): SessionStore {
  return {
    async create({ idHash, userId, csrfToken, now, expiresAt, address, userAgent }) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: idHash,
          user_id: userId,
          csrf_token: csrfToken,
          created_at: now,
          last_seen_at: now,
          expires_at: expiresAt,
          address: address ?? null,
          user_agent: userAgent ?? null,
        })
        .execute()
    },

    async find(idHash, now) {
      const row = await db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .selectAll('users')
        .select([
          'sessions.user_id as session_user_id',
          'sessions.csrf_token',
          'sessions.created_at as session_created_at',
          'sessions.last_seen_at',
          'sessions.expires_at',
        ])
        .where('sessions.id_hash', '=', idHash)
        .where('sessions.expires_at', '>', now)
        .where('users.deactivated_at', 'is', null)
        .where('users.kind', '=', 'user')
        .executeTakeFirst()
      if (!row) return null
      return {
        session: {
          userId: row.session_user_id,
          csrfToken: row.csrf_token,
          createdAt: Number(row.session_created_at),
          lastSeenAt: Number(row.last_seen_at),
          expiresAt: Number(row.expires_at),
        },
        user: toUser(row),
      }
    },

    async touch(idHash, now, expiresAt) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: now, expires_at: expiresAt })
        .where('id_hash', '=', idHash)
        .execute()
    },

    async delete(idHash) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
    },

    async deleteForUser(userId, keepIdHash) {
      let query = db.deleteFrom('sessions').where('user_id', '=', userId)
      if (keepIdHash !== undefined) query = query.where('id_hash', '!=', keepIdHash)
      const result = await query.executeTakeFirst()
      return Number(result.numDeletedRows)
    },

    async prune(now, failuresBefore) {
      await db.deleteFrom('sessions').where('expires_at', '<=', now).execute()
      await db.deleteFrom('sign_in_states').where('expires_at', '<=', now).execute()
      await db.deleteFrom('sign_in_failures').where('at', '<', failuresBefore).execute()
    },

    async recordSignInFailure(keys, now) {
      if (keys.length === 0) return
      await db
        .insertInto('sign_in_failures')
        .values(keys.map((key) => ({ key, at: now })))
        .execute()
    },

    async countSignInFailures(keys, since) {
      let most = 0
      for (const key of keys) {
        const row = await db
          .selectFrom('sign_in_failures')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('key', '=', key)
          .where('at', '>=', since)
          .executeTakeFirstOrThrow()
        most = Math.max(most, Number(row.count))
      }
      return most
    },

    async clearSignInFailures(key) {
      await db.deleteFrom('sign_in_failures').where('key', '=', key).execute()
    },

    async saveSignInState(stateHash, state) {
      await db
        .insertInto('sign_in_states')
        .values({
          state_hash: stateHash,
          provider: state.provider,
          code_verifier: state.codeVerifier,
          nonce: state.nonce,
          return_to: state.returnTo,
          expires_at: state.expiresAt,
        })
        .execute()
    },

    async takeSignInState(stateHash, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('sign_in_states')
          .selectAll()
          .where('state_hash', '=', stateHash)
          .executeTakeFirst()
        if (!row) return null
        await trx.deleteFrom('sign_in_states').where('state_hash', '=', stateHash).execute()
        if (Number(row.expires_at) <= now) return null
        return {
          provider: row.provider,
          codeVerifier: row.code_verifier,
          nonce: row.nonce,
          returnTo: row.return_to,
          expiresAt: Number(row.expires_at),
        }
      })
    },
  }
}
