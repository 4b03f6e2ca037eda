import type { Writable } from 'node:stream'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { PipeliningPostgresDriver } from '../src/dialects/postgres/pipelining-driver.js'
import { isTransientConflict } from '../src/dialects/postgres/postgres-errors.js'
import { preparedStatement } from '../src/queries/prepared-statement.js'
import { startTestPostgres } from './support/test-postgres.js'

const server = await startTestPostgres()
const schema = `driver_${process.pid}`

const admin = new pg.Client({ connectionString: server.url })
await admin.connect()
await admin.query(`create schema if not exists "${schema}"`)

// One connection, so every transaction below runs on the connection whose writes are counted.
const pool = new pg.Pool({
  connectionString: server.url,
  max: 1,
  pipeline: true,
  options: `-c search_path=${schema}`,
})
const kysely = new PostgresDialect({ pool })
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const db = new Kysely<any>({
  dialect: {
    createAdapter: () => kysely.createAdapter(),
    createQueryCompiler: () => kysely.createQueryCompiler(),
    createIntrospector: (inner) => kysely.createIntrospector(inner),
    createDriver: () => new PipeliningPostgresDriver(pool, (error) => error),
  },
})

/** Socket writes of the pool's connections: one per round trip the driver starts. */
let writes = 0
pool.on('connect', (client) => {
  const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream
  const writev = stream._writev!.bind(stream)
  const write = stream._write.bind(stream)
  stream._writev = (chunks, callback) => {
    writes++
    writev(chunks, callback)
  }
  stream._write = (chunk, encoding, callback) => {
    writes++
    write(chunk, encoding, callback)
  }
})

const insertRow = preparedStatement(
  (id: number, note: string) => sql`insert into notes (id, note) values (${id}, ${note})`,
  { deferrable: true },
)
const countRows = preparedStatement(() => sql<{ n: number }>`select count(*)::int as n from notes`)
const selectNote = preparedStatement(
  (id: number) => sql<{ note: string }>`select * from notes where id = ${id}`,
)

afterAll(async () => {
  await db.destroy()
  await admin.query(`drop schema if exists "${schema}" cascade`)
  await admin.end()
  await server.stop()
})

beforeEach(async () => {
  await admin.query(`drop table if exists "${schema}".notes`)
  await admin.query(`create table "${schema}".notes (id integer primary key, note text)`)
  // Warm the connection (its start-up writes are not the driver's).
  await sql`select 1`.execute(db)
})

describe('postgres driver: pipelining', () => {
  it('sends BEGIN with the first statement and held writes with the next read or COMMIT', async () => {
    writes = 0
    const seen = await db.transaction().execute(async (trx) => {
      await insertRow(trx, 1, 'one')
      await insertRow(trx, 2, 'two')
      const { rows } = await countRows(trx)
      await insertRow(trx, 3, 'three')
      return rows[0]!.n
    })
    // The read saw the two held inserts; BEGIN + inserts + read, then insert + COMMIT.
    expect(seen).toBe(2)
    expect(writes).toBe(2)
    expect((await countRows(db)).rows[0]!.n).toBe(3)
  })

  it('sends nothing for a transaction that runs no statement', async () => {
    writes = 0
    await db.transaction().execute(async () => 'nothing')
    expect(writes).toBe(0)
  })

  it('reports the error of a held write at the commit and keeps nothing of the transaction', async () => {
    await insertRow(db, 1, 'before')
    const error = await db
      .transaction()
      .execute(async (trx) => {
        await insertRow(trx, 2, 'kept only if all is')
        await insertRow(trx, 1, 'duplicate key')
        await insertRow(trx, 3, 'after the failure')
      })
      .catch((e: unknown) => e)
    // The duplicate key is the cause, not the "transaction is aborted" of the statements after.
    expect(error).toMatchObject({ code: '23505' })
    expect((await countRows(db)).rows[0]!.n).toBe(1)
    expect((await selectNote(db, 1)).rows[0]!.note).toBe('before')
  })

  it('reports the error of a held write at the read it went out with', async () => {
    const error = await db
      .transaction()
      .execute(async (trx) => {
        await insertRow(trx, 1, 'one')
        await insertRow(trx, 1, 'duplicate key')
        await countRows(trx)
        throw new Error('the read should have failed')
      })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: '23505' })
    expect((await countRows(db)).rows[0]!.n).toBe(0)
  })

  it('runs prepared statements by name, parsed once per connection', async () => {
    await selectNote(db, 1)
    const { rows } = await sql<{
      name: string
      statement: string
    }>`select name, statement from pg_prepared_statements`.execute(db)
    expect(rows).toContainEqual(
      expect.objectContaining({ statement: 'select * from notes where id = $1' }),
    )
    expect(rows.every((row) => row.name.startsWith('nereid_'))).toBe(true)
  })

  it('makes a statement prepared before a migration changed its columns a conflict to run again', async () => {
    await insertRow(db, 1, 'one')
    await selectNote(db, 1)
    await admin.query(`alter table "${schema}".notes add column extra text`)
    const error = await db
      .transaction()
      .execute((trx) => selectNote(trx, 1))
      .catch((e: unknown) => e)
    expect(isTransientConflict(error)).toBe(true)
    // The connection that held the stale statement is gone; a new one prepares it afresh.
    const again = await db.transaction().execute((trx) => selectNote(trx, 1))
    expect(again.rows[0]).toEqual({ id: 1, note: 'one', extra: null })
  })
})
