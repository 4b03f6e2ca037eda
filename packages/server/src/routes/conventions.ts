import { LIMITS, NereidError, parseOperation, type Project } from '@nereid/core'
import type { Store } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectParams } from '../schemas/common.js'

/**
 * Project conventions: the metric names and tags a team agreed on, each with a description.
 * They live in the project's own metadata object as JSON strings (`conventions/metrics`,
 * `conventions/tags`), so scripts read them like any field:
 * `json.loads(project["conventions/metrics"].fetch())`.
 */
const METRICS_PATH = 'conventions/metrics'
const TAGS_PATH = 'conventions/tags'
/** Namespaces written by clients on their own (monitoring) or by the server: not team metrics. */
const AUTOMATIC_PREFIXES = ['sys/', 'monitoring/']

const Entry = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: LIMITS.maxPathLength,
      description: 'A metric path or a tag; "*" matches any characters but "/"',
    }),
    description: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
)
const Conventions = Type.Object(
  {
    metrics: Type.Array(Entry, { maxItems: 2000 }),
    tags: Type.Array(Entry, { maxItems: 2000 }),
  },
  { additionalProperties: false },
)
type Conventions = Static<typeof Conventions>
type Entry = Static<typeof Entry>

const CheckBody = Type.Object(
  {
    objects: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      maxItems: 500,
      description: 'UUIDs or readable ids',
    }),
  },
  { additionalProperties: false },
)

export async function conventionRoutes(
  app: FastifyInstance,
  { store, now }: AppDeps,
): Promise<void> {
  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project/conventions',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Accepted metric names and tags of the project, with descriptions',
        description: `Kept in the project's metadata object as JSON strings at "${METRICS_PATH}" and "${TAGS_PATH}". \`problems\` names fields that hold something else.`,
        tags: ['conventions'],
        params: ProjectParams,
        response: {
          200: Type.Composite([Conventions, Type.Object({ problems: Type.Array(Type.String()) })]),
        },
      },
    },
    async (request) => readConventions(store, request.project!),
  )

  app.put<{ Params: Static<typeof ProjectParams>; Body: Conventions }>(
    '/api/v1/projects/:workspace/:project/conventions',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Replace the accepted metric names and tags',
        tags: ['conventions'],
        params: ProjectParams,
        body: Conventions,
        response: { 200: Conventions },
      },
    },
    async (request) => {
      const metrics = normalize(request.body.metrics, 'metrics')
      const tags = normalize(request.body.tags, 'tags')
      const writes = [
        { op: 'assignString', path: METRICS_PATH, value: JSON.stringify(metrics) },
        { op: 'assignString', path: TAGS_PATH, value: JSON.stringify(tags) },
      ]
      for (const write of writes) {
        if (write.value.length > LIMITS.maxStringLength) {
          throw new NereidError(
            'VALIDATION_FAILED',
            `the ${write.path.slice('conventions/'.length)} list takes ${write.value.length} characters as JSON, more than the ${LIMITS.maxStringLength} a string field holds; shorten the descriptions`,
            { field: `body.${write.path.slice('conventions/'.length)}` },
          )
        }
      }
      const result = await store.ingest.applyBatch(
        request.project!.metadataObjectId,
        { operations: writes.map((write) => parseOperation(write)) },
        { now: now() },
      )
      const failed = result.results.find((outcome) => !outcome.ok)
      if (failed && !failed.ok) {
        throw new NereidError(failed.error.code, failed.error.message, failed.error.details)
      }
      return { metrics, tags }
    },
  )

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof CheckBody> }>(
    '/api/v1/projects/:workspace/:project/conventions/check',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Metric names and tags of objects that are outside the conventions',
        description:
          'Metrics are float series outside sys/ and monitoring/. An empty list accepts every name. Unknown ids are reported in `missing`.',
        tags: ['conventions'],
        params: ProjectParams,
        body: CheckBody,
        response: {
          200: Type.Object({
            objects: Type.Array(
              Type.Object({
                id: Type.String(),
                shortId: Type.String(),
                unknownMetrics: Type.Array(Type.String()),
                unknownTags: Type.Array(Type.String()),
              }),
            ),
            missing: Type.Array(Type.String()),
          }),
        },
      },
    },
    async (request) => {
      const project = request.project!
      const { metrics, tags } = await readConventions(store, project)
      const metricMatch = matcher(metrics)
      const tagMatch = matcher(tags)
      const objects = []
      const missing: string[] = []
      for (const ref of new Set(request.body.objects)) {
        const object = await store.objects.get(project.id, ref)
        if (!object) {
          missing.push(ref)
          continue
        }
        const fields = await store.fields.list(object.id)
        const unknownMetrics = fields
          .filter(
            (field) =>
              field.type === 'floatSeries' &&
              !AUTOMATIC_PREFIXES.some((prefix) => field.path.startsWith(prefix)) &&
              !metricMatch(field.path),
          )
          .map((field) => field.path)
        const tagField = fields.find((field) => field.path === 'sys/tags')
        const values = tagField?.value.type === 'stringSet' ? tagField.value.values : []
        const unknownTags = values.filter((tag) => !tagMatch(tag))
        objects.push({ id: object.id, shortId: object.shortId, unknownMetrics, unknownTags })
      }
      return { objects, missing }
    },
  )
}

async function readConventions(
  store: Store,
  project: Project,
): Promise<Conventions & { problems: string[] }> {
  const problems: string[] = []
  const read = async (path: string): Promise<Entry[]> => {
    const field = await store.fields.get(project.metadataObjectId, path)
    if (!field) return []
    if (field.value.type !== 'string') {
      problems.push(
        `${path} is a ${field.type} field, not a JSON string; delete it and save the conventions again`,
      )
      return []
    }
    try {
      const parsed: unknown = JSON.parse(field.value.value)
      if (Array.isArray(parsed)) {
        return parsed
          .filter((item): item is Entry => typeof item?.name === 'string' && item.name !== '')
          .map((item) => ({
            name: item.name,
            description: typeof item.description === 'string' ? item.description : '',
          }))
      }
    } catch {
      // reported below
    }
    problems.push(
      `${path} does not hold a JSON list of {"name", "description"}; save the conventions again to replace it`,
    )
    return []
  }
  return { metrics: await read(METRICS_PATH), tags: await read(TAGS_PATH), problems }
}

/** Trims names, drops blank ones and keeps the first of duplicates. */
function normalize(entries: Entry[], list: string): Entry[] {
  const seen = new Set<string>()
  const result: Entry[] = []
  for (const entry of entries) {
    const name = entry.name.trim()
    if (name === '') {
      throw new NereidError('VALIDATION_FAILED', `a name in ${list} is blank`, {
        field: `body.${list}`,
      })
    }
    if (seen.has(name)) continue
    seen.add(name)
    result.push({ name, description: entry.description.trim() })
  }
  return result
}

/** Whether a name is accepted; an empty list accepts every name. */
function matcher(entries: Entry[]): (name: string) => boolean {
  if (entries.length === 0) return () => true
  const exact = new Set(entries.filter((e) => !e.name.includes('*')).map((e) => e.name))
  const patterns = entries
    .filter((entry) => entry.name.includes('*'))
    .map(
      (entry) =>
        new RegExp(
          `^${entry.name
            .split('*')
            .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]*')}$`,
        ),
    )
  return (name) => exact.has(name) || patterns.some((pattern) => pattern.test(name))
}
