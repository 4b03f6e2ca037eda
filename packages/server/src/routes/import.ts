import { NereidError, type Operation, type Project } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ObjectBody, ObjectParams, ProjectParams, Nullable } from '../schemas/common.js'
import { presentObject } from '../schemas/present.js'
import { findObject } from '../services/object-lookup.js'

/**
 * The admin-only import path (`nereid import …`). It does what the ordinary API deliberately
 * cannot: create objects with the creation time, owner and ids their source recorded, match
 * them again by source on every later run (so an import is idempotent and resumes), and write
 * the server-maintained `sys/` fields that describe an imported object's history (fork
 * lineage, modification time, trash). Field values still go through the ordinary operation
 * batches, i.e. the one applier.
 *
 * It also serves the one read the exporter needs that no other native route offers: the file
 * list of an artifact.
 */

const Time = Type.Union([Type.Number(), Type.String({ format: 'date-time' })], {
  description: 'epoch ms or ISO-8601',
})

const Source = Type.Object(
  {
    system: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Where the object comes from: neptune-exporter, neptune-offline, nereid, …',
    }),
    id: Type.String({ minLength: 1, maxLength: 1024, description: "The object's id there" }),
  },
  { additionalProperties: false },
)

const ImportObject = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('run'),
      Type.Literal('model'),
      Type.Literal('modelVersion'),
      Type.Literal('notebook'),
    ]),
    source: Source,
    id: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'UUID to give the object when it is free (Neptune addresses runs by UUID)',
      }),
    ),
    shortId: Type.Optional(
      Type.String({
        maxLength: 64,
        description: "Readable id to keep when it has the project's key and is free",
      }),
    ),
    customRunId: Type.Optional(Type.String({ minLength: 1 })),
    modelKey: Type.Optional(Type.String()),
    modelId: Type.Optional(Type.String({ description: 'Model versions: UUID or id of the model' })),
    name: Type.Optional(Type.String()),
    createdAt: Type.Optional(Time),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    writer: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'Answer with the last sequence number applied for this writer',
      }),
    ),
  },
  { additionalProperties: false },
)

const ImportedBody = Type.Object({
  object: ObjectBody,
  created: Type.Boolean(),
  matchedBy: Type.Union([
    Type.Literal('source'),
    Type.Literal('customRunId'),
    Type.Literal('id'),
    Type.Null(),
  ]),
  finished: Type.Boolean({ description: 'Every field of the source object was written before' }),
  lastSeq: Type.Integer({ description: 'Last sequence number applied for `writer` (0: none)' }),
})

const FinishImport = Type.Object(
  {
    modifiedAt: Type.Optional(Time),
    pingAt: Type.Optional(Time),
    runningMs: Type.Optional(Type.Number({ minimum: 0 })),
    trashedAt: Type.Optional(Time),
    fork: Type.Optional(
      Type.Object(
        {
          parent: Type.String({ minLength: 1, description: 'UUID or readable id of the parent' }),
          // Nullable, not a union: with type coercion a union turned null into step 0.
          step: Type.Optional(
            Nullable<number>({
              type: 'number',
              description: 'Step of the parent the fork starts after; null when unknown',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

const ArtifactParams = Type.Object({
  workspace: Type.String(),
  project: Type.String(),
  hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
})

function toMs(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined
  return typeof value === 'number' ? value : Date.parse(value)
}

export async function importRoutes(app: FastifyInstance, { store, now }: AppDeps): Promise<void> {
  // Administrators reach every project; the project is looked up here because the auth plugin
  // resolves projects only for project permissions.
  async function projectOf(params: { workspace: string; project: string }): Promise<Project> {
    const project = await store.projects.get(params.workspace, params.project)
    if (!project)
      throw new NereidError(
        'PROJECT_NOT_FOUND',
        `project "${params.workspace}/${params.project}" not found`,
        { project: `${params.workspace}/${params.project}` },
      )
    return project
  }

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof ImportObject> }>(
    '/api/v1/projects/:workspace/:project/import/objects',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Create an imported object, or find the one imported from the same source',
        description:
          'Administrators only. The object keeps the creation time, owner, UUID and readable id of its source where they are free. ' +
          'An object imported from the same source before, a run with the same custom run id, or the object with the same UUID is ' +
          'returned instead of a new one, so running an import again writes nothing twice. A created object gets the ' +
          'read-only fields `sys/import/system` and `sys/import/id`.',
        tags: ['import'],
        params: ProjectParams,
        body: ImportObject,
        response: { 200: ImportedBody },
      },
    },
    async (request) => {
      const project = await projectOf(request.params)
      const body = request.body
      const at = now()
      const createdAt = toMs(body.createdAt) ?? at
      if (!Number.isFinite(createdAt))
        throw new NereidError('VALIDATION_FAILED', 'createdAt is not a valid time', {
          field: 'createdAt',
        })
      const imported = await store.imports.importObject({
        projectId: project.id,
        kind: body.kind,
        source: body.source,
        owner: body.owner ?? request.principal!.user.username,
        createdAt,
        now: at,
        ...(body.id !== undefined ? { id: body.id } : {}),
        ...(body.shortId !== undefined ? { shortId: body.shortId } : {}),
        ...(body.customRunId !== undefined ? { customRunId: body.customRunId } : {}),
        ...(body.modelKey !== undefined ? { modelKey: body.modelKey } : {}),
        ...(body.modelId !== undefined ? { modelId: body.modelId } : {}),
        ...(body.name !== undefined ? { name: body.name } : {}),
      })
      const object = imported.object
      return {
        object: presentObject(object),
        created: imported.created,
        matchedBy: imported.matchedBy,
        finished: imported.finishedAt !== null,
        lastSeq:
          body.writer === undefined
            ? 0
            : await store.imports.writerPosition(object.id, body.writer),
      }
    },
  )

  app.post<{ Params: ObjectParams; Body: Static<typeof FinishImport> }>(
    '/api/v1/projects/:workspace/:project/import/objects/:object/finish',
    {
      config: { permission: 'admin' },
      schema: {
        summary: "Finish an imported object: its source's times, fork lineage and trash state",
        description:
          'Administrators only; call after every field is written. Sets `sys/modification_time`, `sys/ping_time` and ' +
          "`sys/running_time` to the source's, records a fork as `sys/fork/parent` (readable id of the parent) and " +
          '`sys/fork/step`, moves the object to the trash when the source had it there, and marks the import finished.',
        tags: ['import'],
        params: ObjectParams,
        body: FinishImport,
        response: { 200: ObjectBody },
      },
    },
    async (request) => {
      const project = await projectOf(request.params)
      const object = await findObject(store, project, request.params.object)
      const body = request.body
      if (body.fork) {
        const parent = await findObject(store, project, body.fork.parent)
        const writes: Operation[] = [
          { kind: 'assign', path: 'sys/fork/parent', type: 'string', value: parent.shortId },
        ]
        if (body.fork.step !== undefined && body.fork.step !== null)
          writes.push({
            kind: 'assign',
            path: 'sys/fork/step',
            type: 'float',
            value: body.fork.step,
          })
        await applySystemWrites(object.id, writes)
      }
      const trashedAt = toMs(body.trashedAt)
      if (trashedAt !== undefined && object.trashedAt === null)
        await store.objects.trash(project.id, [object.id], trashedAt)
      const finished = await store.imports.finish(object.id, {
        now: now(),
        ...(body.modifiedAt !== undefined ? { modifiedAt: toMs(body.modifiedAt)! } : {}),
        ...(body.pingAt !== undefined ? { pingAt: toMs(body.pingAt)! } : {}),
        ...(body.runningMs !== undefined ? { runningMs: Math.round(body.runningMs) } : {}),
      })
      return presentObject(finished)
    },
  )

  app.get<{ Params: Static<typeof ArtifactParams> }>(
    '/api/v1/projects/:workspace/:project/artifacts/:hash',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'The file list of an artifact (tracked files are referenced, never stored)',
        tags: ['files'],
        params: ArtifactParams,
        response: {
          200: Type.Object({
            hash: Type.String(),
            size: Type.Union([Type.Integer(), Type.Null()]),
            files: Type.Array(
              Type.Object({
                filePath: Type.String(),
                fileHash: Type.String(),
                type: Type.String(),
                size: Type.Union([Type.Integer(), Type.Null()]),
                metadata: Type.Record(Type.String(), Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const artifact = await store.artifacts.get(request.project!.id, request.params.hash)
      if (!artifact)
        throw new NereidError(
          'ARTIFACT_NOT_FOUND',
          `no artifact ${request.params.hash} in project "${request.params.workspace}/${request.params.project}"`,
          { hash: request.params.hash },
        )
      return artifact
    },
  )

  /** Writes sys/ fields that clients may not write, through the one applier. */
  async function applySystemWrites(objectId: string, operations: Operation[]): Promise<void> {
    const result = await store.ingest.applyBatch(objectId, { operations }, { now: now() })
    const failed = result.results.find((outcome) => !outcome.ok)
    if (failed && !failed.ok)
      throw new NereidError(failed.error.code, failed.error.message, failed.error.details)
  }
}
