import { NereidError, suggestProjectKey, type Project, type Workspace } from '@nereid/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AuditLog } from '../../services/audit-log.js'
import { authorizeProject } from '../../services/project-access.js'
import { ProjectDeletionService } from '../../services/project-deletion.js'
import { resolveProject } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'
import { toProjectDto, visibilityFromNeptune } from '../project-dto.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

/** Projects and workspaces ("organizations" in Neptune's words). */
export async function projectRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, blobService, now } = deps
  const deletion = new ProjectDeletionService(store, blobService, new AuditLog(store, now))

  async function visibleWorkspaces(request: FastifyRequest): Promise<Workspace[]> {
    const user = request.principal!.user
    return user.isAdmin ? store.workspaces.list() : store.workspaces.listForUser(user.id)
  }

  async function visibleProjects(request: FastifyRequest, workspaceId?: string) {
    const projects: Project[] = []
    for (const project of await store.projects.list(workspaceId)) {
      const seen = await authorizeProject(store, request.principal!, project, 'read', '').catch(
        () => null,
      )
      if (seen) projects.push(seen)
    }
    return projects
  }

  app.get<{ Querystring: { projectIdentifier: string } }>(
    '/api/backend/v1/projects/get',
    AUTHENTICATED,
    async (request) =>
      toProjectDto(
        await resolveProject(store, request.principal!, request.query.projectIdentifier, 'read'),
      ),
  )

  app.get<{
    Querystring: {
      organizationIdentifier?: string
      searchTerm?: string
      limit?: string
      offset?: string
      projectKey?: string
    }
  }>('/api/backend/v1/projects', AUTHENTICATED, async (request) => {
    const { organizationIdentifier, searchTerm, projectKey } = request.query
    let workspaceId: string | undefined
    if (organizationIdentifier) {
      const workspace = (await visibleWorkspaces(request)).find(
        (w) => w.name === organizationIdentifier || w.id === organizationIdentifier,
      )
      if (!workspace) return { entries: [], matchingItemCount: 0, totalItemCount: 0 }
      workspaceId = workspace.id
    }
    const all = await visibleProjects(request, workspaceId)
    const term = searchTerm?.toLowerCase()
    const matching = all.filter(
      (project) =>
        (!term || project.name.toLowerCase().includes(term)) &&
        (!projectKey || project.key === projectKey),
    )
    const offset = Math.max(0, Number(request.query.offset ?? 0) || 0)
    const limit = Math.max(0, Number(request.query.limit ?? 100) || 100)
    return {
      entries: matching.slice(offset, offset + limit).map(toProjectDto),
      matchingItemCount: matching.length,
      totalItemCount: all.length,
    }
  })

  app.get('/api/backend/v1/myOrganizations', AUTHENTICATED, async (request) => {
    const user = request.principal!.user
    const result = []
    for (const workspace of await visibleWorkspaces(request)) {
      const role = await store.workspaces.memberRole(workspace.id, user.id)
      result.push({
        id: workspace.id,
        name: workspace.name,
        userRole: role === 'owner' || role === 'admin' || user.isAdmin ? 'owner' : 'member',
        organizationType: 'team',
      })
    }
    return result
  })

  app.post<{
    Body: {
      name?: string
      description?: string
      projectKey?: string
      organizationId?: string
      visibility?: string
    }
  }>('/api/backend/v1/projects', AUTHENTICATED, async (request) => {
    const body = request.body ?? {}
    const workspace = (await visibleWorkspaces(request)).find(
      (w) => w.id === body.organizationId || w.name === body.organizationId,
    )
    if (!workspace) {
      throw new NereidError(
        'WORKSPACE_NOT_FOUND',
        `workspace "${body.organizationId ?? ''}" not found`,
        { workspace: body.organizationId },
      )
    }
    const visibility = visibilityFromNeptune(body.visibility)
    if (visibility === null) {
      throw new NereidError(
        'VALIDATION_FAILED',
        `visibility must be priv, workspace or pub, not "${body.visibility}"`,
        { field: 'visibility' },
      )
    }
    const name = body.name ?? ''
    const used = new Set((await store.projects.list(workspace.id)).map((p) => p.key))
    const project = await store.projects.create({
      workspaceId: workspace.id,
      name,
      key: body.projectKey || freeKey(used, suggestProjectKey(name)),
      ...(body.description ? { description: body.description } : {}),
      visibility,
      owner: request.principal!.user.username,
      now: now(),
    })
    return toProjectDto(project)
  })

  // management.delete_project: the client turns 404 into ProjectNotFound and 403 into
  // AccessRevokedOnDeletion, and reads nothing from a success.
  app.delete<{ Querystring: { projectIdentifier?: string } }>(
    '/api/backend/v1/projects',
    AUTHENTICATED,
    async (request) => {
      const identifier = request.query.projectIdentifier ?? ''
      await deletion.delete(
        request,
        await resolveProject(store, request.principal!, identifier, 'admin'),
      )
      return {}
    },
  )

  app.get<{ Params: { organizationIdentifier: string } }>(
    '/api/backend/v1/payments/:organizationIdentifier/status',
    AUTHENTICATED,
    async (request) => {
      const name = request.params.organizationIdentifier
      const workspace = (await visibleWorkspaces(request)).find(
        (w) => w.name === name || w.id === name,
      )
      if (!workspace) {
        throw new NereidError('WORKSPACE_NOT_FOUND', `workspace "${name}" not found`, {
          workspace: name,
        })
      }
      const projects = await store.projects.list(workspace.id)
      let used = 0
      for (const project of projects) used += (await store.usage.project(project.id)).total
      // The workspace's limit is the sum of its projects' limits. With an unlimited project
      // there is none; the client computes "used" as limit - available, so "no limit" is
      // reported as the largest exact integer rather than left out.
      const limited = projects.length > 0 && projects.every((p) => p.storageLimitBytes !== null)
      const limit = limited
        ? projects.reduce((sum, project) => sum + (project.storageLimitBytes ?? 0), 0)
        : Number.MAX_SAFE_INTEGER
      return {
        storageBytesLimit: limit,
        storageBytesAvailable: Math.max(0, limit - used),
        activeProjectsUsage: projects.length,
      }
    },
  )
}

/** A project key not used in the workspace yet: KEY, KEY2, KEY3... (no "-": run ids split on it). */
function freeKey(used: Set<string>, base: string): string {
  if (!used.has(base)) return base
  for (let i = 2; ; i++) {
    const key = `${base.slice(0, 10 - String(i).length)}${i}`
    if (!used.has(key)) return key
  }
}
