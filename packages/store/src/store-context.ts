import { NereidError } from '@nereid/core'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './database.js'
import type { DialectAdapter } from './dialect-adapter.js'
import { PathRegistry, type PathSession } from './queries/path-registry.js'
import { BlockStatsCache, SeriesHeadsCache } from './series/index.js'

/** What every part of the shared (dialect-agnostic) store code works with. */
export interface StoreContext {
  readonly db: Kysely<Database>
  readonly adapter: DialectAdapter
  readonly paths: PathRegistry
  /** Stats BLOBs of recently charted blocks (checked against the database on every read). */
  readonly blockStats: BlockStatsCache
  /** Stats rows (heads) of recently charted series, kept while the series is unchanged. */
  readonly seriesHeads: SeriesHeadsCache
}

export function createStoreContext(db: Kysely<Database>, adapter: DialectAdapter): StoreContext {
  return {
    db,
    adapter,
    paths: new PathRegistry(),
    blockStats: new BlockStatsCache(),
    seriesHeads: new SeriesHeadsCache(),
  }
}

/** Runs of a transaction that lost a race with another one, before the caller is told. */
const MAX_ATTEMPTS = 6

/**
 * Runs `work` in a transaction; path ids it interned become shared only after the commit.
 * Where other processes write concurrently, a transaction can lose a race (a deadlock between
 * two batches interning the same new paths in different orders): it is rolled back whole and
 * `work` runs again from the start, so `work` must not change its inputs.
 */
export async function inTransaction<T>(
  context: StoreContext,
  work: (trx: Transaction<Database>, paths: PathSession) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let session: PathSession | undefined
    try {
      const result = await context.db.transaction().execute(async (trx) => {
        session = context.paths.session(trx)
        return work(trx, session)
      })
      session?.commit()
      return result
    } catch (error) {
      if (!context.adapter.isTransientConflict(error)) throw error
      if (attempt === MAX_ATTEMPTS) {
        throw new NereidError(
          'SERVICE_UNAVAILABLE',
          `the write conflicted with concurrent writes ${MAX_ATTEMPTS} times; send it again`,
          { retryAfterSeconds: 1 },
          { cause: error },
        )
      }
      // Randomised, growing pauses keep the two losers of a deadlock from meeting again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt))
    }
  }
}
