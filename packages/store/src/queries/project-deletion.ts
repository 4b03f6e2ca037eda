import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import { inTransaction, type StoreContext } from '../store-context.js'
import type { ProjectDeletionStore, ProjectUsage } from '../store.js'
import { releaseBlobs } from './blob-refs.js'
import { fileSeriesHashes } from './object-deletion.js'

/** Tables of later migrations (0003 to 0005) used here, with the columns used. */
type LaterTables = {
  saved_views: { project_id: string }
  dashboards: { project_id: string }
  uploads: { id: string; object_id: string }
  upload_parts: { upload_id: string; hash: string }
  notebooks: { object_id: string; project_id: string }
  notebook_checkpoints: { object_id: string; hash: string }
  import_sources: { project_id: string; object_id: string }
}
type DeletionTables = Database & LaterTables

/**
 * Deletes whole projects. Everything goes in one transaction, with set-based statements (a
 * few dozen, whatever the project's size) rather than object by object: a failure or a crash
 * leaves the project whole, never half deleted, and a retried delete finds it either intact or
 * gone. Rows that hang off objects (`objects.project_id` has no ON DELETE CASCADE, and fields,
 * series and their blocks have no foreign keys at all) are deleted explicitly, children first.
 *
 * Paths are deleted too although the path registry caches ids for ever: its entries are keyed
 * by project id, and a deleted project's id never comes back.
 */
export function createProjectDeletionStore(context: StoreContext): ProjectDeletionStore {
  return {
    delete(projectId) {
      return inTransaction(context, async (base) => {
        const trx = base.withTables<LaterTables>()
        // Locking the row (PostgreSQL) makes concurrent object creation wait, then fail on the
        // missing project, instead of adding an object to a project being deleted. Writes to
        // existing objects lock those objects' rows, which the delete below also takes.
        let lookup = trx.selectFrom('projects').select('id').where('id', '=', projectId)
        if (context.adapter.lockRowsForUpdate) lookup = lookup.forUpdate()
        if (!(await lookup.executeTakeFirst())) return null

        const usage = await projectUsage(trx, projectId)
        const hashes = await referencedBlobs(trx, base, projectId)
        const objects = await deleteProjectRows(trx, projectId)
        return { objects, usage, freedBlobs: await releaseBlobs(base, hashes) }
      })
    },
  }
}

async function projectUsage(
  trx: Transaction<DeletionTables>,
  projectId: string,
): Promise<ProjectUsage> {
  const rows = await trx
    .selectFrom('project_usage')
    .select(['kind', 'bytes'])
    .where('project_id', '=', projectId)
    .execute()
  const usage: ProjectUsage = { fields: 0, series: 0, files: 0, trash: 0, total: 0 }
  for (const row of rows) {
    if (row.kind in usage && row.kind !== 'total') {
      usage[row.kind as keyof Omit<ProjectUsage, 'total'>] = Number(row.bytes)
      usage.total += Number(row.bytes)
    }
  }
  return usage
}

/**
 * One hash per reference the project holds: file fields, file-set entries, points of file
 * series, notebook checkpoints, and parts of multipart uploads that never finished (a
 * finished upload has already let go of its parts).
 */
async function referencedBlobs(
  trx: Transaction<DeletionTables>,
  base: Transaction<Database>,
  projectId: string,
): Promise<string[]> {
  const hashes: string[] = []
  const files = await trx
    .selectFrom('fields')
    .innerJoin('objects', 'objects.id', 'fields.object_id')
    .select('fields.data')
    .where('objects.project_id', '=', projectId)
    .where('fields.type', '=', 'file')
    .execute()
  for (const file of files) {
    const hash = (JSON.parse(file.data ?? '{}') as { hash?: string }).hash
    if (hash) hashes.push(hash)
  }
  const entries = await trx
    .selectFrom('file_set_entries')
    .innerJoin('objects', 'objects.id', 'file_set_entries.object_id')
    .select('file_set_entries.hash')
    .where('objects.project_id', '=', projectId)
    .execute()
  for (const entry of entries) hashes.push(entry.hash)
  const fileSeries = await trx
    .selectFrom('series')
    .innerJoin('objects', 'objects.id', 'series.object_id')
    .select('series.id')
    .where('objects.project_id', '=', projectId)
    .where('series.type', '=', 'fileSeries')
    .execute()
  // One series at a time: only one series' blocks are decoded in memory at once.
  for (const series of fileSeries) {
    hashes.push(...(await fileSeriesHashes(base, Number(series.id))))
  }
  const checkpoints = await trx
    .selectFrom('notebook_checkpoints')
    .innerJoin('objects', 'objects.id', 'notebook_checkpoints.object_id')
    .select('notebook_checkpoints.hash')
    .where('objects.project_id', '=', projectId)
    .execute()
  for (const checkpoint of checkpoints) hashes.push(checkpoint.hash)
  const parts = await trx
    .selectFrom('upload_parts')
    .innerJoin('uploads', 'uploads.id', 'upload_parts.upload_id')
    .innerJoin('objects', 'objects.id', 'uploads.object_id')
    .select('upload_parts.hash')
    .where('objects.project_id', '=', projectId)
    .execute()
  for (const part of parts) hashes.push(part.hash)
  return hashes
}

/** Deletes every row of the project, children before parents; returns the objects deleted. */
async function deleteProjectRows(
  trx: Transaction<DeletionTables>,
  projectId: string,
): Promise<number> {
  const objectIds = trx.selectFrom('objects').select('id').where('project_id', '=', projectId)
  const seriesIds = trx.selectFrom('series').select('id').where('object_id', 'in', objectIds)
  const uploadIds = trx.selectFrom('uploads').select('id').where('object_id', 'in', objectIds)

  await trx.deleteFrom('series_blocks').where('series_id', 'in', seriesIds).execute()
  await trx.deleteFrom('series_block_stats').where('series_id', 'in', seriesIds).execute()
  await trx.deleteFrom('series').where('object_id', 'in', objectIds).execute()
  await trx.deleteFrom('file_set_entries').where('object_id', 'in', objectIds).execute()
  await trx.deleteFrom('string_set_values').where('object_id', 'in', objectIds).execute()
  await trx.deleteFrom('fields').where('object_id', 'in', objectIds).execute()
  await trx.deleteFrom('writer_positions').where('object_id', 'in', objectIds).execute()
  await trx.deleteFrom('notebook_checkpoints').where('object_id', 'in', objectIds).execute()
  await trx.deleteFrom('notebooks').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('upload_parts').where('upload_id', 'in', uploadIds).execute()
  await trx.deleteFrom('uploads').where('object_id', 'in', objectIds).execute()
  await trx.deleteFrom('import_sources').where('project_id', '=', projectId).execute()
  const deleted = await trx
    .deleteFrom('objects')
    .where('project_id', '=', projectId)
    .executeTakeFirst()

  await trx.deleteFrom('paths').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('project_fields').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('artifacts').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('project_usage').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('saved_views').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('dashboards').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('project_members').where('project_id', '=', projectId).execute()
  await trx.deleteFrom('projects').where('id', '=', projectId).execute()
  return Number(deleted.numDeletedRows)
}
