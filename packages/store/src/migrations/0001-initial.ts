import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'

/**
 * The initial schema. Times are epoch milliseconds (bigint). Ids are UUID strings except the
 * interned path ids and series ids, which are integers because they sit in every index.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { float, bigint, bytes, text } = adapter.columnTypes
  const bool = bigint
  const t = (name: string) => sql.raw(name)

  await db.schema
    .createTable('workspaces')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('name', t(text), (c) => c.notNull().unique())
    .addColumn('display_name', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('users')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('username', t(text), (c) => c.notNull().unique())
    .addColumn('display_name', t(text), (c) => c.notNull())
    .addColumn('password_hash', t(text))
    .addColumn('is_admin', t(bool), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('workspace_members')
    .addColumn('workspace_id', t(text), (c) =>
      c.notNull().references('workspaces.id').onDelete('cascade'),
    )
    .addColumn('user_id', t(text), (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('workspace_members_pk', ['workspace_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('user_id', t(text), (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('name', t(text), (c) => c.notNull())
    .addColumn('secret_hash', t(text), (c) => c.notNull().unique())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('last_used_at', t(bigint))
    .addColumn('revoked_at', t(bigint))
    .execute()

  await db.schema
    .createTable('projects')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('workspace_id', t(text), (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', t(text), (c) => c.notNull())
    .addColumn('key', t(text), (c) => c.notNull())
    .addColumn('description', t(text), (c) => c.notNull())
    .addColumn('visibility', t(text), (c) => c.notNull())
    .addColumn('storage_limit_bytes', t(bigint))
    .addColumn('next_run_number', t(bigint), (c) => c.notNull())
    .addColumn('metadata_object_id', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addUniqueConstraint('projects_name_unique', ['workspace_id', 'name'])
    .addUniqueConstraint('projects_key_unique', ['workspace_id', 'key'])
    .execute()

  await db.schema
    .createTable('objects')
    .addColumn('id', t(text), (c) => c.primaryKey())
    .addColumn('project_id', t(text), (c) => c.notNull().references('projects.id'))
    .addColumn('kind', t(text), (c) => c.notNull())
    .addColumn('short_id', t(text), (c) => c.notNull())
    .addColumn('number', t(bigint))
    .addColumn('custom_run_id', t(text))
    .addColumn('parent_id', t(text))
    .addColumn('model_key', t(text))
    .addColumn('next_version_number', t(bigint), (c) => c.notNull())
    .addColumn('owner', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('modified_at', t(bigint), (c) => c.notNull())
    .addColumn('ping_at', t(bigint))
    .addColumn('active_since', t(bigint))
    .addColumn('running_ms', t(bigint), (c) => c.notNull())
    .addColumn('state', t(text), (c) => c.notNull())
    .addColumn('trashed_at', t(bigint))
    .addColumn('field_count', t(bigint), (c) => c.notNull())
    .addColumn('fields_bytes', t(bigint), (c) => c.notNull())
    .addColumn('series_bytes', t(bigint), (c) => c.notNull())
    .addColumn('files_bytes', t(bigint), (c) => c.notNull())
    .addUniqueConstraint('objects_short_id_unique', ['project_id', 'short_id'])
    .execute()
  await db.schema
    .createIndex('objects_custom_run_id_unique')
    .on('objects')
    .columns(['project_id', 'custom_run_id'])
    .unique()
    .where(sql.ref('custom_run_id'), 'is not', null)
    .execute()
  await db.schema
    .createIndex('objects_project_kind')
    .on('objects')
    .columns(['project_id', 'kind', 'created_at'])
    .execute()
  await db.schema
    .createIndex('objects_state_ping')
    .on('objects')
    .columns(['state', 'ping_at'])
    .execute()

  // Paths are interned per project: every field row and index carries a small integer.
  await db.schema
    .createTable('paths')
    .addColumn('id', t(adapter.identityType), (c) => adapter.identity(c))
    .addColumn('project_id', t(text), (c) => c.notNull())
    .addColumn('path', t(text), (c) => c.notNull())
    .addUniqueConstraint('paths_unique', ['project_id', 'path'])
    .execute()

  // Which (path, type) pairs exist in a project: the field picker, without scanning fields.
  await db.schema
    .createTable('project_fields')
    .addColumn('project_id', t(text), (c) => c.notNull())
    .addColumn('path_id', t(bigint), (c) => c.notNull())
    .addColumn('type', t(text), (c) => c.notNull())
    .addPrimaryKeyConstraint('project_fields_pk', ['project_id', 'path_id', 'type'])
    .execute()

  // One row per field. `num` and `str` hold what tables sort and filter on (the value of an
  // atom, the last value of a series, a file's size and name); `data` holds the rest as JSON.
  await db.schema
    .createTable('fields')
    .addColumn('object_id', t(text), (c) => c.notNull())
    .addColumn('path_id', t(bigint), (c) => c.notNull())
    .addColumn('type', t(text), (c) => c.notNull())
    .addColumn('num', t(float))
    .addColumn('str', t(text))
    .addColumn('data', t(text))
    .addColumn('bytes', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('fields_pk', ['object_id', 'path_id'])
    .execute()
  await db.schema.createIndex('fields_path_num').on('fields').columns(['path_id', 'num']).execute()
  await db.schema.createIndex('fields_path_str').on('fields').columns(['path_id', 'str']).execute()

  await db.schema
    .createTable('string_set_values')
    .addColumn('object_id', t(text), (c) => c.notNull())
    .addColumn('path_id', t(bigint), (c) => c.notNull())
    .addColumn('value', t(text), (c) => c.notNull())
    .addPrimaryKeyConstraint('string_set_values_pk', ['object_id', 'path_id', 'value'])
    .execute()
  await db.schema
    .createIndex('string_set_values_lookup')
    .on('string_set_values')
    .columns(['path_id', 'value'])
    .execute()

  // Series: a summary row kept current on write, packed blocks of points, and per-block
  // statistics in their own narrow table so zoomed-out charts never read the blocks.
  await db.schema
    .createTable('series')
    .addColumn('id', t(adapter.identityType), (c) => adapter.identity(c))
    .addColumn('object_id', t(text), (c) => c.notNull())
    .addColumn('path_id', t(bigint), (c) => c.notNull())
    .addColumn('type', t(text), (c) => c.notNull())
    .addColumn('count', t(bigint), (c) => c.notNull())
    .addColumn('finite_count', t(bigint), (c) => c.notNull())
    .addColumn('first_step', t(float))
    .addColumn('last_step', t(float))
    .addColumn('last_ts', t(float))
    .addColumn('min', t(float))
    .addColumn('max', t(float))
    .addColumn('sum', t(float), (c) => c.notNull())
    .addColumn('sum_sq', t(float), (c) => c.notNull())
    .addColumn('last_value', t(text))
    .addColumn('config', t(text))
    .addColumn('next_block', t(bigint), (c) => c.notNull())
    .addColumn('tail_count', t(bigint), (c) => c.notNull())
    .addUniqueConstraint('series_unique', ['object_id', 'path_id'])
    .execute()

  await db.schema
    .createTable('series_blocks')
    .addColumn('series_id', t(bigint), (c) => c.notNull())
    .addColumn('block_no', t(bigint), (c) => c.notNull())
    .addColumn('payload', t(bytes), (c) => c.notNull())
    .addPrimaryKeyConstraint('series_blocks_pk', ['series_id', 'block_no'])
    .execute()

  await db.schema
    .createTable('series_block_stats')
    .addColumn('series_id', t(bigint), (c) => c.notNull())
    .addColumn('block_no', t(bigint), (c) => c.notNull())
    .addColumn('count', t(bigint), (c) => c.notNull())
    .addColumn('first_step', t(float), (c) => c.notNull())
    .addColumn('last_step', t(float), (c) => c.notNull())
    .addColumn('min_ts', t(float), (c) => c.notNull())
    .addColumn('max_ts', t(float), (c) => c.notNull())
    .addColumn('stats', t(bytes), (c) => c.notNull())
    .addPrimaryKeyConstraint('series_block_stats_pk', ['series_id', 'block_no'])
    .execute()

  await db.schema
    .createTable('blobs')
    .addColumn('hash', t(text), (c) => c.primaryKey())
    .addColumn('size', t(bigint), (c) => c.notNull())
    .addColumn('ref_count', t(bigint), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('blobs_unreferenced')
    .on('blobs')
    .columns(['ref_count', 'created_at'])
    .execute()

  await db.schema
    .createTable('file_set_entries')
    .addColumn('object_id', t(text), (c) => c.notNull())
    .addColumn('path_id', t(bigint), (c) => c.notNull())
    .addColumn('file_path', t(text), (c) => c.notNull())
    .addColumn('hash', t(text), (c) => c.notNull())
    .addColumn('size', t(bigint), (c) => c.notNull())
    .addColumn('mtime', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('file_set_entries_pk', ['object_id', 'path_id', 'file_path'])
    .execute()

  await db.schema
    .createTable('artifacts')
    .addColumn('project_id', t(text), (c) => c.notNull())
    .addColumn('hash', t(text), (c) => c.notNull())
    .addColumn('size', t(bigint))
    .addColumn('files', t(text), (c) => c.notNull())
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('artifacts_pk', ['project_id', 'hash'])
    .execute()

  // The last sequence number applied per writer: a retried batch is applied once.
  await db.schema
    .createTable('writer_positions')
    .addColumn('object_id', t(text), (c) => c.notNull())
    .addColumn('writer', t(text), (c) => c.notNull())
    .addColumn('last_seq', t(bigint), (c) => c.notNull())
    .addColumn('updated_at', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('writer_positions_pk', ['object_id', 'writer'])
    .execute()

  await db.schema
    .createTable('project_usage')
    .addColumn('project_id', t(text), (c) => c.notNull())
    .addColumn('kind', t(text), (c) => c.notNull())
    .addColumn('bytes', t(bigint), (c) => c.notNull())
    .addPrimaryKeyConstraint('project_usage_pk', ['project_id', 'kind'])
    .execute()
}
