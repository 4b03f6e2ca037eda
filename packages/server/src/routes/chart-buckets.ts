import { LIMITS, NereidError, validatePath } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectParams } from '../schemas/common.js'
import { BucketAxis, BucketColumns, presentBuckets } from '../schemas/buckets.js'
import { findObject } from '../services/object-lookup.js'

/** Lines one request may ask for: a chart of 50 runs, or a page of single-series charts. */
const MAX_LINES = 100

const ChartBucketsBody = Type.Object({
  buckets: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.maxBuckets, default: 1000 })),
  x: Type.Optional(BucketAxis),
  lines: Type.Array(
    Type.Object({
      object: Type.String({ minLength: 1, description: 'UUID or readable id' }),
      path: Type.String({ minLength: 1 }),
      from: Type.Optional(Type.Number()),
      to: Type.Optional(Type.Number()),
    }),
    { minItems: 1, maxItems: MAX_LINES },
  ),
})

/**
 * Many float series downsampled in one request, for a chart of many runs (or a page of charts):
 * one round trip instead of one per line, which matters most where a browser opens only six
 * connections to a server. Each line is answered like `GET …/series/buckets`, or with its own
 * error, so one missing series does not blank the others.
 */
export async function chartBucketRoutes(app: FastifyInstance, { store }: AppDeps): Promise<void> {
  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof ChartBucketsBody> }>(
    '/api/v1/projects/:workspace/:project/series/buckets',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Float series of many objects downsampled to buckets, for charts',
        description:
          `Up to ${MAX_LINES} lines (object, path and an optional x range each), all with the same bucket count and x axis. ` +
          'Each answer is the same as `GET …/objects/{object}/series/buckets` with `object` and `path` added, in the order asked; ' +
          'a line whose object or series does not exist answers `error` ({ code, message }) instead.',
        tags: ['series'],
        params: ProjectParams,
        body: ChartBucketsBody,
        response: {
          200: Type.Object({
            lines: Type.Array(
              Type.Object({
                object: Type.String(),
                path: Type.String(),
                error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
                ...Type.Partial(Type.Object(BucketColumns)).properties,
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const { lines, buckets, x } = request.body
      // A bad path is the caller's mistake for the whole request, not one line's missing data.
      for (const line of lines) validatePath(line.path)
      const objects = new Map<string, Promise<{ id: string } | NereidError>>()
      const answers: Record<string, unknown>[] = []
      for (const line of lines) {
        let object = objects.get(line.object)
        if (!object) {
          object = findObject(store, request.project!, line.object).catch((error: unknown) => {
            if (error instanceof NereidError) return error
            throw error
          })
          objects.set(line.object, object)
        }
        const found = await object
        if (found instanceof NereidError) {
          answers.push({ object: line.object, path: line.path, error: lineError(found) })
          continue
        }
        const result = await store.series.buckets(found.id, line.path, {
          buckets: buckets ?? 1000,
          x: x ?? 'step',
          ...(line.from !== undefined ? { from: line.from } : {}),
          ...(line.to !== undefined ? { to: line.to } : {}),
        })
        if (!result) {
          answers.push({
            object: line.object,
            path: line.path,
            error: lineError(
              new NereidError(
                'FIELD_NOT_FOUND',
                `${line.object} has no float series "${line.path}"`,
              ),
            ),
          })
          continue
        }
        answers.push({ object: line.object, path: line.path, ...presentBuckets(result) })
      }
      return reply.type('application/json').send(JSON.stringify({ lines: answers }))
    },
  )
}

function lineError(error: NereidError): { code: string; message: string } {
  return { code: error.code, message: error.message }
}
