import { randomUUID } from 'node:crypto'
import { ConflictError, NereidError, NotFoundError, ValidationError } from '@nereid/core'
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database } from '../database.js'
import { inTransaction, type StoreContext } from '../store-context.js'
import type { NotebookCheckpoint, NotebookRecord, NotebookStore } from '../store.js'
import { releaseBlobs, retainBlob } from './blob-refs.js'
import { createObjectStore, isUuid } from './objects.js'

/** Tables of migration 0005-notebooks. */
interface NotebooksTable {
  object_id: string
  project_id: string
  name: string
  created_at: number
}

interface NotebookCheckpointsTable {
  id: string
  object_id: string
  number: number
  hash: string
  size: number
  message: string
  path: string | null
  author: string
  created_at: number
}

type NotebookDatabase = Database & {
  notebooks: NotebooksTable
  notebook_checkpoints: NotebookCheckpointsTable
}

const MAX_NAME_LENGTH = 200
const MAX_MESSAGE_LENGTH = 10_000

export function createNotebookStore(context: StoreContext): NotebookStore {
  const db = context.db as unknown as Kysely<NotebookDatabase>
  const objects = createObjectStore(context)

  function selectNotebooks() {
    return db
      .selectFrom('notebooks as n')
      .innerJoin('objects as o', 'o.id', 'n.object_id')
      .select((eb) => [
        'n.object_id',
        'n.project_id',
        'n.name',
        'n.created_at',
        'o.short_id',
        'o.trashed_at',
        eb
          .selectFrom('notebook_checkpoints as c')
          .whereRef('c.object_id', '=', 'n.object_id')
          .select((inner) => inner.fn.countAll<number>().as('count'))
          .as('checkpoint_count'),
        eb
          .selectFrom('notebook_checkpoints as c')
          .whereRef('c.object_id', '=', 'n.object_id')
          .select((inner) => inner.fn.max('c.created_at').as('last'))
          .as('last_checkpoint_at'),
      ])
  }

  async function get(projectId: string, ref: string): Promise<NotebookRecord | null> {
    const row = await selectNotebooks()
      .where('n.project_id', '=', projectId)
      .where((eb) =>
        isUuid(ref)
          ? eb('n.object_id', '=', ref)
          : eb.or([eb('o.short_id', '=', ref), eb('n.name', '=', ref)]),
      )
      .executeTakeFirst()
    return row ? toNotebook(row) : null
  }

  return {
    async ensure({ projectId, name, owner, now }) {
      checkName(name)
      const existing = await selectNotebooks()
        .where('n.project_id', '=', projectId)
        .where('n.name', '=', name)
        .executeTakeFirst()
      if (existing) return { notebook: toNotebook(existing), created: false }
      const { object } = await objects.create({ projectId, kind: 'notebook', owner, now, name })
      await db
        .insertInto('notebooks')
        .values({ object_id: object.id, project_id: projectId, name, created_at: now })
        .onConflict((conflict) => conflict.columns(['project_id', 'name']).doNothing())
        .execute()
      const stored = await db
        .selectFrom('notebooks')
        .select('object_id')
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
      if (stored.object_id !== object.id) {
        // Another request created the same notebook at the same moment: keep the winner's and
        // remove the object made for nothing.
        await objects.trash(projectId, [object.id], now)
        await objects.deletePermanently(projectId, [object.id])
        return { notebook: (await get(projectId, stored.object_id))!, created: false }
      }
      return { notebook: (await get(projectId, object.id))!, created: true }
    },

    get,

    async list(projectId) {
      const rows = await selectNotebooks()
        .where('n.project_id', '=', projectId)
        .where('o.trashed_at', 'is', null)
        .orderBy('n.name')
        .execute()
      return rows.map(toNotebook)
    },

    async addCheckpoint({ notebookId, hash, message, path, author, now }) {
      if (message.length > MAX_MESSAGE_LENGTH) {
        throw new ValidationError(
          `the checkpoint message is ${message.length} characters long; the limit is ${MAX_MESSAGE_LENGTH}`,
          { field: 'message' },
        )
      }
      return inTransaction(context, async (base) => {
        const trx = base as unknown as Transaction<NotebookDatabase>
        const object = await trx
          .selectFrom('objects')
          .select(['id', 'kind', 'short_id', 'trashed_at'])
          .where('id', '=', notebookId)
          .executeTakeFirst()
        if (!object || object.kind !== 'notebook')
          throw new NotFoundError('OBJECT_NOT_FOUND', `notebook ${notebookId} not found`, {
            notebook: notebookId,
          })
        if (object.trashed_at !== null)
          throw new ConflictError(
            'READ_ONLY_OBJECT',
            `notebook ${object.short_id} is in the trash; restore it before recording checkpoints`,
          )
        const latest = await trx
          .selectFrom('notebook_checkpoints')
          .selectAll()
          .where('object_id', '=', notebookId)
          .orderBy('number', 'desc')
          .limit(1)
          .executeTakeFirst()
        if (latest && latest.hash === hash)
          return { checkpoint: toCheckpoint(latest), created: false }
        const size = await retainBlob(base, hash)
        if (size === null)
          throw new NereidError(
            'BLOB_NOT_FOUND',
            `no uploaded content with hash ${hash}; upload the notebook file first`,
            { hash },
          )
        const row: NotebookCheckpointsTable = {
          id: randomUUID(),
          object_id: notebookId,
          number: Number(latest?.number ?? 0) + 1,
          hash,
          size,
          message,
          path,
          author,
          created_at: now,
        }
        await trx.insertInto('notebook_checkpoints').values(row).execute()
        await trx
          .updateTable('objects')
          .set({ modified_at: now })
          .where('id', '=', notebookId)
          .execute()
        return { checkpoint: toCheckpoint(row), created: true }
      })
    },

    async listCheckpoints(notebookId) {
      const rows = await db
        .selectFrom('notebook_checkpoints')
        .selectAll()
        .where('object_id', '=', notebookId)
        .orderBy('number', 'desc')
        .execute()
      return rows.map(toCheckpoint)
    },

    async getCheckpoint(notebookId, ref) {
      const number = /^\d+$/.test(ref) ? Number(ref) : null
      const row = await db
        .selectFrom('notebook_checkpoints')
        .selectAll()
        .where('object_id', '=', notebookId)
        .where(number !== null ? 'number' : 'id', '=', number ?? ref)
        .executeTakeFirst()
      return row ? toCheckpoint(row) : null
    },
  }
}

/**
 * Releases the blobs an object's checkpoints hold and deletes the checkpoints; returns hashes
 * no longer referenced. For permanent deletion of notebook objects (object-deletion.ts).
 */
export async function deleteNotebookData(
  trx: Transaction<Database>,
  objectId: string,
): Promise<string[]> {
  const notebookTrx = trx as unknown as Transaction<NotebookDatabase>
  const rows = await notebookTrx
    .selectFrom('notebook_checkpoints')
    .select('hash')
    .where('object_id', '=', objectId)
    .execute()
  await notebookTrx.deleteFrom('notebook_checkpoints').where('object_id', '=', objectId).execute()
  await notebookTrx.deleteFrom('notebooks').where('object_id', '=', objectId).execute()
  return releaseBlobs(
    trx,
    rows.map((row) => row.hash),
  )
}

function checkName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (name.trim() === '' || name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new ValidationError(
      `notebook name "${name.slice(0, 60)}" must be 1-${MAX_NAME_LENGTH} printable characters`,
      { field: 'name' },
    )
  }
}

function toNotebook(row: {
  object_id: string
  project_id: string
  name: string
  created_at: number
  short_id: string
  trashed_at: number | null
  checkpoint_count: number | string | bigint | null
  last_checkpoint_at: number | string | bigint | null
}): NotebookRecord {
  return {
    id: row.object_id,
    shortId: row.short_id,
    projectId: row.project_id,
    name: row.name,
    createdAt: Number(row.created_at),
    trashed: row.trashed_at !== null,
    checkpointCount: Number(row.checkpoint_count ?? 0),
    lastCheckpointAt: row.last_checkpoint_at === null ? null : Number(row.last_checkpoint_at),
  }
}

function toCheckpoint(row: Selectable<NotebookCheckpointsTable>): NotebookCheckpoint {
  return {
    id: row.id,
    notebookId: row.object_id,
    number: Number(row.number),
    hash: row.hash,
    size: Number(row.size),
    message: row.message,
    path: row.path,
    author: row.author,
    createdAt: Number(row.created_at),
  }
}
