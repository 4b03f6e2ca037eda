import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'

/**
 * Saved runs-table views and dashboards. Both are documents of the web app stored whole as
 * JSON text: the store keeps them, their names and revisions; the server checks their shape.
 * Ids are chosen by the client (so a retried create is applied once) and scoped to a project.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { bigint, text } = adapter.columnTypes
  const t = (name: string) => sql.raw(name)

  await db.schema
    .createTable('saved_views')
    .addColumn('project_id', t(text), (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('id', t(text), (c) => c.notNull())
    .addColumn('name', t(text), (c) => c.notNull())
    .addColumn('state', t(text), (c) => c.notNull())
    .addColumn('is_default', t(bigint), (c) => c.notNull())
    .addColumn('created_by', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('updated_at', t(bigint), (c) => c.notNull())
    .addColumn('revision', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('saved_views_pk', ['project_id', 'id'])
    .addUniqueConstraint('saved_views_name_unique', ['project_id', 'name'])
    .execute()

  await db.schema
    .createTable('dashboards')
    .addColumn('project_id', t(text), (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('id', t(text), (c) => c.notNull())
    .addColumn('name', t(text), (c) => c.notNull())
    .addColumn('widgets', t(text), (c) => c.notNull())
    .addColumn('created_by', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('updated_at', t(bigint), (c) => c.notNull())
    .addColumn('revision', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('dashboards_pk', ['project_id', 'id'])
    .addUniqueConstraint('dashboards_name_unique', ['project_id', 'name'])
    .execute()
}
