import { afterAll, describe, expect, it, vi } from 'vitest'
import pg from 'pg'
import { createPostgresStore } from '../src/index.js'
import type { Store } from '../src/store.js'
import { runStoreConformance } from './conformance/run-conformance.js'
import { startTestPostgres } from './support/test-postgres.js'

// The whole conformance suite on a real PostgreSQL server. The suite's schema is migrated by
// the first test; every later test starts from it emptied (TRUNCATE … RESTART IDENTITY is
// about twenty times faster than migrating a fresh schema) and still calls migrate(), which
// then has nothing to do.
// Every statement is a round trip to the server here; the heaviest cases (9,000 fields on one
// object, thousands of random runs) take several times longer than on SQLite in-process,
// more so on a busy machine.
vi.setConfig({ testTimeout: 180_000 })

const server = await startTestPostgres()
const schema = `conformance_${process.pid}`
const applicationName = `nereid-${schema}`
const admin = new pg.Client({ connectionString: server.url })
await admin.connect()
await admin.query(`drop schema if exists "${schema}" cascade`)
const stores: Store[] = []

afterAll(async () => {
  try {
    await retireStores()
    await admin.query(`drop schema if exists "${schema}" cascade`)
  } finally {
    await admin.end()
    await server.stop()
  }
})

/**
 * A test that timed out may leave its store working: its sessions would hold the locks
 * TRUNCATE waits for, and its pool would reconnect and write into the next test's tables. So
 * every earlier store is closed (no new query can start on it) and its sessions are ended (the
 * queries in flight fail, which lets the close finish).
 */
async function retireStores(): Promise<void> {
  const closing = Promise.all(stores.splice(0).map((store) => store.close().catch(() => {})))
  await admin.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
    [applicationName],
  )
  // A store whose work waits forever on something else than the database never finishes
  // closing; its connections are gone all the same.
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 10_000).unref())])
}

async function emptyTables(): Promise<void> {
  await retireStores()
  const { rows } = await admin.query<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = $1 and tablename not like 'nereid_migrations%'`,
    [schema],
  )
  if (rows.length === 0) return
  const tables = rows.map(({ name }) => `"${schema}"."${name}"`).join(', ')
  await admin.query(`truncate ${tables} restart identity cascade`)
}

async function createStore(): Promise<Store> {
  await emptyTables()
  const store = createPostgresStore({
    connectionString: server.url,
    schema,
    maxConnections: 4,
    applicationName,
  })
  stores.push(store)
  const result = await store.migrate()
  if (result.error) throw result.error
  return store
}

runStoreConformance({ name: 'postgres', createStore })

describe('postgres store copy', () => {
  it('refreshes the planner statistics of each table it filled', async () => {
    const store = await createStore()
    const analyzed = async () => {
      const { rows } = await admin.query<{ at: Date | null }>(
        'select last_analyze as at from pg_stat_user_tables where schemaname = $1 and relname = $2',
        [schema, 'paths'],
      )
      return rows[0]?.at ?? null
    }
    const before = await analyzed()
    await store.transfer.finishTable('paths')
    const after = await analyzed()
    expect(after).not.toBeNull()
    expect(after!.getTime()).toBeGreaterThan(before?.getTime() ?? 0)
  })
})
