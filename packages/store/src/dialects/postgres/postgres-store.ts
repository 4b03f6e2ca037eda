import { Kysely, PostgresDialect, type Dialect } from 'kysely'
import pg from 'pg'
import type { Database as Schema } from '../../database.js'
import { createKyselyStore } from '../../kysely-store.js'
import type { Store } from '../../store.js'
import { postgresAdapter } from './postgres-adapter.js'
import {
  describeTarget,
  validatePostgresConfig,
  type PostgresStoreConfig,
} from './postgres-config.js'
import { mapDriverError, messageOf } from './postgres-errors.js'
import { createPostgresLocks } from './postgres-locks.js'
import { PipeliningPostgresDriver } from './pipelining-driver.js'

const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * bigint (count(*), epoch-ms columns) and numeric (sum() of bigint) arrive as strings by
 * default, for precision beyond 2^53. Nereid's integers are counts, bytes and epoch
 * milliseconds, all far below that, and the shared code expects numbers from every backend.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format)
  },
} as pg.CustomTypesConfig

/**
 * The store on PostgreSQL, for several server instances on one database. Connections are
 * pooled; nothing connects until the first query, and nothing is migrated until `migrate()`.
 * When the database is unreachable or restarting, every method rejects with
 * SERVICE_UNAVAILABLE (the server answers 503 + Retry-After) and the pool reconnects on its
 * own once the database is back.
 */
export function createPostgresStore(config: PostgresStoreConfig): Store {
  validatePostgresConfig(config)
  const frozen = Object.freeze({ ...config })
  const target = describeTarget(frozen.connectionString)
  const onConnectionError = frozen.onConnectionError ?? (() => undefined)
  const poolConfig: pg.PoolConfig = {
    connectionString: frozen.connectionString,
    connectionTimeoutMillis: frozen.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: frozen.idleTimeoutMs ?? 30_000,
    keepAlive: true,
    application_name: frozen.applicationName ?? 'nereid',
    types,
    ...(frozen.schema === undefined ? {} : { options: `-c search_path=${frozen.schema}` }),
  }
  // Pipeline mode: statements that need no answer of their own leave with the next one
  // (pipelining-driver.ts).
  const pool = watched(
    new pg.Pool({ ...poolConfig, max: frozen.maxConnections ?? 10, pipeline: true }),
  )
  const lockPool = watched(new pg.Pool({ ...poolConfig, max: 8 }))
  function watched(created: pg.Pool): pg.Pool {
    // An idle connection that loses its server emits 'error'; unheard, it would end the
    // process. A checked-out one does too when no query is running on it.
    created.on('error', onConnectionError)
    created.on('connect', (client) => client.on('error', onConnectionError))
    return created
  }

  const mapError = (error: unknown) => mapDriverError(error, target)
  // Kysely's PostgreSQL adapter, compiler and introspector, with a driver of our own.
  const kyselyDialect = new PostgresDialect({ pool })
  const dialect: Dialect = {
    createAdapter: () => kyselyDialect.createAdapter(),
    createQueryCompiler: () => kyselyDialect.createQueryCompiler(),
    createIntrospector: (db) => kyselyDialect.createIntrospector(db),
    createDriver: () => new PipeliningPostgresDriver(pool, mapError),
  }
  const db = new Kysely<Schema>({ dialect })
  const locks = createPostgresLocks(lockPool, frozen.schema ?? '', mapError)
  const store = createKyselyStore({
    db,
    adapter: postgresAdapter,
    locks,
    ...(frozen.schema === undefined ? {} : { schema: frozen.schema }),
    async checkIntegrity() {
      // PostgreSQL checks its own pages; what can be wrong from here is the connection.
      try {
        await pool.query('select 1')
        return { ok: true, messages: ['ok'] }
      } catch (error) {
        return { ok: false, messages: [messageOf(error)] }
      }
    },
  })
  let closing: Promise<void> | undefined
  return {
    ...store,
    close() {
      closing ??= (async () => {
        await store.close()
        await locks.close()
      })()
      return closing
    },
  }
}
