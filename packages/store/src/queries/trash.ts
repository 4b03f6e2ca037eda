import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { TrashStore } from '../store.js'
import { toObjectRecord } from './rows.js'

export function createTrashStore(db: Kysely<Database>): TrashStore {
  return {
    async list(projectId, { limit, offset }) {
      const total = await db
        .selectFrom('objects')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('project_id', '=', projectId)
        .where('trashed_at', 'is not', null)
        .executeTakeFirstOrThrow()
      const rows = await db
        .selectFrom('objects')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('trashed_at', 'is not', null)
        .orderBy('trashed_at', 'desc')
        .orderBy('short_id')
        .limit(limit)
        .offset(offset)
        .execute()
      return { total: Number(total.count), objects: rows.map(toObjectRecord) }
    },

    async expired({ projectId, before, limit }) {
      let query = db
        .selectFrom('objects as o')
        .leftJoin('objects as parent', 'parent.id', 'o.parent_id')
        .select(['o.project_id', 'o.id'])
        .where('o.trashed_at', 'is not', null)
        .where('o.trashed_at', '<', before)
        // A version of a trashed model goes when its model goes.
        .where((eb) => eb.or([eb('o.parent_id', 'is', null), eb('parent.trashed_at', 'is', null)]))
      if (projectId !== undefined) query = query.where('o.project_id', '=', projectId)
      const rows = await query.orderBy('o.trashed_at').limit(limit).execute()
      return rows.map((row) => ({ projectId: row.project_id, id: row.id }))
    },
  }
}
