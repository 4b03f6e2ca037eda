import { NereidError, validatePath, type Field, type FieldType } from '@nereid/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { floatValue, propertiesOf } from '../attribute-dto.js'
import { resolveContainer } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

type AttributeQuery = { experimentId: string; attribute: string }
type PageQuery = AttributeQuery & { limit?: string; offset?: string }

/** Single-attribute getters and series pages (`fetch`, `fetch_last`, `fetch_values`). */
export async function attributeRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store } = deps

  /** The field an attribute call names; a missing one is a plain 404 (field not found). */
  async function field(request: FastifyRequest<{ Querystring: AttributeQuery }>, type: FieldType) {
    const { object } = await resolveContainer(
      store,
      request.principal!,
      request.query.experimentId ?? '',
      'read',
    )
    const path = validatePath(request.query.attribute, 'attribute')
    const found = await store.fields.get(object.id, path)
    if (!found || found.type !== type) {
      throw new NereidError(
        'FIELD_NOT_FOUND',
        found
          ? `"${path}" of ${object.shortId} is a ${found.type} field, not ${type}`
          : `${object.shortId} has no field "${path}"`,
        { path, object: object.shortId },
      )
    }
    return { object, field: found }
  }

  const getters: [string, FieldType][] = [
    ['floats', 'float'],
    ['integers', 'int'],
    ['booleans', 'bool'],
    ['strings', 'string'],
    ['datetimes', 'datetime'],
    ['files', 'file'],
    ['floatSeries', 'floatSeries'],
    ['stringSeries', 'stringSeries'],
    ['stringSets', 'stringSet'],
    ['artifacts', 'artifact'],
  ]
  for (const [suffix, type] of getters) {
    app.get<{ Querystring: AttributeQuery }>(
      `/api/leaderboard/v1/attributes/${suffix}`,
      AUTHENTICATED,
      async (request) => {
        const { field: found } = await field(request, type)
        return { attributeName: found.path, attributeType: type, ...describe(found) }
      },
    )
  }

  const series: [string, FieldType][] = [
    ['float', 'floatSeries'],
    ['string', 'stringSeries'],
    ['image', 'fileSeries'],
  ]
  for (const [kind, type] of series) {
    app.get<{ Querystring: PageQuery }>(
      `/api/leaderboard/v1/attributes/series/${kind}`,
      AUTHENTICATED,
      async (request) => {
        const { object, field: found } = await field(request, type)
        const limit = clamp(request.query.limit, 1000, 0, 10_000)
        const offset = clamp(request.query.offset, 0, 0, Number.MAX_SAFE_INTEGER)
        const page = await store.series.page(object.id, found.path, { offset, limit })
        if (!page) return { totalItemCount: 0, values: [] }
        const { points } = page
        const values = []
        if (points.type !== 'fileSeries') {
          for (let i = 0; i < points.steps.length; i++) {
            const value = points.values[i]!
            values.push({
              step: points.steps[i]!,
              timestampMillis: points.timestamps[i]!,
              value: typeof value === 'number' ? floatValue(value) : value,
            })
          }
        }
        return { totalItemCount: page.total, values }
      },
    )
  }
}

function describe(field: Field): Record<string, unknown> {
  return propertiesOf(field) ?? {}
}

function clamp(text: string | undefined, fallback: number, min: number, max: number): number {
  const value = text === undefined ? fallback : Number(text)
  if (!Number.isInteger(value)) return fallback
  return Math.min(max, Math.max(min, value))
}
