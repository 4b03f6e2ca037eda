import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'

/**
 * Notebooks and their checkpoints. A notebook is an object of kind `notebook` (so trash,
 * permissions and ids work as for runs); `notebooks` makes its name unique in the project, and
 * each checkpoint records one version of its content (a blob) with a message, like a commit.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { bigint, text } = adapter.columnTypes
  const t = (name: string) => sql.raw(name)

  await db.schema
    .createTable('notebooks')
    .addColumn('object_id', t(text), (c) =>
      c.primaryKey().references('objects.id').onDelete('cascade'),
    )
    .addColumn('project_id', t(text), (c) => c.notNull())
    .addColumn('name', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addUniqueConstraint('notebooks_name_unique', ['project_id', 'name'])
    .execute()

  await db.schema
    .createTable('notebook_checkpoints')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('object_id', t(text), (c) =>
      c.notNull().references('objects.id').onDelete('cascade'),
    )
    .addColumn('number', t(bigint), (c) => c.notNull())
    .addColumn('hash', t(text), (c) => c.notNull())
    .addColumn('size', t(bigint), (c) => c.notNull())
    .addColumn('message', t(text), (c) => c.notNull())
    .addColumn('path', t(text))
    .addColumn('author', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addUniqueConstraint('notebook_checkpoints_number_unique', ['object_id', 'number'])
    .execute()
}
