import type { StoreContext } from '../store-context.js'
import type { Dashboard, DashboardStore } from '../store.js'
import {
  deleteDocument,
  documentDb,
  putDocument,
  readDocument,
  type DocumentRow,
  type DocumentTable,
} from './views-documents.js'

const DASHBOARDS: DocumentTable = {
  table: 'dashboards',
  bodyColumn: 'widgets',
  nameExists: 'DASHBOARD_NAME_EXISTS',
}

/** Dashboards: named lists of widgets, stored whole. */
export function createDashboardStore(context: StoreContext): DashboardStore {
  const db = documentDb(context.db)
  return {
    async list(projectId) {
      const rows = await db
        .selectFrom('dashboards')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('name')
        .execute()
      return rows.map((row) => {
        const { widgets, ...summary } = toDashboard({
          project_id: row.project_id,
          id: row.id,
          name: row.name,
          body: row.widgets,
          created_by: row.created_by,
          created_at: Number(row.created_at),
          updated_at: Number(row.updated_at),
          revision: Number(row.revision),
        })
        return { ...summary, widgetCount: widgets.length }
      })
    },
    async get(projectId, id) {
      const row = await readDocument(db, DASHBOARDS, projectId, id)
      return row ? toDashboard(row) : null
    },
    async put(input) {
      const { row, created } = await putDocument(
        db,
        context.adapter,
        DASHBOARDS,
        input,
        JSON.stringify(input.widgets),
      )
      return { dashboard: toDashboard(row), created }
    },
    delete(projectId, id) {
      return deleteDocument(db, DASHBOARDS, projectId, id)
    },
  }
}

function toDashboard(row: DocumentRow): Dashboard {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    widgets: JSON.parse(row.body) as Record<string, unknown>[],
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  }
}
