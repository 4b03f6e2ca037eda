import { LIMITS, NereidError, validatePath } from '@nereid/core'
import type { SeriesPoints } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { BucketAxis, BucketColumns, presentBuckets } from '../schemas/buckets.js'
import { ObjectParams } from '../schemas/common.js'
import { floatArray } from '../schemas/present.js'
import { findObject } from '../services/object-lookup.js'

const PageQuery = Type.Object({
  path: Type.String({ minLength: 1 }),
  fromStep: Type.Optional(Type.Number()),
  toStep: Type.Optional(Type.Number()),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 1000 })),
})

const BucketQuery = Type.Object({
  path: Type.String({ minLength: 1 }),
  buckets: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.maxBuckets, default: 1000 })),
  x: Type.Optional(BucketAxis),
  from: Type.Optional(Type.Number()),
  to: Type.Optional(Type.Number()),
})

export async function seriesRoutes(
  app: FastifyInstance,
  { store, objectIds }: AppDeps,
): Promise<void> {
  app.get<{ Params: ObjectParams; Querystring: Static<typeof PageQuery> }>(
    '/api/v1/projects/:workspace/:project/objects/:object/series',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'A page of series points in step order (columnar)',
        tags: ['series'],
        params: ObjectParams,
        querystring: PageQuery,
        response: {
          200: Type.Object({
            type: Type.String(),
            total: Type.Integer({
              description: 'Points in the step range before offset and limit',
            }),
            steps: Type.Array(Type.Number()),
            timestamps: Type.Array(Type.Number()),
            values: Type.Array(Type.Unknown()),
          }),
        },
      },
    },
    async (request, reply) => {
      const object = await findObject(store, request.project!, request.params.object)
      const { path, fromStep, toStep, offset, limit } = request.query
      validatePath(path)
      const page = await store.series.page(object.id, path, {
        limit: limit ?? 1000,
        ...(fromStep !== undefined ? { fromStep } : {}),
        ...(toStep !== undefined ? { toStep } : {}),
        ...(offset !== undefined ? { offset } : {}),
      })
      if (!page) throw notASeries(path, object.shortId)
      return reply
        .type('application/json')
        .send(
          JSON.stringify({ type: page.points.type, total: page.total, ...columns(page.points) }),
        )
    },
  )

  app.get<{ Params: ObjectParams; Querystring: Static<typeof BucketQuery> }>(
    '/api/v1/projects/:workspace/:project/objects/:object/series/buckets',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'A float series downsampled to buckets for charts',
        description:
          'When the range holds at most `buckets` points they are returned exactly (`mode: "points"`). Otherwise each of `buckets` equal-width ' +
          'buckets reports the true min, max, mean, last and count of the points it holds, so no spike is hidden; `xFrom`/`xTo` are the x extent ' +
          'of those points.',
        tags: ['series'],
        params: ObjectParams,
        querystring: BucketQuery,
        response: {
          200: Type.Object(BucketColumns),
        },
      },
    },
    async (request, reply) => {
      // Charts read the same objects again and again; the object's id is all this needs.
      const project = request.project!
      const ref = request.params.object
      const objectId = await objectIds.resolve(store, project, ref)
      const { path, buckets, x, from, to } = request.query
      validatePath(path)
      const result = await store.series.buckets(objectId, path, {
        buckets: buckets ?? 1000,
        x: x ?? 'step',
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      })
      if (!result) {
        // No such float series, or no such object any more: look again to say which.
        objectIds.forget(project, ref)
        const object = await findObject(store, project, ref)
        throw notASeries(path, object.shortId, 'float ')
      }
      return reply.type('application/json').send(JSON.stringify(presentBuckets(result)))
    },
  )
}

function columns(points: SeriesPoints) {
  return {
    steps: Array.from(points.steps),
    timestamps: Array.from(points.timestamps),
    values: points.values instanceof Float64Array ? floatArray(points.values) : points.values,
  }
}

function notASeries(path: string, objectId: string, kind = ''): NereidError {
  return new NereidError('FIELD_NOT_FOUND', `${objectId} has no ${kind}series "${path}"`, {
    path,
    object: objectId,
  })
}
