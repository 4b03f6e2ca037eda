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
import { createSecretStore } from './queries/secrets.js'
import { createUploadStore } from './queries/uploads.js'
import { createViewStore } from './queries/views.js'
import { createDashboardStore } from './queries/dashboards.js'
import { createGroupStore } from './queries/views-groups.js'
import { createAuditStore } from './queries/audit.js'
import { createInvitationStore } from './queries/invitations.js'
import { createMemberStore, withCreatorAsOwner } from './queries/members.js'
import { createServiceAccountStore } from './queries/service-accounts.js'
import { createSessionStore } from './queries/sessions.js'
import { createTrashStore } from './queries/trash.js'
import { createStoreContext } from './store-context.js'
import type { LockStore, Store } from './store.js'
import { createLocalLocks } from './locks/local-locks.js'
import { createJobStore } from './queries/job-runs.js'
import { createTableTransfer } from './transfer/table-transfer.js'
import { createImportStore } from './queries/imports.js'
import { createNotebookStore } from './queries/notebooks.js'
import { createProjectDeletionStore } from './queries/project-deletion.js'

export interface KyselyStoreOptions {
  db: Kysely<Database>
  adapter: DialectAdapter
  /** Integrity check of the underlying database; dialect-specific, so supplied by the dialect. */
  checkIntegrity: () => Promise<{ ok: boolean; messages: string[] }>
  /** Locks across processes on this database; in-process locks when absent (SQLite). */
  locks?: LockStore
  /** Schema of the tables and the migration table, where the dialect has schemas. */
  schema?: string
}

/** Assembles a Store from dialect-agnostic parts over one Kysely instance. */
export function createKyselyStore({
  db,
  adapter,
  checkIntegrity,
  locks,
  schema,
}: KyselyStoreOptions): Store {
  const context = createStoreContext(db, adapter)
  return {
    accounts: createAccountStore(db),
    workspaces: createWorkspaceStore(db),
    projects: withCreatorAsOwner(createProjectStore(context), db),
    objects: createObjectStore(context),
    fields: createFieldReader(context),
    series: createSeriesReader(context),
    ingest: createIngest(context),
    search: createSearchStore(context),
    blobs: createBlobRegistry(db),
    artifacts: createArtifactStore(db),
    usage: createUsageStore(db),
    members: createMemberStore(db),
    serviceAccounts: createServiceAccountStore(db),
    sessions: createSessionStore(db),
    invitations: createInvitationStore(db),
    audit: createAuditStore(db),
    trash: createTrashStore(db),
    secrets: createSecretStore(db),
    uploads: createUploadStore(context),
    views: createViewStore(context),
    dashboards: createDashboardStore(context),
    groups: createGroupStore(context),
    locks: locks ?? createLocalLocks(),
    jobs: createJobStore(db),
    transfer: createTableTransfer(db as unknown as Kysely<unknown>, adapter),
    imports: createImportStore(context),
    notebooks: createNotebookStore(context),
    projectDeletion: createProjectDeletionStore(context),
    migrate: () => migrateToLatest(db as unknown as Kysely<unknown>, adapter, schema),
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
