import type { Kysely, Transaction } from 'kysely'
import type { Database } from './database.js'
import type { DialectAdapter } from './dialect-adapter.js'
import { PathRegistry, type PathSession } from './queries/path-registry.js'

/** What every part of the shared (dialect-agnostic) store code works with. */
export interface StoreContext {
  readonly db: Kysely<Database>
  readonly adapter: DialectAdapter
  readonly paths: PathRegistry
}

export function createStoreContext(db: Kysely<Database>, adapter: DialectAdapter): StoreContext {
  return { db, adapter, paths: new PathRegistry() }
}

/** Runs `work` in a transaction; path ids it interned become shared only after the commit. */
export async function inTransaction<T>(
  context: StoreContext,
  work: (trx: Transaction<Database>, paths: PathSession) => Promise<T>,
): Promise<T> {
  let session: PathSession | undefined
  const result = await context.db.transaction().execute(async (trx) => {
    session = context.paths.session(trx)
    return work(trx, session)
  })
  session?.commit()
  return result
}
