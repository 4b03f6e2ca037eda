import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { BlobRegistry } from '../store.js'

export function createBlobRegistry(db: Kysely<Database>): BlobRegistry {
  return {
    async register(hash, size, now) {
      // Re-registering an unreferenced blob restarts its grace period, so a collector never
      // removes bytes a client has just uploaded again.
      await db
        .insertInto('blobs')
        .values({ hash, size, ref_count: 0, created_at: now })
        .onConflict((conflict) => conflict.column('hash').doUpdateSet({ created_at: now }))
        .execute()
    },
    async get(hash) {
      const row = await db
        .selectFrom('blobs')
        .selectAll()
        .where('hash', '=', hash)
        .executeTakeFirst()
      return row
        ? { hash: row.hash, size: Number(row.size), refCount: Number(row.ref_count) }
        : null
    },
    async collectGarbage(cutoff, limit) {
      return db.transaction().execute(async (trx) => {
        const rows = await trx
          .selectFrom('blobs')
          .select('hash')
          .where('ref_count', '<=', 0)
          .where('created_at', '<', cutoff)
          .limit(limit)
          .execute()
        const hashes = rows.map((row) => row.hash)
        for (let start = 0; start < hashes.length; start += 500) {
          await trx
            .deleteFrom('blobs')
            .where('hash', 'in', hashes.slice(start, start + 500))
            .where('ref_count', '<=', 0)
            .execute()
        }
        return hashes
      })
    },
    async forget(hashes) {
      if (hashes.length === 0) return []
      return db.transaction().execute(async (trx) => {
        const removed: string[] = []
        for (let start = 0; start < hashes.length; start += 500) {
          const chunk = hashes.slice(start, start + 500)
          const rows = await trx
            .selectFrom('blobs')
            .select('hash')
            .where('hash', 'in', chunk)
            .where('ref_count', '<=', 0)
            .execute()
          if (rows.length === 0) continue
          const gone = rows.map((row) => row.hash)
          await trx.deleteFrom('blobs').where('hash', 'in', gone).execute()
          removed.push(...gone)
        }
        return removed
      })
    },
  }
}
