import type { ColumnDefinitionBuilder } from 'kysely'
import type { DialectAdapter } from '../../dialect-adapter.js'
import { listSqliteTables } from './sqlite-catalog.js'

export const sqliteAdapter: DialectAdapter = Object.freeze({
  columnTypes: Object.freeze({ float: 'real', bigint: 'integer', bytes: 'blob', text: 'text' }),
  // Only `integer primary key` becomes an alias of the rowid, which SQLite assigns itself.
  identityType: 'integer',
  identity: (column: ColumnDefinitionBuilder) => column.primaryKey(),
  // SQLITE_MAX_VARIABLE_NUMBER is 32766 since 3.32; stay well below it.
  maxParamsPerStatement: 30_000,
  // One writer at a time: better-sqlite3 serialises every statement on one connection.
  supportsConcurrentWriters: false,
  // Provided by the `regexp` function registered on each connection (sqlite-store.ts).
  regexpOperator: 'REGEXP' as const,
  caseSensitiveLike: false,
  isUniqueViolation: (error: unknown) =>
    typeof error === 'object' &&
    error !== null &&
    ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(
      (error as { code?: string }).code ?? '',
    ),
  toBytes: (value: unknown) => value as Uint8Array,
  lockRowsForUpdate: false,
  writableCtes: false,
  // With one connection and busy_timeout, transactions never race each other.
  isTransientConflict: () => false,
  listTables: listSqliteTables,
  // An `integer primary key` takes max(rowid) + 1 by itself.
  syncIdentity: async () => {},
  refreshStatistics: async () => {},
})
