import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectParams } from '../schemas/common.js'
import { AuditLog } from '../services/audit-log.js'
import { TrashService } from '../services/trash-service.js'

const Ids = Type.Object(
  {
    objects: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      maxItems: 10_000,
      description: 'UUIDs or readable ids',
    }),
  },
  { additionalProperties: false },
)
const BulkBody = Type.Object({
  updated: Type.Array(Type.String()),
  errors: Type.Array(
    Type.Object({ id: Type.String(), reason: Type.String(), message: Type.String() }),
  ),
  freedBytes: Type.Optional(Type.Integer()),
  freedBlobs: Type.Optional(Type.Integer()),
})

export async function trashRoutes(
  app: FastifyInstance,
  { store, blobService, now }: AppDeps,
): Promise<void> {
  const trash = new TrashService(store, blobService, new AuditLog(store, now))
  const options = (summary: string) => ({
    config: { permission: 'project:write' as const },
    schema: {
      summary,
      tags: ['trash'],
      params: ProjectParams,
      body: Ids,
      response: { 200: BulkBody },
    },
  })

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof Ids> }>(
    '/api/v1/projects/:workspace/:project/trash',
    options('Move objects to the trash (a model takes its versions along)'),
    async (request) => store.objects.trash(request.project!.id, request.body.objects, now()),
  )

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof Ids> }>(
    '/api/v1/projects/:workspace/:project/trash/restore',
    options('Restore objects from the trash'),
    async (request) => store.objects.restore(request.project!.id, request.body.objects),
  )

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof Ids> }>(
    '/api/v1/projects/:workspace/:project/trash/delete',
    options('Delete trashed objects permanently, freeing their files'),
    async (request) => trash.deletePermanently(request, request.project!, request.body.objects),
  )
}
