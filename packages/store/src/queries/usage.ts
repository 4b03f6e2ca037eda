import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { ProjectUsage, UsageStore } from '../store.js'
import { createWorkspaceUsage } from './workspace-usage.js'

export function createUsageStore(db: Kysely<Database>): UsageStore {
  return {
    async project(projectId) {
      const rows = await db
        .selectFrom('project_usage')
        .select(['kind', 'bytes'])
        .where('project_id', '=', projectId)
        .execute()
      const usage: ProjectUsage = { fields: 0, series: 0, files: 0, trash: 0, total: 0 }
      for (const row of rows) {
        if (
          row.kind === 'fields' ||
          row.kind === 'series' ||
          row.kind === 'files' ||
          row.kind === 'trash'
        ) {
          usage[row.kind] = Number(row.bytes)
          usage.total += Number(row.bytes)
        }
      }
      return usage
    },
    ...createWorkspaceUsage(db),
  }
}
