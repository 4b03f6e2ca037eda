import type { Project } from '@nereid/core'
import type { BulkResult } from '@nereid/store'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { resolveProject } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

type ProjectQuery = { projectIdentifier: string }

/** `neptune.management` trash calls: trash, delete from the trash, empty the trash. */
export async function trashRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, blobService, now } = deps

  /** Short ids from `workspace/project/SYS-ID` names (bare ids and UUIDs pass through). */
  const shortIds = (project: Project, identifiers: unknown) => {
    const prefix = `${project.workspaceName}/${project.name}/`
    return (Array.isArray(identifiers) ? identifiers : [])
      .filter((id): id is string => typeof id === 'string')
      .map((id) => (id.startsWith(prefix) ? id.slice(prefix.length) : id))
  }

  const present = (project: Project, result: BulkResult) => {
    const qualified = (id: string) =>
      id.includes('/') ? id : `${project.workspaceName}/${project.name}/${id}`
    return {
      updatedExperimentIdentifiers: result.updated.map(qualified),
      errors: result.errors.map((error) => ({
        experimentIdentifier: qualified(error.id),
        reason: error.reason,
        message: error.message,
      })),
    }
  }

  const projectOf = (request: FastifyRequest<{ Querystring: ProjectQuery }>) =>
    resolveProject(store, request.principal!, request.query.projectIdentifier ?? '', 'write')

  async function deleteFromTrash(project: Project, ids: string[]) {
    const { freedBlobs, ...result } = await store.objects.deletePermanently(project.id, ids)
    await blobService.free(freedBlobs)
    return present(project, result)
  }

  app.post<{ Querystring: ProjectQuery; Body: unknown }>(
    '/api/leaderboard/v1/experiments/trash',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request)
      const result = await store.objects.trash(project.id, shortIds(project, request.body), now())
      return present(project, result)
    },
  )

  app.post<{ Querystring: ProjectQuery; Body: unknown }>(
    '/api/leaderboard/v1/experiments/trash/delete',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request)
      return deleteFromTrash(project, shortIds(project, request.body))
    },
  )

  app.post<{ Querystring: ProjectQuery }>(
    '/api/leaderboard/v1/experiments/trash/deleteAll',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request)
      // What "empty the trash" deletes: every trashed object, versions going with their model.
      const total = { updatedExperimentIdentifiers: [] as string[], errors: [] as unknown[] }
      for (;;) {
        const batch = await store.trash.expired({
          projectId: project.id,
          before: Number.MAX_SAFE_INTEGER,
          limit: 500,
        })
        if (batch.length === 0) break
        const result = await deleteFromTrash(
          project,
          batch.map((entry) => entry.id),
        )
        total.updatedExperimentIdentifiers.push(...result.updatedExperimentIdentifiers)
        total.errors.push(...result.errors)
        if (result.updatedExperimentIdentifiers.length === 0) break
      }
      return total
    },
  )
}
