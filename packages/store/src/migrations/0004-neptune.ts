import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'

/**
 * State the Neptune protocol needs beyond the domain tables: server secrets (the key that signs
 * the client's access tokens, shared by every server instance and kept across restarts) and
 * multipart uploads in progress (their parts are blobs, referenced until the upload finishes).
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { bigint, text } = adapter.columnTypes
  const t = (name: string) => sql.raw(name)

  await db.schema
    .createTable('server_secrets')
    .addColumn('name', t(text), (c) => c.primaryKey())
    .addColumn('value', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('uploads')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('object_id', t(text), (c) =>
      c.notNull().references('objects.id').onDelete('cascade'),
    )
    .addColumn('path', t(text), (c) => c.notNull())
    .addColumn('target', t(text), (c) => c.notNull())
    .addColumn('file_path', t(text))
    .addColumn('ext', t(text))
    .addColumn('total_length', t(bigint), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('finished_at', t(bigint))
    .execute()
  await db.schema.createIndex('uploads_created').on('uploads').column('created_at').execute()

  await db.schema
    .createTable('upload_parts')
    .addColumn('upload_id', t(text), (c) =>
      c.notNull().references('uploads.id').onDelete('cascade'),
    )
    .addColumn('part_index', t(bigint), (c) => c.notNull())
    .addColumn('hash', t(text), (c) => c.notNull())
    .addColumn('size', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('upload_parts_pk', ['upload_id', 'part_index'])
    .execute()
}
