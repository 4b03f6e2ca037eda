import { sql, type Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'

/**
 * Where imported objects came from: the source system (`neptune-exporter`, `neptune-offline`,
 * `nereid`) and the object's id there. Importers find an object again by its source, so running
 * an import twice writes nothing twice and an interrupted import resumes into the same objects.
 * `finished_at` is set once every field of the source object has been written.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { bigint, text } = adapter.columnTypes
  const t = (name: string) => sql.raw(name)

  await db.schema
    .createTable('import_sources')
    .addColumn('project_id', t(text), (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('system', t(text), (c) => c.notNull())
    .addColumn('source_id', t(text), (c) => c.notNull())
    .addColumn('object_id', t(text), (c) =>
      c.notNull().references('objects.id').onDelete('cascade'),
    )
    .addColumn('created_at', t(bigint), (c) => c.notNull())
    .addColumn('finished_at', t(bigint))
    .addPrimaryKeyConstraint('import_sources_pk', ['project_id', 'system', 'source_id'])
    .execute()
  await db.schema
    .createIndex('import_sources_object')
    .on('import_sources')
    .column('object_id')
    .execute()
}
