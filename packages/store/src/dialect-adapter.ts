import type { ColumnDefinitionBuilder } from 'kysely'

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
  /** Whether an error thrown by the driver is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean
  /** Converts a byte value as read from the driver into a Uint8Array. */
  toBytes(value: unknown): Uint8Array
}
