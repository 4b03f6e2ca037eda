import {
  Kysely,
  PostgresDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely'
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
  const pool = watched(new pg.Pool({ ...poolConfig, max: frozen.maxConnections ?? 10 }))
  const lockPool = watched(new pg.Pool({ ...poolConfig, max: 8 }))
  function watched(created: pg.Pool): pg.Pool {
    // An idle connection that loses its server emits 'error'; unheard, it would end the
    // process. A checked-out one does too when no query is running on it.
    created.on('error', onConnectionError)
    created.on('connect', (client) => client.on('error', onConnectionError))
    return created
  }

  const mapError = (error: unknown) => mapDriverError(error, target)
  const db = new Kysely<Schema>({
    dialect: new ErrorMappingDialect(new PostgresDialect({ pool }), mapError),
  })
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

/**
 * Kysely's PostgreSQL dialect with every driver error passed through `mapError`: the one
 * place where an unreachable database becomes SERVICE_UNAVAILABLE, whatever the query.
 */
class ErrorMappingDialect implements Dialect {
  readonly #inner: Dialect
  readonly #mapError: (error: unknown) => unknown

  constructor(inner: Dialect, mapError: (error: unknown) => unknown) {
    this.#inner = inner
    this.#mapError = mapError
  }

  createAdapter() {
    return this.#inner.createAdapter()
  }
  createQueryCompiler(): QueryCompiler {
    return this.#inner.createQueryCompiler()
  }
  createIntrospector(db: Kysely<unknown>) {
    return this.#inner.createIntrospector(db)
  }
  createDriver(): Driver {
    return new ErrorMappingDriver(this.#inner.createDriver(), this.#mapError)
  }
}

class MappedConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection
  readonly #mapError: (error: unknown) => unknown

  constructor(inner: DatabaseConnection, mapError: (error: unknown) => unknown) {
    this.inner = inner
    this.#mapError = mapError
  }

  async executeQuery<R>(query: Parameters<DatabaseConnection['executeQuery']>[0]) {
    try {
      return await this.inner.executeQuery<R>(query)
    } catch (error) {
      throw this.#mapError(error)
    }
  }

  async *streamQuery<R>(query: Parameters<DatabaseConnection['streamQuery']>[0], size?: number) {
    try {
      yield* this.inner.streamQuery<R>(query, size)
    } catch (error) {
      throw this.#mapError(error)
    }
  }
}

class ErrorMappingDriver implements Driver {
  readonly #inner: Driver
  readonly #mapError: (error: unknown) => unknown
  readonly #connections = new WeakMap<DatabaseConnection, MappedConnection>()

  constructor(inner: Driver, mapError: (error: unknown) => unknown) {
    this.#inner = inner
    this.#mapError = mapError
  }

  async #mapped<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw this.#mapError(error)
    }
  }

  init() {
    return this.#mapped(() => this.#inner.init())
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#mapped(() => this.#inner.acquireConnection())
    let connection = this.#connections.get(inner)
    if (!connection) {
      connection = new MappedConnection(inner, this.#mapError)
      this.#connections.set(inner, connection)
    }
    return connection
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.#mapped(() => this.#inner.beginTransaction(unwrap(connection), settings))
  }
  commitTransaction(connection: DatabaseConnection) {
    return this.#mapped(() => this.#inner.commitTransaction(unwrap(connection)))
  }
  rollbackTransaction(connection: DatabaseConnection) {
    return this.#mapped(() => this.#inner.rollbackTransaction(unwrap(connection)))
  }
  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.#mapped(() => this.#inner.savepoint!(unwrap(connection), name, compile))
  }
  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    return this.#mapped(() => this.#inner.rollbackToSavepoint!(unwrap(connection), name, compile))
  }
  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ) {
    return this.#mapped(() => this.#inner.releaseSavepoint!(unwrap(connection), name, compile))
  }
  releaseConnection(connection: DatabaseConnection) {
    return this.#inner.releaseConnection(unwrap(connection))
  }
  destroy() {
    return this.#inner.destroy()
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof MappedConnection ? connection.inner : connection
