import type { ColumnDefinitionBuilder } from 'kysely'
import type { DialectAdapter } from '../../dialect-adapter.js'
import {
  analyzePostgresTable,
  listPostgresTables,
  syncPostgresIdentity,
} from './postgres-catalog.js'
import { isTransientConflict } from './postgres-errors.js'

export const postgresAdapter: DialectAdapter = Object.freeze({
  columnTypes: Object.freeze({
    float: 'double precision',
    bigint: 'bigint',
    bytes: 'bytea',
    // Byte-order comparison, as SQLite's BINARY: sorting, ranges such as the namespace check
    // ['a/', 'a0') and runs-table order then agree on both backends, whatever the database's
    // locale (a linguistic collation ignores punctuation and would break those ranges).
    text: 'text collate "C"',
  }),
  identityType: 'bigint',
  identity: (column: ColumnDefinitionBuilder) => column.generatedByDefaultAsIdentity().primaryKey(),
  // The protocol counts parameters in 16 bits (65,535); stay well below it.
  maxParamsPerStatement: 30_000,
  supportsConcurrentWriters: true,
  regexpOperator: '~' as const,
  // LIKE alone is an exact, case-sensitive substring test here, and unlike a regular
  // expression it has no size limit ("regular expression is too complex").
  caseSensitiveLike: true,
  isUniqueViolation: (error: unknown) =>
    typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505',
  // `pg` returns bytea as a Buffer, which is a Uint8Array.
  toBytes: (value: unknown) => value as Uint8Array,
  // Several server processes write the same object (one run, many writers): its row is
  // locked for the length of a batch so summaries and tail blocks are never computed from
  // stale reads.
  lockRowsForUpdate: true,
  writableCtes: true,
  isTransientConflict,
  listTables: listPostgresTables,
  syncIdentity: syncPostgresIdentity,
  refreshStatistics: analyzePostgresTable,
})
