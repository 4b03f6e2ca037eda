import type { ColumnDefinitionBuilder, Kysely } from 'kysely'

/** A table as the catalog describes it (for copying a whole store between backends). */
export interface CatalogTable {
  name: string
  /** Every column, in table order. */
  columns: string[]
  /** Primary-key columns in key order; empty when the table has none. */
  primaryKey: string[]
  /** Tables this one has foreign keys to. */
  parents: string[]
}

/**
 * What shared store code may ask of a database dialect. Differences between SQLite and
 * PostgreSQL are expressed here as capabilities and column types, never as `if (dialect === …)`
 * in shared code (Kysely's rule, STYLE.md).
 */
export interface DialectAdapter {
  /** Column type names used by the migrations. */
  readonly columnTypes: {
    /** 64-bit float. */
    readonly float: string
    /** 64-bit integer. */
    readonly bigint: string
    /** Byte string. */
    readonly bytes: string
    readonly text: string
  }
  /** Makes an integer primary-key column whose value the database assigns. */
  identity(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
  /** The column type of such an identity column. */
  readonly identityType: string
  /** Most bind parameters one statement may carry. */
  readonly maxParamsPerStatement: number
  /** Whether several processes may write at once (true for PostgreSQL). */
  readonly supportsConcurrentWriters: boolean
  /** SQL for a case-sensitive regular-expression match of `column` against a bound pattern. */
  readonly regexpOperator: 'REGEXP' | '~'
  /**
   * Whether LIKE compares case-sensitively (PostgreSQL). SQLite's LIKE ignores ASCII case, so
   * a substring match there also needs the regular expression.
   */
  readonly caseSensitiveLike: boolean
  /** Whether an error thrown by the driver is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean
  /** Converts a byte value as read from the driver into a Uint8Array. */
  toBytes(value: unknown): Uint8Array
  /**
   * Whether a transaction that reads a row, computes and writes it back must lock it first
   * (`SELECT … FOR UPDATE`): true where other processes write concurrently (PostgreSQL), false
   * where one writer at a time is guaranteed anyway (SQLite), since the lock would be a no-op.
   */
  readonly lockRowsForUpdate: boolean
  /**
   * Whether a statement may hold INSERT/UPDATE in its WITH clause (PostgreSQL): several writes
   * then go to the database in one round trip. SQLite has no such CTEs, and no round trips to
   * save either.
   */
  readonly writableCtes: boolean
  /**
   * Whether an error means the transaction lost a race with another one (deadlock,
   * serialization failure) and running it again from the start may succeed.
   */
  isTransientConflict(error: unknown): boolean
  /** The tables of the store's schema, from the database's own catalog. */
  listTables(db: Kysely<unknown>): Promise<CatalogTable[]>
  /**
   * After rows were inserted with explicit values in an identity column, makes the next
   * generated value follow the largest one (PostgreSQL sequences; SQLite needs nothing).
   */
  syncIdentity(db: Kysely<unknown>, table: string, column: string): Promise<void>
  /**
   * After a table was filled in bulk (`nereid store copy`), refreshes the planner's statistics
   * of it, so that the first searches are not planned as if it were empty (PostgreSQL would
   * wait for autovacuum; SQLite plans without statistics).
   */
  refreshStatistics(db: Kysely<unknown>, table: string): Promise<void>
}
