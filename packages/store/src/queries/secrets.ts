import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { SecretStore } from '../store.js'

type SecretTables = {
  server_secrets: { name: string; value: string; created_at: number }
}

/**
 * Named server secrets (signing keys). The first caller's generated value wins: concurrent
 * callers, in this process or in other server instances sharing the database, all read it back.
 */
export function createSecretStore(database: Kysely<Database>): SecretStore {
  const db = database.withTables<SecretTables>()
  return {
    async getOrCreate(name, generate, now) {
      const existing = await db
        .selectFrom('server_secrets')
        .select('value')
        .where('name', '=', name)
        .executeTakeFirst()
      if (existing) return existing.value
      await db
        .insertInto('server_secrets')
        .values({ name, value: generate(), created_at: now })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute()
      const row = await db
        .selectFrom('server_secrets')
        .select('value')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
      return row.value
    },
  }
}
