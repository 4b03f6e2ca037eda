import { NotFoundError } from '@nereid/core'
import type { StoreContext } from '../store-context.js'
import type { SavedView, ViewStore } from '../store.js'
import {
  deleteDocument,
  documentDb,
  putDocument,
  readDocument,
  toDocumentRow,
  type DocumentRow,
  type DocumentTable,
} from './views-documents.js'

const VIEWS: DocumentTable = {
  table: 'saved_views',
  bodyColumn: 'state',
  nameExists: 'VIEW_NAME_EXISTS',
}

/** Saved runs-table views; at most one per project is its default. */
export function createViewStore(context: StoreContext): ViewStore {
  const db = documentDb(context.db)
  return {
    async list(projectId) {
      const rows = await db
        .selectFrom('saved_views')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('name')
        .execute()
      return rows.map((row) => toView(toDocumentRow(VIEWS, row)))
    },
    async get(projectId, id) {
      const row = await readDocument(db, VIEWS, projectId, id)
      return row ? toView(row) : null
    },
    async put(input) {
      const { row, created } = await putDocument(
        db,
        context.adapter,
        VIEWS,
        input,
        JSON.stringify(input.state),
      )
      return { view: toView(row), created }
    },
    delete(projectId, id) {
      return deleteDocument(db, VIEWS, projectId, id)
    },
    async setDefault(projectId, id) {
      await db.transaction().execute(async (trx) => {
        if (id !== null && !(await readDocument(trx, VIEWS, projectId, id))) {
          throw new NotFoundError('VIEW_NOT_FOUND', `saved view ${id} not found`, { view: id })
        }
        await trx
          .updateTable('saved_views')
          .set({ is_default: 0 })
          .where('project_id', '=', projectId)
          .where('is_default', '=', 1)
          .execute()
        if (id !== null) {
          await trx
            .updateTable('saved_views')
            .set({ is_default: 1 })
            .where('project_id', '=', projectId)
            .where('id', '=', id)
            .execute()
        }
      })
    },
  }
}

function toView(row: DocumentRow & { is_default?: number }): SavedView {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    state: JSON.parse(row.body) as Record<string, unknown>,
    isDefault: row.is_default === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  }
}
