import Database from 'better-sqlite3'
import { Kysely, SqliteDialect, type QueryResult } from 'kysely'
import type { Database as Schema } from '../../database.js'
import { createKyselyStore } from '../../kysely-store.js'
import { registerDirectRunner } from '../../queries/prepared-statement.js'
import type { Store } from '../../store.js'
import { sqliteAdapter } from './sqlite-adapter.js'

export interface SqliteStoreConfig {
  /** Database file, or ':memory:'. */
  filename: string
  /** Open without writing (for tools that only read). */
  readonly?: boolean
}

/**
 * The embedded default store: one SQLite file in WAL mode. Opening is lazy: the file is
 * opened on the first query, and nothing is migrated until `migrate()` is called.
 */
export function createSqliteStore(config: SqliteStoreConfig): Store {
  const frozen = Object.freeze({ ...config })
  let handle: Database.Database | undefined
  const open = (): Database.Database => {
    if (handle) return handle
    const database = new Database(frozen.filename, { readonly: frozen.readonly ?? false })
    // WAL with synchronous=NORMAL: a commit survives a crash of the process (the WAL is in
    // the OS page cache); only a power loss can drop the last commits.
    database.pragma('journal_mode = WAL')
    database.pragma('synchronous = NORMAL')
    database.pragma('foreign_keys = ON')
    database.pragma('busy_timeout = 5000')
    database.pragma('cache_size = -65536')
    database.pragma('temp_store = MEMORY')
    database.pragma('mmap_size = 268435456')
    database.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
      if (typeof pattern !== 'string' || typeof value !== 'string') return 0
      return compiledPattern(pattern).test(value) ? 1 : 0
    })
    handle = database
    return database
  }
  let connection: StatementCache | undefined
  const connect = (): StatementCache => (connection ??= withStatementCache(open()))
  const db = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: async () => connect() }),
  })
  registerDirectRunner(db, (sql, parameters) => runStatement(connect().prepare(sql), parameters))
  return createKyselyStore({
    db,
    adapter: sqliteAdapter,
    async checkIntegrity() {
      const rows = open().pragma('integrity_check') as { integrity_check: string }[]
      const messages = rows.map((row) => row.integrity_check)
      return { ok: messages.length === 1 && messages[0] === 'ok', messages }
    },
  })
}

const patterns = new Map<string, RegExp>()

/** Query patterns repeat across rows; compile each once. */
function compiledPattern(pattern: string): RegExp {
  let compiled = patterns.get(pattern)
  if (!compiled) {
    if (patterns.size > 256) patterns.clear()
    compiled = new RegExp(pattern)
    patterns.set(pattern, compiled)
  }
  return compiled
}

/** What Kysely's SQLite connection does with a statement, without its promise wrapping. */
function runStatement(
  statement: Database.Statement,
  parameters: readonly unknown[],
): QueryResult<unknown> {
  if (statement.reader) return { rows: statement.all(parameters) }
  const { changes, lastInsertRowid } = statement.run(parameters)
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] }
}

type StatementCache = ReturnType<typeof withStatementCache>

/**
 * Kysely prepares every statement anew, and preparing costs about as much as running a small
 * statement. Queries repeat by the thousand (one per operation), so prepared statements are
 * kept by SQL text. Kysely only calls `all`/`run`, never iterates, so reusing one is safe.
 */
function withStatementCache(database: Database.Database, capacity = 1000) {
  const statements = new Map<string, Database.Statement>()
  return {
    prepare(sql: string): Database.Statement {
      let statement = statements.get(sql)
      if (statement) {
        // Refresh recency: Map keeps insertion order, so the first key is the least recent.
        statements.delete(sql)
      } else {
        statement = database.prepare(sql)
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!)
      }
      statements.set(sql, statement)
      return statement
    },
    close(): void {
      statements.clear()
      database.close()
    },
  }
}
