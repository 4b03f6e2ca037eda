import {
  AbortedTransactionError,
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import type { Writable } from 'node:stream'
import type pg from 'pg'
import { statementHints } from '../../queries/statement-hints.js'
import { isStalePlan } from './postgres-errors.js'

/**
 * Kysely's driver for a `pg` pool whose clients run in pipeline mode (`pipeline: true`): a
 * client writes a query without waiting for the answers to the ones before it. On this
 * driver a round trip to the database costs the Node process far more than the statements of
 * an ingested batch do (~250 µs of CPU on a small VM, a third of it in the socket write), so it
 * sends what needs no answer of its own with the next statement that does:
 * - BEGIN goes out with a transaction's first statement, and not at all when the transaction
 *   runs none;
 * - inside a transaction, deferrable statements (statement-hints.ts) wait for the next
 *   statement whose answer is awaited, or for COMMIT, and leave with it in one write.
 * Each statement keeps its own Sync, so the database answers each on its own; the first
 * error among them is the one reported, and the transaction then fails as a whole.
 *
 * Every error passes through `mapError`: the one place where an unreachable database becomes
 * SERVICE_UNAVAILABLE, whatever the query.
 */
export class PipeliningPostgresDriver implements Driver {
  readonly #pool: pg.Pool
  readonly #mapError: (error: unknown) => unknown
  readonly #connections = new WeakMap<pg.PoolClient, PipelinedConnection>()

  constructor(pool: pg.Pool, mapError: (error: unknown) => unknown) {
    this.#pool = pool
    this.#mapError = mapError
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let client: pg.PoolClient
    try {
      client = await this.#pool.connect()
    } catch (error) {
      throw this.#mapError(error)
    }
    let connection = this.#connections.get(client)
    if (!connection) {
      connection = new PipelinedConnection(client, this.#mapError)
      this.#connections.set(client, connection)
    }
    return connection
  }

  async beginTransaction(
    connection: DatabaseConnection,
    settings: TransactionSettings,
  ): Promise<void> {
    let begin = 'begin'
    if (settings.isolationLevel || settings.accessMode) {
      begin = 'start transaction'
      if (settings.isolationLevel) begin += ` isolation level ${settings.isolationLevel}`
      if (settings.accessMode) begin += ` ${settings.accessMode}`
    }
    ;(connection as PipelinedConnection).begin(begin)
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return (connection as PipelinedConnection).commit()
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return (connection as PipelinedConnection).rollback()
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${identifier(name)}`))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${identifier(name)}`))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${identifier(name)}`))
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    ;(connection as PipelinedConnection).release()
  }

  async destroy(): Promise<void> {
    await this.#pool.end()
  }
}

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`

interface Statement {
  sql: string
  parameters: readonly unknown[]
  /** Set for prepared statements (statement-hints.ts): parsed once per connection. */
  name?: string
}

function run(client: pg.PoolClient, { sql, parameters, name }: Statement) {
  return client.query(
    name === undefined
      ? { text: sql, values: [...parameters] }
      : { name, text: sql, values: [...parameters] },
  )
}

class PipelinedConnection implements DatabaseConnection {
  readonly #client: pg.PoolClient
  readonly #mapError: (error: unknown) => unknown
  /** The BEGIN of the open transaction while it is not sent yet. */
  #begin: string | null = null
  #inTransaction = false
  /** Deferrable statements of the open transaction, not sent yet. */
  #held: Statement[] = []
  #discarded = false

  constructor(client: pg.PoolClient, mapError: (error: unknown) => unknown) {
    this.#client = client
    this.#mapError = mapError
  }

  begin(sql: string): void {
    if (this.#inTransaction) throw new Error('a transaction is already open on this connection')
    this.#begin = sql
    this.#inTransaction = true
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const hints = statementHints(query)
    const statement = { sql: query.sql, parameters: query.parameters, name: hints?.name }
    if (this.#inTransaction && hints?.deferrable) {
      this.#held.push(statement)
      return { rows: [] }
    }
    const { command, rowCount, rows } = await this.#send(statement)
    return {
      numAffectedRows:
        command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE'
          ? BigInt(rowCount ?? 0)
          : undefined,
      rows: (rows ?? []) as R[],
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries is not supported by the PostgreSQL store')
  }

  async commit(): Promise<void> {
    try {
      // A transaction that ran no statement never began on the server.
      if (this.#begin !== null && this.#held.length === 0) return
      const { command } = await this.#send({ sql: 'commit', parameters: [] })
      // PostgreSQL completes COMMIT with a ROLLBACK tag when an earlier error left the
      // transaction aborted.
      if (command === 'ROLLBACK') throw new AbortedTransactionError()
    } finally {
      this.#endTransaction()
    }
  }

  async rollback(): Promise<void> {
    const begun = this.#begin === null
    this.#endTransaction()
    if (!begun) return
    try {
      await this.#client.query('rollback')
    } catch (error) {
      // The connection's state is unknown: it leaves the pool instead of going back to it.
      this.#discarded = true
      throw this.#mapError(error)
    }
  }

  release(): void {
    this.#client.release(this.#discarded)
  }

  #failed(error: unknown): unknown {
    // A statement this connection prepared before a migration changed the columns it returns
    // (`select *`) fails until the connection forgets it: the connection leaves the pool, and
    // the transaction runs again on a fresh one (isTransientConflict).
    if (isStalePlan(error)) this.#discarded = true
    return this.#mapError(error)
  }

  #endTransaction(): void {
    this.#begin = null
    this.#held = []
    this.#inTransaction = false
  }

  /**
   * Sends the unsent BEGIN, the held statements and `last` in one write, and answers with
   * `last`'s result once every one of them is answered.
   */
  async #send(last: Statement): Promise<pg.QueryResult> {
    if (this.#discarded) throw new Error('Postgres connection has been discarded')
    const statements: Statement[] = []
    if (this.#begin !== null) statements.push({ sql: this.#begin, parameters: [] })
    statements.push(...this.#held, last)
    this.#begin = null
    this.#held = []
    if (statements.length === 1) {
      try {
        return await run(this.#client, last)
      } catch (error) {
        throw this.#failed(error)
      }
    }
    // pg corks the socket around each query's messages; corked once more around all of them,
    // they leave in one write.
    const stream = (this.#client as unknown as { connection: { stream: Writable } }).connection
      .stream
    stream.cork()
    let answers: Promise<pg.QueryResult>[]
    try {
      answers = statements.map((statement) => run(this.#client, statement))
    } finally {
      stream.uncork()
    }
    const settled = await Promise.allSettled(answers)
    // The first failure is the cause; the statements after it fail only because the
    // transaction was aborted.
    const failed = settled.find((outcome) => outcome.status === 'rejected')
    if (failed) throw this.#failed(failed.reason)
    return (settled.at(-1) as PromiseFulfilledResult<pg.QueryResult>).value
  }
}
