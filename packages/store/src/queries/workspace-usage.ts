import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { ProjectUsage, UsageStore } from '../store.js'

const KINDS = ['fields', 'series', 'files', 'trash'] as const

/** Storage of a workspace: the sum of its projects' usage, with each project's share. */
export function createWorkspaceUsage(db: Kysely<Database>): Pick<UsageStore, 'workspace'> {
  return {
    async workspace(workspaceId) {
      const projects = await db
        .selectFrom('projects')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .orderBy('name')
        .execute()
      const rows = await db
        .selectFrom('project_usage')
        .innerJoin('projects', 'projects.id', 'project_usage.project_id')
        .select(['project_usage.project_id', 'project_usage.kind', 'project_usage.bytes'])
        .where('projects.workspace_id', '=', workspaceId)
        .execute()
      const empty = (): ProjectUsage => ({ fields: 0, series: 0, files: 0, trash: 0, total: 0 })
      const byProject = new Map(projects.map((project) => [project.id, empty()]))
      const total = empty()
      for (const row of rows) {
        const kind = KINDS.find((k) => k === row.kind)
        const usage = byProject.get(row.project_id)
        if (kind === undefined || usage === undefined) continue
        const bytes = Number(row.bytes)
        usage[kind] += bytes
        usage.total += bytes
        total[kind] += bytes
        total.total += bytes
      }
      return {
        ...total,
        projects: [...byProject].map(([projectId, usage]) => ({ projectId, ...usage })),
      }
    },
  }
}
