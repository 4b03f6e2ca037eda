import { sql, type Kysely } from 'kysely'

/**
 * Runs-table pages read from indexes alone (see search/search-store.ts):
 * - the objects not in the trash of each (project, kind) by created_at then id: the default
 *   order (newest first) and its count. Without it a page at offset n reads n table rows, to
 *   test trashed_at and to break created_at ties by id;
 * - the same by short id (sys/id), with created_at and id so the index gives the whole order;
 * - the trashed objects of each (project, kind): a page deep in a field's order subtracts
 *   those that the field's index holds but the search leaves out, without walking the project.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('objects_search_created')
    .on('objects')
    .columns(['project_id', 'kind', 'created_at', 'id'])
    .where(sql.ref('trashed_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('objects_search_short_id')
    .on('objects')
    .columns(['project_id', 'kind', 'short_id', 'created_at', 'id'])
    .where(sql.ref('trashed_at'), 'is', null)
    .execute()
  await db.schema
    .createIndex('objects_search_trashed')
    .on('objects')
    .columns(['project_id', 'kind', 'id'])
    .where(sql.ref('trashed_at'), 'is not', null)
    .execute()
}
