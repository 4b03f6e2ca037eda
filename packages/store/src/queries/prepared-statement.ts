import {
  createQueryId,
  RawNode,
  type CompiledQuery,
  type Kysely,
  type QueryResult,
  type RawBuilder,
  type Transaction,
} from 'kysely'
import type { Database } from '../database.js'
import { hintStatement } from './statement-hints.js'

type Executor = Kysely<Database> | Transaction<Database>

/** Runs one compiled statement synchronously, as the driver's connection would. */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => QueryResult<unknown>

const directRunners = new WeakMap<object, DirectRunner>()

/**
 * For a database whose driver runs every statement synchronously on its one connection
 * (better-sqlite3): prepared statements inside a transaction then skip Kysely's connection
 * plumbing, several promise hops per statement that cost more than the small statements of an
 * ingested batch. Only inside a transaction, which holds that connection until it ends: no
 * other statement can be running on it.
 */
export function registerDirectRunner(db: Kysely<Database>, run: DirectRunner): void {
  directRunners.set(db.getExecutor().adapter, run)
}

/**
 * A fixed-shape SQL statement for hot paths. Building a query with Kysely's builder costs
 * about 30 µs; running an already compiled one about 5 µs, which is the difference between
 * a few hundred thousand and a million ingested points per second. The statement is written
 * once as a dialect-neutral `sql` template; its text is compiled once per database (the
 * dialect decides the placeholder syntax) and then run with new parameters each time; drivers
 * that can also have the database keep it parsed and planned do so (statement-hints.ts).
 *
 * Only for statements whose shape never depends on their arguments: no `sql.join`, no lists
 * of varying length. `deferrable`: no caller reads the statement's answer, so a driver may send
 * it later in the same transaction (statement-hints.ts).
 */
export function preparedStatement<A extends unknown[], R = unknown>(
  build: (...args: A) => RawBuilder<R>,
  { deferrable = false }: { deferrable?: boolean } = {},
): (executor: Executor, ...args: A) => Promise<QueryResult<R>> {
  const compiledByAdapter = new WeakMap<object, { sql: string; query: RawNode }>()
  return (executor, ...args) => {
    const key = executor.getExecutor().adapter
    let compiled = compiledByAdapter.get(key)
    if (compiled === undefined) {
      const first = build(...args).compile(executor)
      checkParameters(first.parameters, args)
      compiled = { sql: first.sql, query: RawNode.createWithSql(first.sql) }
      hintStatement(compiled.query, { deferrable })
      compiledByAdapter.set(key, compiled)
    }
    // Neither the template nor a new syntax node is built again: on a hot path those cost more
    // than running the statement. The arguments are the parameters (checked on first compile).
    const direct = executor.isTransaction ? directRunners.get(key) : undefined
    if (direct !== undefined) {
      try {
        return Promise.resolve(direct(compiled.sql, args) as QueryResult<R>)
      } catch (error) {
        return Promise.reject(error as Error)
      }
    }
    const query: CompiledQuery<R> = {
      sql: compiled.sql,
      query: compiled.query,
      parameters: args,
      queryId: createQueryId(),
    }
    return executor.executeQuery<R>(query)
  }
}

/**
 * The template's parameters must be exactly the arguments in order, each used once: that is the
 * contract of a prepared statement's `build` function, checked on first compile.
 */
function checkParameters(parameters: readonly unknown[], args: unknown[]): void {
  if (
    parameters.length !== args.length ||
    parameters.some((value, i) => !Object.is(value, args[i]))
  ) {
    throw new Error('a prepared statement must use each of its arguments exactly once, in order')
  }
}
