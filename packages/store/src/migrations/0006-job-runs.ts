import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'

/**
 * When each background job last started, shared by every server instance on the database:
 * a periodic job runs once per interval across all of them, not once per instance.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { bigint, text } = adapter.columnTypes
  const t = (name: string) => sql.raw(name)
  await db.schema
    .createTable('job_runs')
    .addColumn('name', t(text), (c) => c.primaryKey())
    .addColumn('started_at', t(bigint), (c) => c.notNull())
    .execute()
}
