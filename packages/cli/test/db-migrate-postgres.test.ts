import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestPostgres } from '../../store/test/support/test-postgres.js'
import { runCli } from './support/server-process.js'

const postgres = await startTestPostgres()
const database = `db_migrate_${process.pid}`
const databaseUrl = postgres.url.replace(/\/[^/]*$/, `/${database}`)
const admin = new pg.Client({ connectionString: postgres.url })
await admin.connect()
await admin.query(`drop database if exists ${database}`)
await admin.query(`create database ${database}`)

afterAll(async () => {
  await admin.query(`drop database if exists ${database}`)
  await admin.end()
  await postgres.stop()
})

describe('nereid db migrate on PostgreSQL', () => {
  it('migrates the database of --database-url, then says there is nothing to do', async () => {
    const first = await runCli(['db', 'migrate', '--database-url', databaseUrl])
    expect(first.stderr).toContain('Success     0001-initial')
    const migrated = new pg.Client({ connectionString: databaseUrl })
    await migrated.connect()
    try {
      const applied = await migrated.query('select name from nereid_migrations order by name')
      expect(applied.rows[0]).toEqual({ name: '0001-initial' })
    } finally {
      await migrated.end()
    }
    const again = await runCli(['db', 'migrate', '--database-url', databaseUrl])
    expect(again.stderr).toContain('is up to date')
  })

  it('refuses a URL that is not PostgreSQL in one line', async () => {
    await expect(
      runCli(['db', 'migrate', '--database-url', 'mysql://root@127.0.0.1/x']),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^nereid: the database URL must be postgres:\/\//),
    })
  })
})
