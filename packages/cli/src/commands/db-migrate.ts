import { dataPaths } from '@nereid/server'
import { createPostgresStore, createSqliteStore, isPostgresUrl, redactUrl } from '@nereid/store'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CommandError } from '../command-error.js'

/**
 * Applies pending migrations to the SQLite file of --data, or to the PostgreSQL database of
 * --database-url (NEREID_DATABASE_URL), and lists what it did.
 */
export async function dbMigrateCommand(options: {
  data: string
  databaseUrl?: string
}): Promise<void> {
  let store
  let where: string
  if (options.databaseUrl !== undefined) {
    where = redactUrl(options.databaseUrl)
    if (!isPostgresUrl(options.databaseUrl))
      throw new CommandError(
        `the database URL must be postgres://user:password@host:5432/database (got "${where}")`,
      )
    store = createPostgresStore({ connectionString: options.databaseUrl, maxConnections: 2 })
  } else {
    const { database } = dataPaths(options.data)
    where = database
    await mkdir(dirname(database), { recursive: true })
    store = createSqliteStore({ filename: database })
  }
  try {
    const result = await store.migrate()
    for (const migration of result.results)
      process.stderr.write(`${migration.status.padEnd(11)} ${migration.name}\n`)
    if (result.error !== undefined)
      throw new CommandError(
        `migration of ${where} failed: ${String((result.error as Error).message ?? result.error)}`,
      )
    if (result.results.length === 0) process.stderr.write(`${where} is up to date\n`)
  } finally {
    await store.close()
  }
}
