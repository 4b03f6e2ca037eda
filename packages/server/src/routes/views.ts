import { LIMITS, NereidError, OBJECT_KINDS, parseQuery, type ObjectKind } from '@nereid/core'
import type { SavedView } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectParams } from '../schemas/common.js'
import { floatArray } from '../schemas/present.js'

/** Ids are chosen by clients (so a retried create is applied once) and travel in URLs. */
export const DocumentId = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,64}$',
  description: 'Chosen by the client: 1-64 letters, digits, "_" or "-" (a UUID fits)',
})
export const DocumentName = Type.String({ minLength: 1, maxLength: 200 })
export const BaseRevision = Type.Optional(
  Type.Integer({
    minimum: 0,
    description:
      'The revision the change starts from (0 to create); a different stored revision answers 409 REVISION_CONFLICT',
  }),
)
const MAX_STATE_BYTES = 256 * 1024

const ViewParams = Type.Object({
  workspace: Type.String(),
  project: Type.String(),
  view: DocumentId,
})
type ViewParams = Static<typeof ViewParams>

const ViewState = Type.Object(
  {
    columns: Type.Optional(
      Type.Array(
        Type.Object(
          {
            path: Type.String({ minLength: 1, maxLength: LIMITS.maxPathLength }),
            type: Type.Optional(Type.String()),
            aggregate: Type.Optional(Type.String()),
            width: Type.Optional(Type.Number()),
          },
          { additionalProperties: true },
        ),
        { maxItems: 1000 },
      ),
    ),
    pinned: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })),
    query: Type.Optional(Type.String({ maxLength: LIMITS.maxQueryLength })),
    sort: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object(
          {
            path: Type.String({ minLength: 1 }),
            direction: Type.Union([Type.Literal('asc'), Type.Literal('desc')]),
          },
          { additionalProperties: true },
        ),
      ]),
    ),
    groupBy: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1 })])),
    showTrashed: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: true,
    description:
      'The runs table state: columns, pinned columns, NQL filter, sort, grouping, whether trashed runs show',
  },
)

const ViewBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.Record(Type.String(), Type.Unknown()),
  isDefault: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  revision: Type.Integer(),
})

const PutView = Type.Object(
  { name: DocumentName, state: ViewState, baseRevision: BaseRevision },
  { additionalProperties: false },
)

const GroupsBody = Type.Object(
  {
    groupBy: Type.String({
      minLength: 1,
      maxLength: LIMITS.maxPathLength,
      description: 'A string, number or bool field, a sys field, or a string set such as sys/tags',
    }),
    query: Type.Optional(Type.String({ maxLength: LIMITS.maxQueryLength })),
    kinds: Type.Optional(
      Type.Array(Type.Union(OBJECT_KINDS.map((kind) => Type.Literal(kind))), { default: ['run'] }),
    ),
    aggregates: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        maxItems: 50,
        description: 'Numeric columns to summarize per group (min, max, mean, count)',
      }),
    ),
    includeTrashed: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
)

const SparklinesBody = Type.Object(
  {
    objects: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 100 }),
    paths: Type.Array(Type.String({ minLength: 1, maxLength: LIMITS.maxPathLength }), {
      minItems: 1,
      maxItems: 10,
    }),
    points: Type.Optional(Type.Integer({ minimum: 2, maximum: 200, default: 32 })),
  },
  { additionalProperties: false },
)

const Aggregate = Type.Object({
  count: Type.Integer(),
  min: Type.Union([Type.Number(), Type.Null()]),
  max: Type.Union([Type.Number(), Type.Null()]),
  mean: Type.Union([Type.Number(), Type.Null()]),
})

function presentView(view: SavedView) {
  return {
    id: view.id,
    name: view.name,
    state: view.state,
    isDefault: view.isDefault,
    createdBy: view.createdBy,
    createdAt: new Date(view.createdAt).toISOString(),
    updatedAt: new Date(view.updatedAt).toISOString(),
    revision: view.revision,
  }
}

/** Saved runs-table views, the project's default view, and grouped-table aggregates. */
export async function viewRoutes(app: FastifyInstance, { store, now }: AppDeps): Promise<void> {
  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project/views',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Saved runs-table views of the project, by name',
        tags: ['views'],
        params: ProjectParams,
        response: { 200: Type.Object({ views: Type.Array(ViewBody) }) },
      },
    },
    async (request) => ({
      views: (await store.views.list(request.project!.id)).map(presentView),
    }),
  )

  app.get<{ Params: ViewParams }>(
    '/api/v1/projects/:workspace/:project/views/:view',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'A saved view',
        tags: ['views'],
        params: ViewParams,
        response: { 200: ViewBody },
      },
    },
    async (request) => {
      const view = await store.views.get(request.project!.id, request.params.view)
      if (!view) throw viewNotFound(request.params.view)
      return presentView(view)
    },
  )

  app.put<{ Params: ViewParams; Body: Static<typeof PutView> }>(
    '/api/v1/projects/:workspace/:project/views/:view',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Create or replace a saved view',
        description:
          'The id is chosen by the client, so a retried create is applied once; writing what is stored changes nothing. ' +
          'With `baseRevision`, a view changed meanwhile answers 409 REVISION_CONFLICT.',
        tags: ['views'],
        params: ViewParams,
        body: PutView,
        response: { 200: Type.Object({ view: ViewBody, created: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { name, state, baseRevision } = request.body
      if (Buffer.byteLength(JSON.stringify(state)) > MAX_STATE_BYTES) {
        throw new NereidError(
          'VALIDATION_FAILED',
          `the view state is larger than ${MAX_STATE_BYTES / 1024} KiB; show fewer columns`,
          { field: 'body.state' },
        )
      }
      // A saved filter that does not parse would break the table of everyone who opens it.
      if (state.query) parseQuery(state.query)
      const { view, created } = await store.views.put({
        projectId: request.project!.id,
        id: request.params.view,
        name: name.trim(),
        state,
        author: request.principal!.user.username,
        now: now(),
        ...(baseRevision !== undefined ? { baseRevision } : {}),
      })
      return { view: presentView(view), created }
    },
  )

  app.delete<{ Params: ViewParams }>(
    '/api/v1/projects/:workspace/:project/views/:view',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Delete a saved view',
        description: '`deleted` is false when there was no such view (a retried delete).',
        tags: ['views'],
        params: ViewParams,
        response: { 200: Type.Object({ deleted: Type.Boolean() }) },
      },
    },
    async (request) => ({
      deleted: await store.views.delete(request.project!.id, request.params.view),
    }),
  )

  app.put<{ Params: Static<typeof ProjectParams>; Body: { view: string | null } }>(
    '/api/v1/projects/:workspace/:project/default-view',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Choose the saved view the runs table opens with (null: none)',
        tags: ['views'],
        params: ProjectParams,
        body: Type.Object(
          { view: Type.Union([DocumentId, Type.Null()]) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ view: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      await store.views.setDefault(request.project!.id, request.body.view)
      return { view: request.body.view }
    },
  )

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof GroupsBody> }>(
    '/api/v1/projects/:workspace/:project/search/groups',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Group the objects a query matches by one field, with per-group summaries',
        description:
          'The aggregate rows of a grouped runs table, in value order with the objects lacking the field last. ' +
          "Read a group's objects with /search, adding the group's condition to the query.",
        tags: ['search'],
        params: ProjectParams,
        body: GroupsBody,
        response: {
          200: Type.Object({
            totalGroups: Type.Integer(),
            groups: Type.Array(
              Type.Object({
                value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
                type: Type.Union([Type.String(), Type.Null()]),
                count: Type.Integer(),
                aggregates: Type.Record(Type.String(), Aggregate),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const body = request.body
      return store.groups.query(request.project!.id, {
        kinds: (body.kinds ?? ['run']) as ObjectKind[],
        query: parseQuery(body.query ?? '').expr,
        path: body.groupBy,
        aggregates: body.aggregates ?? [],
        includeTrashed: body.includeTrashed ?? false,
        limit: body.limit ?? 100,
        offset: body.offset ?? 0,
      })
    },
  )

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof SparklinesBody> }>(
    '/api/v1/projects/:workspace/:project/search/sparklines',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Small downsampled float series of many objects, for the runs table',
        description:
          'For each object and path: `points` values, each the mean of an equal share of the series (its points when it has fewer). ' +
          'Objects or paths without a float series are left out.',
        tags: ['search'],
        params: ProjectParams,
        body: SparklinesBody,
        response: {
          200: Type.Object({
            sparklines: Type.Array(
              Type.Object({
                object: Type.String(),
                path: Type.String(),
                values: Type.Array(Type.Union([Type.Number(), Type.String()])),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { objects, paths, points } = request.body
      const sparklines: { object: string; path: string; values: (number | string)[] }[] = []
      for (const ref of new Set(objects)) {
        const object = await store.objects.get(request.project!.id, ref)
        if (!object) continue
        for (const path of new Set(paths)) {
          const series = await store.series.buckets(object.id, path, {
            buckets: points ?? 32,
            x: 'step',
          })
          if (!series) continue
          const values = series.mode === 'points' ? series.values : series.mean
          sparklines.push({ object: ref, path, values: floatArray(values) })
        }
      }
      return { sparklines }
    },
  )
}

function viewNotFound(id: string): NereidError {
  return new NereidError('VIEW_NOT_FOUND', `saved view "${id}" not found in this project`, {
    view: id,
  })
}
