import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ObjectBody, ProjectParams } from '../schemas/common.js'
import { presentObject } from '../schemas/present.js'
import { AuditLog } from '../services/audit-log.js'
import { TrashService } from '../services/trash-service.js'

const Page = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
})

/** The trash of a project: what is in it, and emptying it for good. */
export async function trashUsageRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, blobService, now } = deps
  const trash = new TrashService(store, blobService, new AuditLog(store, now))

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: Static<typeof Page> }>(
    '/api/v1/projects/:workspace/:project/trash',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Objects in the trash, most recently trashed first',
        tags: ['trash'],
        params: ProjectParams,
        querystring: Page,
        response: {
          200: Type.Object({
            total: Type.Integer(),
            objects: Type.Array(
              Type.Composite([
                ObjectBody,
                Type.Object({ trashedAt: Type.String({ format: 'date-time' }) }),
              ]),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { total, objects } = await store.trash.list(request.project!.id, {
        limit: request.query.limit ?? 100,
        offset: request.query.offset ?? 0,
      })
      return {
        total,
        objects: objects.map((object) => ({
          ...presentObject(object),
          trashedAt: new Date(object.trashedAt!).toISOString(),
        })),
      }
    },
  )

  app.post<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project/trash/empty',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Delete everything in the trash permanently, freeing its storage',
        tags: ['trash'],
        params: ProjectParams,
        response: {
          200: Type.Object({
            deleted: Type.Array(Type.String()),
            freedBytes: Type.Integer(),
            freedBlobs: Type.Integer(),
          }),
        },
      },
    },
    async (request) => {
      const result = await trash.empty(request, request.project!)
      return {
        deleted: result.updated,
        freedBytes: result.freedBytes,
        freedBlobs: result.freedBlobs,
      }
    },
  )
}
