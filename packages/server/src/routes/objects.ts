import { isNereidError, LIMITS, NereidError, validatePath } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import {
  FieldBody,
  ObjectBody,
  ObjectParams,
  PathQuery,
  ProjectParams,
  Nullable,
} from '../schemas/common.js'
import { presentField, presentObject } from '../schemas/present.js'
import { findObject, objectNotFound } from '../services/object-lookup.js'
import { OperationBatchWire } from '@nereid/core'

const CreateObject = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('run'),
      Type.Literal('model'),
      Type.Literal('modelVersion'),
      Type.Literal('notebook'),
    ]),
    customRunId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LIMITS.maxCustomRunIdLength,
        description: 'Runs: creating again with the same id returns the same run',
      }),
    ),
    modelKey: Type.Optional(Type.String({ description: 'Models: key such as MOD (→ CLS-MOD)' })),
    modelId: Type.Optional(
      Type.String({ description: 'Model versions: id or readable id of the model' }),
    ),
    name: Type.Optional(Type.String({ maxLength: LIMITS.maxStringLength })),
  },
  { additionalProperties: false },
)

const OperationResultBody = Type.Object({
  ok: Type.Boolean(),
  duplicate: Type.Optional(Type.Boolean()),
  error: Type.Optional(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
})

export async function objectRoutes(
  app: FastifyInstance,
  { store, now, batchParser, objectIds }: AppDeps,
): Promise<void> {
  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof CreateObject> }>(
    '/api/v1/projects/:workspace/:project/objects',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Create a run, model, model version or notebook',
        tags: ['objects'],
        params: ProjectParams,
        body: CreateObject,
        response: { 200: Type.Object({ object: ObjectBody, created: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { kind, customRunId, modelKey, modelId, name } = request.body
      const { object, created } = await store.objects.create({
        projectId: request.project!.id,
        kind,
        owner: request.principal!.user.username,
        now: now(),
        ...(customRunId !== undefined ? { customRunId } : {}),
        ...(modelKey !== undefined ? { modelKey } : {}),
        ...(modelId !== undefined ? { modelId } : {}),
        ...(name !== undefined ? { name } : {}),
      })
      return { object: presentObject(object), created }
    },
  )

  app.get<{ Params: ObjectParams }>(
    '/api/v1/projects/:workspace/:project/objects/:object',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Get an object',
        tags: ['objects'],
        params: ObjectParams,
        response: { 200: ObjectBody },
      },
    },
    async (request) =>
      presentObject(await findObject(store, request.project!, request.params.object)),
  )

  app.get<{ Params: ObjectParams }>(
    '/api/v1/projects/:workspace/:project/objects/:object/fields',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Every field of an object with its type and value',
        tags: ['fields'],
        params: ObjectParams,
        response: { 200: Type.Object({ fields: Type.Array(FieldBody) }) },
      },
    },
    async (request) => {
      const object = await findObject(store, request.project!, request.params.object)
      return { fields: (await store.fields.list(object.id)).map(presentField) }
    },
  )

  app.get<{ Params: ObjectParams; Querystring: Static<typeof PathQuery> }>(
    '/api/v1/projects/:workspace/:project/objects/:object/field',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'One field of an object',
        tags: ['fields'],
        params: ObjectParams,
        querystring: PathQuery,
        response: { 200: FieldBody },
      },
    },
    async (request) => {
      const object = await findObject(store, request.project!, request.params.object)
      const path = validatePath(request.query.path)
      const field = await store.fields.get(object.id, path)
      if (!field)
        throw new NereidError('FIELD_NOT_FOUND', `field "${path}" not found on ${object.shortId}`, {
          path,
          object: object.shortId,
        })
      return presentField(field)
    },
  )

  // Batches are parsed from their raw bytes, on a worker thread when large (BatchParser):
  // this route gets its own JSON parser that hands the handler the bytes.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: LIMITS.maxJsonBodyBytes },
      (_request, body, done) => done(null, body),
    )
    scope.post<{ Params: ObjectParams; Body: Static<typeof OperationBatchWire> }>(
      '/api/v1/projects/:workspace/:project/objects/:object/operations',
      {
        config: { permission: 'project:write' },
        bodyLimit: LIMITS.maxJsonBodyBytes,
        // The schema documents the API; nothing here is checked against it. The batch parser
        // validates the body itself, and the parameters are strings whatever they hold. Ajv
        // failing the raw body on every batch, and Fastify formatting that error, cost the
        // hottest route ~50 µs a request.
        validatorCompiler: () => () => true,
        schema: {
          summary: 'Apply a batch of operations in order',
          description:
            'Each operation is validated and applied on its own: an invalid one is reported in `results` and skipped, the rest are applied. ' +
            'With `writer` and `seq`, operations already applied for that writer are skipped, so a retried batch is applied once. ' +
            'The answer comes after the batch is durable.',
          tags: ['operations'],
          params: ObjectParams,
          body: OperationBatchWire,
          response: {
            200: Type.Object({
              results: Type.Array(OperationResultBody),
              // Not a union: fast-json-stringify would run a validator on every answer to pick
              // the branch, on the hottest route.
              acknowledgedSeq: Nullable<number>({ type: 'integer' }),
            }),
          },
        },
      },
      async (request) => {
        const body = request.body as unknown
        if (!Buffer.isBuffer(body)) {
          throw new NereidError(
            'UNSUPPORTED_MEDIA_TYPE',
            'send the batch as JSON with "Content-Type: application/json"',
          )
        }
        const project = request.project!
        const ref = request.params.object
        const [objectId, batch] = await Promise.all([
          objectIds.resolve(store, project, ref),
          batchParser.parse(body),
        ])
        try {
          return await store.ingest.applyBatch(objectId, batch, { now: now() })
        } catch (error) {
          // Deleted since its id was remembered.
          if (!isNereidError(error) || error.code !== 'OBJECT_NOT_FOUND') throw error
          objectIds.forget(project, ref)
          throw objectNotFound(project, ref)
        }
      },
    )
  })

  app.post<{ Params: ObjectParams }>(
    '/api/v1/projects/:workspace/:project/objects/:object/ping',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Keep the object active (sys/state); send every few seconds while it runs',
        tags: ['objects'],
        params: ObjectParams,
        response: { 200: Type.Object({ state: Type.Literal('active') }) },
      },
    },
    async (request) => {
      const object = await findObject(store, request.project!, request.params.object)
      await store.objects.ping(object.id, now())
      return { state: 'active' as const }
    },
  )
}
