import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { CatalogTable, DialectAdapter } from '../dialect-adapter.js'
import type { TableTransfer } from '../store.js'

/** Migration bookkeeping: each store keeps its own, made by `migrate()`. */
const BOOKKEEPING = /^nereid_migrations/

/**
 * Whole tables in primary-key order, for moving a store to another backend (`nereid store
 * copy`). Both backends compare text byte by byte (SQLite's BINARY, PostgreSQL's "C"), so the
 * key order, and with it paging, resuming and checksums, is the same on both.
 */
export function createTableTransfer(db: Kysely<unknown>, adapter: DialectAdapter): TableTransfer {
  let catalog: Promise<Map<string, CatalogTable>> | undefined
  const tableOf = async (name: string): Promise<CatalogTable> => {
    catalog ??= adapter
      .listTables(db)
      .then((tables) => new Map(tables.map((table) => [table.name, table])))
    const table = (await catalog).get(name)
    if (!table) throw new TypeError(`no table "${name}" in this store`)
    return table
  }
  const keyOf = (table: CatalogTable) =>
    table.primaryKey.length > 0 ? table.primaryKey : [...table.columns].sort()
  const keyOrder = (table: CatalogTable) => sql.join(keyOf(table).map((c) => sql.ref(c)))

  async function read(name: string, after: unknown[] | null, limit: number) {
    const table = await tableOf(name)
    if (table.primaryKey.length === 0) {
      // Without a key, equal rows cannot be told apart across pages: one page holds them all.
      if (after !== null) return []
      const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}
        order by ${keyOrder(table)}`.execute(db)
      return rows.map((row) => normalizeRow(row, adapter))
    }
    const where = after === null ? sql`` : sql` where (${keyOrder(table)}) > (${sql.join(after)})`
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}${where}
      order by ${keyOrder(table)} limit ${limit}`.execute(db)
    return rows.map((row) => normalizeRow(row, adapter))
  }

  return {
    async tables() {
      const all = (await adapter.listTables(db)).filter((t) => !BOOKKEEPING.test(t.name))
      return parentsFirst(all).map((table) => ({
        name: table.name,
        primaryKey: table.primaryKey,
        parents: table.parents,
      }))
    },

    async count(name) {
      await tableOf(name)
      const { rows } = await sql<{
        n: number
      }>`select count(*) as n from ${sql.table(name)}`.execute(db)
      return Number(rows[0]?.n ?? 0)
    },

    read,

    async lastKey(name) {
      const table = await tableOf(name)
      const order = sql.join(keyOf(table).map((c) => sql`${sql.ref(c)} desc`))
      const { rows } = await sql<
        Record<string, unknown>
      >`select ${keyOrder(table)} from ${sql.table(name)}
        order by ${order} limit 1`.execute(db)
      const row = rows[0]
      return row === undefined ? null : keyOf(table).map((column) => row[column])
    },

    async write(name, rows) {
      if (rows.length === 0) return 0
      const table = await tableOf(name)
      const columns = Object.keys(rows[0]!)
      const perStatement = Math.max(1, Math.floor(adapter.maxParamsPerStatement / columns.length))
      let inserted = 0
      for (let start = 0; start < rows.length; start += perStatement) {
        const chunk = rows.slice(start, start + perStatement)
        const values = sql.join(
          chunk.map((row) => sql`(${sql.join(columns.map((column) => row[column] ?? null))})`),
        )
        // Rows already there (a resumed copy) stay as they are. A table without a key cannot
        // tell; the caller empties it first (`clear`).
        const conflict =
          table.primaryKey.length > 0 ? sql` on conflict (${keyOrder(table)}) do nothing` : sql``
        const result =
          await sql`insert into ${sql.table(name)} (${sql.join(columns.map((c) => sql.ref(c)))})
          values ${values}${conflict}`.execute(db)
        inserted += Number(result.numAffectedRows ?? 0)
      }
      return inserted
    },

    async clear(name) {
      await tableOf(name)
      await sql`delete from ${sql.table(name)}`.execute(db)
    },

    async finishTable(name) {
      const table = await tableOf(name)
      if (table.primaryKey.length === 1) await adapter.syncIdentity(db, name, table.primaryKey[0]!)
      await adapter.refreshStatistics(db, name)
    },

    async checksum(name) {
      const hash = createHash('sha256')
      let rows = 0
      let after: unknown[] | null = null
      const table = await tableOf(name)
      for (;;) {
        const batch = await read(name, after, 2_000)
        for (const row of batch) hash.update(canonicalRow(row)).update('\n')
        rows += batch.length
        if (batch.length < 2_000 || table.primaryKey.length === 0) break
        const last = batch.at(-1)!
        after = keyOf(table).map((column) => last[column])
      }
      return { rows, sha256: hash.digest('hex') }
    },
  }
}

/** Tables ordered so that every table comes after those its foreign keys point to. */
function parentsFirst(tables: CatalogTable[]): CatalogTable[] {
  const byName = new Map(tables.map((table) => [table.name, table]))
  const ordered: CatalogTable[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const visit = (table: CatalogTable) => {
    if (state.get(table.name) !== undefined) return
    state.set(table.name, 'visiting')
    for (const parent of table.parents) {
      const found = byName.get(parent)
      // A table referring to itself, or a cycle, cannot be ordered; its rows go in key order.
      if (found && state.get(parent) === undefined) visit(found)
    }
    state.set(table.name, 'done')
    ordered.push(table)
  }
  for (const table of tables) visit(table)
  return ordered
}

/** Driver values as plain JS values: bytes as Uint8Array, everything else as read. */
function normalizeRow(
  row: Record<string, unknown>,
  adapter: DialectAdapter,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [column, value] of Object.entries(row)) {
    out[column] =
      value instanceof Uint8Array
        ? adapter.toBytes(value)
        : typeof value === 'bigint'
          ? Number(value)
          : value
  }
  return out
}

/** A row as text that is the same whichever backend it was read from. */
function canonicalRow(row: Record<string, unknown>): string {
  return Object.keys(row)
    .sort()
    .map((column) => `${column}=${canonicalValue(row[column])}`)
    .join('\u0001')
}

function canonicalValue(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (value instanceof Uint8Array)
    return `x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`
  if (typeof value === 'number') return `n${Object.is(value, -0) ? 0 : value}`
  if (typeof value === 'string') return `s${JSON.stringify(value)}`
  return `v${JSON.stringify(value)}`
}
