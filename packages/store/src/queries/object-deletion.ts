import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import { decodeBlock } from '../series/index.js'
import { releaseBlobs } from './blob-refs.js'
import { deleteNotebookData } from './notebooks.js'

/** The multipart upload tables (migration 0004), with the columns used here. */
type UploadTables = {
  uploads: { id: string; object_id: string }
  upload_parts: { upload_id: string; hash: string }
}

/** Hashes of the blobs referenced by the points of a file series. */
export async function fileSeriesHashes(
  trx: Transaction<Database>,
  seriesId: number,
): Promise<string[]> {
  const blocks = await trx
    .selectFrom('series_blocks')
    .select('payload')
    .where('series_id', '=', seriesId)
    .execute()
  const hashes: string[] = []
  for (const block of blocks) {
    const decoded = decodeBlock(block.payload)
    if (decoded.type === 'fileSeries') for (const file of decoded.values) hashes.push(file.hash)
  }
  return hashes
}

export async function deleteSeriesData(
  trx: Transaction<Database>,
  seriesId: number,
): Promise<void> {
  await trx.deleteFrom('series_blocks').where('series_id', '=', seriesId).execute()
  await trx.deleteFrom('series_block_stats').where('series_id', '=', seriesId).execute()
}

/**
 * Removes everything an object holds and releases its blobs; returns the hashes that no
 * object references any more. The object row itself is left to the caller.
 */
export async function deleteObjectData(
  trx: Transaction<Database>,
  objectId: string,
): Promise<string[]> {
  const hashes: string[] = []
  const files = await trx
    .selectFrom('fields')
    .select('data')
    .where('object_id', '=', objectId)
    .where('type', '=', 'file')
    .execute()
  for (const file of files) {
    const hash = (JSON.parse(file.data ?? '{}') as { hash?: string }).hash
    if (hash) hashes.push(hash)
  }
  const entries = await trx
    .selectFrom('file_set_entries')
    .select('hash')
    .where('object_id', '=', objectId)
    .execute()
  for (const entry of entries) hashes.push(entry.hash)
  const series = await trx
    .selectFrom('series')
    .select(['id', 'type'])
    .where('object_id', '=', objectId)
    .execute()
  for (const row of series) {
    if (row.type === 'fileSeries') hashes.push(...(await fileSeriesHashes(trx, Number(row.id))))
    await deleteSeriesData(trx, Number(row.id))
  }
  await trx.deleteFrom('series').where('object_id', '=', objectId).execute()
  await trx.deleteFrom('file_set_entries').where('object_id', '=', objectId).execute()
  await trx.deleteFrom('string_set_values').where('object_id', '=', objectId).execute()
  await trx.deleteFrom('fields').where('object_id', '=', objectId).execute()
  await trx.deleteFrom('writer_positions').where('object_id', '=', objectId).execute()
  // Parts of uploads that never finished hold blob references of their own (a finished
  // upload has already let go of its parts).
  const uploads = trx as unknown as Transaction<UploadTables>
  const uploadIds = uploads.selectFrom('uploads').select('id').where('object_id', '=', objectId)
  const parts = await uploads
    .selectFrom('upload_parts')
    .select('hash')
    .where('upload_id', 'in', uploadIds)
    .execute()
  for (const part of parts) hashes.push(part.hash)
  await uploads.deleteFrom('upload_parts').where('upload_id', 'in', uploadIds).execute()
  await uploads.deleteFrom('uploads').where('object_id', '=', objectId).execute()
  // A notebook's checkpoints hold their content as blobs too.
  const freedCheckpoints = await deleteNotebookData(trx, objectId)
  return [...freedCheckpoints, ...(await releaseBlobs(trx, hashes))]
}
