import { randomUUID } from 'node:crypto'
import { NotFoundError, ValidationError } from '@nereid/core'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../database.js'
import { inTransaction, type StoreContext } from '../store-context.js'
import type { Upload, UploadStore } from '../store.js'
import { releaseBlobs, retainBlob } from './blob-refs.js'

type UploadTables = {
  uploads: {
    id: string
    object_id: string
    path: string
    target: string
    file_path: string | null
    ext: string | null
    total_length: number
    created_at: number
    finished_at: number | null
  }
  upload_parts: { upload_id: string; part_index: number; hash: string; size: number }
}

type Tables = Database & UploadTables

/**
 * Multipart uploads in progress. Each part is a blob of its own, referenced by the upload
 * until it finishes or expires, so garbage collection never takes a part from under a slow
 * upload. Finishing keeps the row (marked finished) so that a retried "finish" is answered
 * like the first one.
 */
export function createUploadStore(context: StoreContext): UploadStore {
  const db = context.db.withTables<UploadTables>()

  async function load(executor: Kysely<Tables>, id: string): Promise<Upload | null> {
    const row = await executor
      .selectFrom('uploads')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row) return null
    const parts = await executor
      .selectFrom('upload_parts')
      .select(['part_index', 'hash', 'size'])
      .where('upload_id', '=', id)
      .orderBy('part_index')
      .execute()
    return {
      id: row.id,
      objectId: row.object_id,
      path: row.path,
      target: row.target === 'fileSet' ? 'fileSet' : 'file',
      filePath: row.file_path,
      ext: row.ext,
      totalLength: Number(row.total_length),
      createdAt: Number(row.created_at),
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
      parts: parts.map((part) => ({
        index: Number(part.part_index),
        hash: part.hash,
        size: Number(part.size),
      })),
    }
  }

  return {
    async start(input) {
      if (!Number.isSafeInteger(input.totalLength) || input.totalLength < 0) {
        throw new ValidationError('totalLength must be a whole number of bytes', {
          field: 'totalLength',
        })
      }
      const row = {
        id: randomUUID(),
        object_id: input.objectId,
        path: input.path,
        target: input.target,
        file_path: input.filePath ?? null,
        ext: input.ext ?? null,
        total_length: input.totalLength,
        created_at: input.now,
        finished_at: null,
      }
      await db.insertInto('uploads').values(row).execute()
      return (await load(db, row.id))!
    },

    get: (id) => load(db, id),

    async addPart(id, index, hash) {
      await inTransaction(context, async (trx) => {
        const tx = trx.withTables<UploadTables>()
        const upload = await tx
          .selectFrom('uploads')
          .select(['finished_at'])
          .where('id', '=', id)
          .executeTakeFirst()
        if (!upload) throw new NotFoundError('FILE_NOT_FOUND', `upload ${id} does not exist`)
        if (upload.finished_at !== null) {
          throw new ValidationError(`upload ${id} is finished; start a new one`, {
            field: 'uploadId',
          })
        }
        const size = await retainBlob(trx, hash)
        if (size === null) throw new NotFoundError('BLOB_NOT_FOUND', `blob ${hash} is not stored`)
        const previous = await tx
          .selectFrom('upload_parts')
          .select('hash')
          .where('upload_id', '=', id)
          .where('part_index', '=', index)
          .executeTakeFirst()
        if (previous) {
          await releaseBlobs(trx, [previous.hash])
          await tx
            .updateTable('upload_parts')
            .set({ hash, size })
            .where('upload_id', '=', id)
            .where('part_index', '=', index)
            .execute()
        } else {
          await tx
            .insertInto('upload_parts')
            .values({ upload_id: id, part_index: index, hash, size })
            .execute()
        }
      })
    },

    async finish(id, now) {
      await inTransaction(context, async (trx) => {
        const tx = trx.withTables<UploadTables>()
        await releaseParts(trx, id)
        await tx.updateTable('uploads').set({ finished_at: now }).where('id', '=', id).execute()
      })
    },

    async expire(cutoff) {
      return inTransaction(context, async (trx) => {
        const tx = trx.withTables<UploadTables>()
        const stale = await tx
          .selectFrom('uploads')
          .select('id')
          .where('created_at', '<', cutoff)
          .execute()
        for (const { id } of stale) {
          await releaseParts(trx, id)
          await tx.deleteFrom('uploads').where('id', '=', id).execute()
        }
        return stale.length
      })
    },
  }
}

async function releaseParts(trx: Transaction<Database>, uploadId: string): Promise<void> {
  const tx = trx.withTables<UploadTables>()
  const parts = await tx
    .selectFrom('upload_parts')
    .select('hash')
    .where('upload_id', '=', uploadId)
    .execute()
  await releaseBlobs(
    trx,
    parts.map((part) => part.hash),
  )
  await tx.deleteFrom('upload_parts').where('upload_id', '=', uploadId).execute()
}
