import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'
import type { DialectAdapter } from './dialect-adapter.js'
import { createIngest } from './ingest/operation-applier.js'
import { migrateToLatest } from './migrator.js'
import { createAccountStore } from './queries/accounts.js'
import { createArtifactStore } from './queries/artifacts.js'
import { createBlobRegistry } from './queries/blobs.js'
import { createFieldReader } from './queries/field-reader.js'
import { createObjectStore } from './queries/objects.js'
import { createProjectStore } from './queries/projects.js'
import { createSeriesReader } from './queries/series-reader.js'
import { createUsageStore } from './queries/usage.js'
import { createWorkspaceStore } from './queries/workspaces.js'
import { createSearchStore } from './search/search-store.js'
import { createStoreContext } from './store-context.js'
import type { Store } from './store.js'

export interface KyselyStoreOptions {
  db: Kysely<Database>
  adapter: DialectAdapter
  /** Integrity check of the underlying database; dialect-specific, so supplied by the dialect. */
  checkIntegrity: () => Promise<{ ok: boolean; messages: string[] }>
}

/** Assembles a Store from dialect-agnostic parts over one Kysely instance. */
export function createKyselyStore({ db, adapter, checkIntegrity }: KyselyStoreOptions): Store {
  const context = createStoreContext(db, adapter)
  return {
    accounts: createAccountStore(db),
    workspaces: createWorkspaceStore(db),
    projects: createProjectStore(context),
    objects: createObjectStore(context),
    fields: createFieldReader(context),
    series: createSeriesReader(context),
    ingest: createIngest(context),
    search: createSearchStore(context),
    blobs: createBlobRegistry(db),
    artifacts: createArtifactStore(db),
    usage: createUsageStore(db),
    migrate: () => migrateToLatest(db as unknown as Kysely<unknown>, adapter),
    checkIntegrity,
    async close() {
      await db.destroy()
    },
  }
}

/** A cheap query that fails when the database is unreachable. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db)
}
