import { sql, type Kysely } from 'kysely'
import type { CatalogTable } from '../../dialect-adapter.js'

/**
 * The tables of the schema the connection works in (the first of its search path), with their
 * primary keys and foreign-key parents.
 */
export async function listPostgresTables(db: Kysely<unknown>): Promise<CatalogTable[]> {
  const { rows: tables } = await sql<{ name: string; oid: number }>`
    select c.relname as name, c.oid::bigint as oid from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
    order by c.relname`.execute(db)
  const result: CatalogTable[] = []
  for (const { name, oid } of tables) {
    const { rows: keys } = await sql<{ name: string }>`
      select a.attname as name from pg_index i
      cross join lateral unnest(i.indkey) with ordinality as k(attnum, position)
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indrelid = ${oid}::bigint::oid and i.indisprimary
      order by k.position`.execute(db)
    const { rows: columns } = await sql<{ name: string }>`
      select attname as name from pg_attribute
      where attrelid = ${oid}::bigint::oid and attnum > 0 and not attisdropped
      order by attnum`.execute(db)
    const { rows: parents } = await sql<{ name: string }>`
      select distinct p.relname as name from pg_constraint f join pg_class p on p.oid = f.confrelid
      where f.conrelid = ${oid}::bigint::oid and f.contype = 'f'`.execute(db)
    result.push({
      name,
      columns: columns.map((c) => c.name),
      primaryKey: keys.map((k) => k.name),
      parents: parents.map((p) => p.name),
    })
  }
  return result
}

/** Moves an identity column's sequence past the largest value in the table (if it has one). */
export async function syncPostgresIdentity(
  db: Kysely<unknown>,
  table: string,
  column: string,
): Promise<void> {
  const { rows } = await sql<{ sequence: string | null }>`
    select pg_get_serial_sequence(${table}, ${column}) as sequence`.execute(db)
  const sequence = rows[0]?.sequence
  if (!sequence) return
  await sql`select setval(${sequence}::regclass,
      coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
    db,
  )
}

/** Planner statistics of a table just filled in bulk, without waiting for autovacuum. */
export async function analyzePostgresTable(db: Kysely<unknown>, table: string): Promise<void> {
  await sql`analyze ${sql.table(table)}`.execute(db)
}
