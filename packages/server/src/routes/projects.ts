import { FIELD_TYPES, OBJECT_KINDS, PROJECT_VISIBILITIES, type ObjectKind } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectBody, ProjectParams, Nullable } from '../schemas/common.js'
import { presentProject } from '../schemas/present.js'
import { AuditLog } from '../services/audit-log.js'
import { ProjectDeletionService } from '../services/project-deletion.js'
import { recordProjectChange } from './usage.js'

const UpdateProject = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    visibility: Type.Optional(Type.Union(PROJECT_VISIBILITIES.map((v) => Type.Literal(v)))),
    // Not a union: with type coercion on, ajv would turn null into 0 (a limit refusing all).
    storageLimitBytes: Type.Optional(Nullable<number>({ type: 'integer', minimum: 0 })),
  },
  { additionalProperties: false },
)
const DeletedProject = Type.Object({
  project: Type.String({ description: 'workspace/project' }),
  objects: Type.Integer({ description: 'Runs, models, versions and notebooks deleted' }),
  freedBytes: Type.Number({ description: 'Storage the project used' }),
  freedBlobs: Type.Integer({ description: 'Files removed from storage' }),
})
const FieldsQuery = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 1024 })),
  kinds: Type.Optional(Type.String({ description: 'Comma-separated object kinds' })),
})
const Usage = Type.Object({
  fields: Type.Number(),
  series: Type.Number(),
  files: Type.Number(),
  trash: Type.Number(),
  total: Type.Number(),
  limit: Type.Union([Type.Number(), Type.Null()]),
})

export async function projectRoutes(
  app: FastifyInstance,
  { store, blobService, now }: AppDeps,
): Promise<void> {
  const audit = new AuditLog(store, now)
  const deletion = new ProjectDeletionService(store, blobService, audit)
  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Get a project',
        tags: ['projects'],
        params: ProjectParams,
        response: { 200: ProjectBody },
      },
    },
    async (request) => presentProject(request.project!),
  )

  app.patch<{ Params: Static<typeof ProjectParams>; Body: Static<typeof UpdateProject> }>(
    '/api/v1/projects/:workspace/:project',
    {
      // Visibility and the storage limit are the owners' (and workspace admins') to set.
      config: { permission: 'project:admin' },
      schema: {
        summary: 'Change description, visibility or storage limit',
        tags: ['projects'],
        params: ProjectParams,
        body: UpdateProject,
        response: { 200: ProjectBody },
      },
    },
    async (request) => {
      const updated = await store.projects.update(request.project!.id, request.body)
      await recordProjectChange(audit, request, request.project!, updated)
      return presentProject(updated)
    },
  )

  app.delete<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project',
    {
      // The project's owners, the owners and admins of its workspace, server administrators.
      config: { permission: 'project:admin' },
      schema: {
        summary: 'Delete a project and everything in it',
        description:
          'Deletes the runs, models, notebooks, fields, series and files of the project, its ' +
          'saved views, dashboards and member roles, at once and for good (there is no trash ' +
          'for projects). Files no other project references are removed from storage. A ' +
          'project that does not exist (or no longer does: a retried delete) is a 404 ' +
          'PROJECT_NOT_FOUND.',
        tags: ['projects'],
        params: ProjectParams,
        response: { 200: DeletedProject },
      },
    },
    async (request) => deletion.delete(request, request.project!),
  )

  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project/usage',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Storage used by the project, by kind, in bytes',
        tags: ['projects'],
        params: ProjectParams,
        response: { 200: Usage },
      },
    },
    async (request) => ({
      ...(await store.usage.project(request.project!.id)),
      limit: request.project!.storageLimitBytes,
    }),
  )

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: Static<typeof FieldsQuery> }>(
    '/api/v1/projects/:workspace/:project/fields',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Every field path in the project with its type (for column pickers)',
        tags: ['projects'],
        params: ProjectParams,
        querystring: FieldsQuery,
        response: {
          200: Type.Object({
            fields: Type.Array(
              Type.Object({
                path: Type.String(),
                type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const kinds = request.query.kinds
        ?.split(',')
        .filter((kind): kind is ObjectKind => (OBJECT_KINDS as readonly string[]).includes(kind))
      const fields = await store.fields.listProjectFields(request.project!.id, {
        ...(request.query.search ? { search: request.query.search } : {}),
        ...(kinds ? { kinds } : {}),
      })
      return { fields }
    },
  )
}
