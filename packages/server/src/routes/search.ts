import { LIMITS, OBJECT_KINDS, parseQuery, FIELD_TYPES } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { FieldBody, ObjectBody, ProjectParams } from '../schemas/common.js'
import { presentField, presentObject } from '../schemas/present.js'

const SearchBody = Type.Object(
  {
    query: Type.Optional(
      Type.String({
        maxLength: LIMITS.maxQueryLength,
        description:
          'NQL, e.g. (`train/acc`:float > 0.9) AND (`sys/tags`:stringSet CONTAINS "prod")',
      }),
    ),
    kinds: Type.Optional(
      Type.Array(Type.Union(OBJECT_KINDS.map((kind) => Type.Literal(kind))), { default: ['run'] }),
    ),
    sort: Type.Optional(
      Type.Object(
        {
          path: Type.String({ minLength: 1 }),
          direction: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
          aggregate: Type.Optional(
            Type.Union([
              Type.Literal('last'),
              Type.Literal('min'),
              Type.Literal('max'),
              Type.Literal('average'),
              Type.Literal('variance'),
            ]),
          ),
          type: Type.Optional(Type.Union(FIELD_TYPES.map((t) => Type.Literal(t)))),
        },
        { additionalProperties: false },
      ),
    ),
    columns: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        maxItems: 1000,
        description: 'Fields to return; all when absent',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.maxSearchLimit, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    includeTrashed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export async function searchRoutes(app: FastifyInstance, { store, now }: AppDeps): Promise<void> {
  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof SearchBody> }>(
    '/api/v1/projects/:workspace/:project/search',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Search objects with NQL: filter, sort, page, choose columns',
        description:
          'A syntax error is answered 400 NQL_SYNTAX_ERROR with `details.position`, the offset of the offending token.',
        tags: ['search'],
        params: ProjectParams,
        body: SearchBody,
        response: {
          200: Type.Object({
            total: Type.Integer(),
            rows: Type.Array(Type.Object({ object: ObjectBody, fields: Type.Array(FieldBody) })),
          }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body
      const { expr } = parseQuery(body.query ?? '')
      const result = await store.search.query(
        request.project!.id,
        {
          kinds: body.kinds ?? ['run'],
          query: expr,
          ...(body.sort
            ? { sort: { ...body.sort, direction: body.sort.direction ?? 'desc' } }
            : {}),
          ...(body.columns ? { columns: body.columns } : {}),
          limit: body.limit ?? 50,
          offset: body.offset ?? 0,
          includeTrashed: body.includeTrashed ?? false,
        },
        { now: now() },
      )
      // Serialized here: a page holds thousands of field values of open shape, which the
      // schema-driven serializer writes several times slower than JSON.stringify.
      const page = {
        total: result.total,
        rows: result.rows.map((row) => ({
          object: presentObject(row.object),
          fields: row.fields.map(presentField),
        })),
      }
      return reply.type('application/json').send(JSON.stringify(page))
    },
  )
}
