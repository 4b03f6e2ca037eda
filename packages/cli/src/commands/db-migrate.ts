import { dataPaths } from '@nereid/server'
import { createSqliteStore } from '@nereid/store'
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CommandError } from '../command-error.js'

export async function dbMigrateCommand(options: { data: string }): Promise<void> {
  const { database } = dataPaths(options.data)
  await mkdir(dirname(database), { recursive: true })
  const store = createSqliteStore({ filename: database })
  try {
    const result = await store.migrate()
    for (const migration of result.results)
      process.stderr.write(`${migration.status.padEnd(11)} ${migration.name}\n`)
    if (result.error !== undefined)
      throw new CommandError(
        `migration failed: ${String((result.error as Error).message ?? result.error)}`,
      )
    if (result.results.length === 0) process.stderr.write(`${database} is up to date\n`)
  } finally {
    await store.close()
  }
}
