import type { Project } from '@nereid/core'
import type { ProjectUsage } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectParams, Nullable } from '../schemas/common.js'
import { AuditLog } from '../services/audit-log.js'

const UsageBody = Type.Object({
  fields: Type.Number(),
  series: Type.Number(),
  files: Type.Number(),
  trash: Type.Number({ description: 'Trashed objects still count until deleted' }),
  total: Type.Number(),
})
const ProjectUsageBody = Type.Composite([
  UsageBody,
  Type.Object({ limit: Type.Union([Type.Number(), Type.Null()]) }),
])
const Limit = Type.Object(
  {
    limitBytes: Nullable<number>({
      type: 'integer',
      minimum: 0,
      description: 'Bytes; null removes the limit',
    }),
  },
  { additionalProperties: false },
)

/** Storage used per workspace and project, and project storage limits. */
export async function usageRoutes(app: FastifyInstance, { store, now }: AppDeps): Promise<void> {
  const audit = new AuditLog(store, now)

  app.get<{ Params: { workspace: string } }>(
    '/api/v1/workspaces/:workspace/usage',
    {
      config: { permission: 'workspace:admin' },
      schema: {
        summary: 'Storage used by the workspace and each of its projects, by kind, in bytes',
        tags: ['usage'],
        params: Type.Object({ workspace: Type.String() }),
        response: {
          200: Type.Composite([
            UsageBody,
            Type.Object({
              projects: Type.Array(
                Type.Composite([
                  ProjectUsageBody,
                  Type.Object({ project: Type.String(), name: Type.String() }),
                ]),
              ),
            }),
          ]),
        },
      },
    },
    async (request) => {
      const { workspace } = request.workspace!
      const usage = await store.usage.workspace(workspace.id)
      const projects = new Map((await store.projects.list(workspace.id)).map((p) => [p.id, p]))
      return {
        fields: usage.fields,
        series: usage.series,
        files: usage.files,
        trash: usage.trash,
        total: usage.total,
        projects: usage.projects.flatMap(({ projectId, ...bytes }) => {
          const project = projects.get(projectId)
          return project
            ? [
                {
                  ...bytes,
                  limit: project.storageLimitBytes,
                  project: `${workspace.name}/${project.name}`,
                  name: project.name,
                },
              ]
            : []
        }),
      }
    },
  )

  app.put<{ Params: Static<typeof ProjectParams>; Body: Static<typeof Limit> }>(
    '/api/v1/projects/:workspace/:project/storage-limit',
    {
      config: { permission: 'project:admin' },
      schema: {
        summary: 'Set or remove the project’s storage limit (owners and workspace admins)',
        description:
          'Writes that would go over the limit are refused with QUOTA_EXCEEDED; data stored before stays.',
        tags: ['usage'],
        params: ProjectParams,
        body: Limit,
        response: { 200: ProjectUsageBody },
      },
    },
    async (request) => {
      const before = request.project!
      const project = await store.projects.update(before.id, {
        storageLimitBytes: request.body.limitBytes,
      })
      await recordProjectChange(audit, request, before, project)
      return withLimit(await store.usage.project(project.id), project)
    },
  )
}

function withLimit(usage: ProjectUsage, project: Project) {
  return { ...usage, limit: project.storageLimitBytes }
}

/** Audits changes of a project's visibility and storage limit (by any route that makes them). */
export async function recordProjectChange(
  audit: AuditLog,
  request: Parameters<AuditLog['record']>[0],
  before: Project,
  after: Project,
): Promise<void> {
  const name = `${after.workspaceName}/${after.name}`
  const base = { workspaceId: after.workspaceId, projectId: after.id, target: name }
  if (before.visibility !== after.visibility) {
    await audit.record(request, {
      ...base,
      action: 'project.visibilityChanged',
      details: { from: before.visibility, to: after.visibility },
    })
  }
  if (before.storageLimitBytes !== after.storageLimitBytes) {
    await audit.record(request, {
      ...base,
      action: 'project.storageLimitChanged',
      details: { from: before.storageLimitBytes, to: after.storageLimitBytes },
    })
  }
}
