import { sql, type Kysely } from 'kysely'
import type { CatalogTable } from '../../dialect-adapter.js'

/** The tables of a SQLite database, with their primary keys and foreign-key parents. */
export async function listSqliteTables(db: Kysely<unknown>): Promise<CatalogTable[]> {
  const { rows: tables } = await sql<{ name: string }>`
    select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'
    order by name`.execute(db)
  const result: CatalogTable[] = []
  for (const { name } of tables) {
    const { rows: columns } = await sql<{ name: string; pk: number }>`
      select name, pk from pragma_table_info(${name})`.execute(db)
    const { rows: keys } = await sql<{ table: string }>`
      select distinct "table" from pragma_foreign_key_list(${name})`.execute(db)
    result.push({
      name,
      columns: columns.map((column) => column.name),
      primaryKey: columns
        .filter((column) => Number(column.pk) > 0)
        .sort((a, b) => Number(a.pk) - Number(b.pk))
        .map((column) => column.name),
      parents: keys.map((key) => key.table),
    })
  }
  return result
}
