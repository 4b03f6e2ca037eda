import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import type { DialectAdapter } from './dialect-adapter.js'
import { MIGRATIONS } from './migrations/index.js'
import type { MigrationResultSet } from './store.js'

/** Runs the shared migration set through Kysely's migrator; never throws. */
export async function migrateToLatest(
  db: Kysely<unknown>,
  adapter: DialectAdapter,
  /** Where the migration tables live, when not in the default schema. */
  schema?: string,
): Promise<MigrationResultSet> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const migrations: Record<string, Migration> = {}
      for (const [name, migration] of Object.entries(MIGRATIONS)) {
        migrations[name] = { up: (database) => migration.up(database, adapter) }
      }
      return migrations
    },
  }
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'nereid_migrations',
    migrationLockTableName: 'nereid_migrations_lock',
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  })
  const { error, results } = await migrator.migrateToLatest()
  return {
    ...(error === undefined ? {} : { error }),
    results: (results ?? []).map((result) => ({
      name: result.migrationName,
      direction: 'Up' as const,
      status: result.status,
    })),
  }
}
