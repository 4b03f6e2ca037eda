import { NereidError } from '@nereid/core'
import type { NotebookCheckpoint, NotebookRecord } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ProjectParams } from '../schemas/common.js'
import { contentDisposition } from './files.js'

const NotebookParams = Type.Object({
  workspace: Type.String(),
  project: Type.String(),
  notebook: Type.String({ description: 'Notebook id, readable id (CLS-NB4) or name' }),
})
const CheckpointParams = Type.Object({
  workspace: Type.String(),
  project: Type.String(),
  notebook: Type.String({ description: 'Notebook id, readable id (CLS-NB4) or name' }),
  checkpoint: Type.String({ description: 'Checkpoint id or number' }),
})

const NotebookBody = Type.Object({
  id: Type.String(),
  shortId: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  trashed: Type.Boolean(),
  checkpointCount: Type.Integer(),
  lastCheckpointAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
const CheckpointBody = Type.Object({
  id: Type.String(),
  notebookId: Type.String(),
  number: Type.Integer(),
  hash: Type.String(),
  size: Type.Integer(),
  message: Type.String(),
  path: Type.Union([Type.String(), Type.Null()]),
  author: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
})
const EnsureNotebook = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200, description: 'Unique in the project' }) },
  { additionalProperties: false },
)
const CreateCheckpoint = Type.Object(
  {
    hash: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'sha256 of the notebook file, uploaded first with POST .../blobs',
    }),
    message: Type.Optional(Type.String({ maxLength: 10_000, description: 'What changed' })),
    path: Type.Optional(
      Type.String({ maxLength: 1024, description: 'Where the file was, for people to read' }),
    ),
  },
  { additionalProperties: false },
)

const iso = (ms: number) => new Date(ms).toISOString()

function presentNotebook(notebook: NotebookRecord) {
  return {
    id: notebook.id,
    shortId: notebook.shortId,
    name: notebook.name,
    createdAt: iso(notebook.createdAt),
    trashed: notebook.trashed,
    checkpointCount: notebook.checkpointCount,
    lastCheckpointAt: notebook.lastCheckpointAt === null ? null : iso(notebook.lastCheckpointAt),
  }
}

function presentCheckpoint(checkpoint: NotebookCheckpoint) {
  return { ...checkpoint, createdAt: iso(checkpoint.createdAt) }
}

/**
 * Notebooks and their checkpoints: `nereid notebook checkpoint` and the SDK record versions of
 * a notebook like commits; runs started from a notebook reference one with a notebookRef field.
 */
export async function notebookRoutes(
  app: FastifyInstance,
  { store, blobs, now }: AppDeps,
): Promise<void> {
  async function findNotebook(projectId: string, ref: string, project: string) {
    const notebook = await store.notebooks.get(projectId, ref)
    if (!notebook)
      throw new NereidError(
        'OBJECT_NOT_FOUND',
        `notebook "${ref}" not found in project "${project}"`,
        {
          notebook: ref,
          project,
        },
      )
    return notebook
  }

  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project/notebooks',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Notebooks of the project (not those in the trash)',
        tags: ['notebooks'],
        params: ProjectParams,
        response: { 200: Type.Object({ notebooks: Type.Array(NotebookBody) }) },
      },
    },
    async (request) => ({
      notebooks: (await store.notebooks.list(request.project!.id)).map(presentNotebook),
    }),
  )

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof EnsureNotebook> }>(
    '/api/v1/projects/:workspace/:project/notebooks',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Get the notebook with this name, creating it when missing',
        description: 'Safe to repeat: the same name always answers the same notebook.',
        tags: ['notebooks'],
        params: ProjectParams,
        body: EnsureNotebook,
        response: { 200: Type.Object({ notebook: NotebookBody, created: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { notebook, created } = await store.notebooks.ensure({
        projectId: request.project!.id,
        name: request.body.name,
        owner: request.principal!.user.username,
        now: now(),
      })
      return { notebook: presentNotebook(notebook), created }
    },
  )

  app.get<{ Params: Static<typeof NotebookParams> }>(
    '/api/v1/projects/:workspace/:project/notebooks/:notebook',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Get a notebook',
        tags: ['notebooks'],
        params: NotebookParams,
        response: { 200: NotebookBody },
      },
    },
    async (request) =>
      presentNotebook(
        await findNotebook(
          request.project!.id,
          request.params.notebook,
          projectName(request.params),
        ),
      ),
  )

  app.get<{ Params: Static<typeof NotebookParams> }>(
    '/api/v1/projects/:workspace/:project/notebooks/:notebook/checkpoints',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Checkpoints of a notebook, newest first',
        tags: ['notebooks'],
        params: NotebookParams,
        response: { 200: Type.Object({ checkpoints: Type.Array(CheckpointBody) }) },
      },
    },
    async (request) => {
      const notebook = await findNotebook(
        request.project!.id,
        request.params.notebook,
        projectName(request.params),
      )
      return {
        checkpoints: (await store.notebooks.listCheckpoints(notebook.id)).map(presentCheckpoint),
      }
    },
  )

  app.post<{ Params: Static<typeof NotebookParams>; Body: Static<typeof CreateCheckpoint> }>(
    '/api/v1/projects/:workspace/:project/notebooks/:notebook/checkpoints',
    {
      config: { permission: 'project:write' },
      schema: {
        summary: 'Record a checkpoint of the notebook (its content, like a commit)',
        description:
          'Upload the .ipynb file with POST .../blobs first and send its hash. When the content equals the latest checkpoint, that checkpoint is returned with `created: false`, so a retried request records one checkpoint.',
        tags: ['notebooks'],
        params: NotebookParams,
        body: CreateCheckpoint,
        response: { 200: Type.Object({ checkpoint: CheckpointBody, created: Type.Boolean() }) },
      },
    },
    async (request) => {
      const notebook = await findNotebook(
        request.project!.id,
        request.params.notebook,
        projectName(request.params),
      )
      const { checkpoint, created } = await store.notebooks.addCheckpoint({
        notebookId: notebook.id,
        hash: request.body.hash,
        message: request.body.message ?? '',
        path: request.body.path ?? null,
        author: request.principal!.user.username,
        now: now(),
      })
      return { checkpoint: presentCheckpoint(checkpoint), created }
    },
  )

  app.get<{ Params: Static<typeof CheckpointParams> }>(
    '/api/v1/projects/:workspace/:project/notebooks/:notebook/checkpoints/:checkpoint',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Get a checkpoint by id or number',
        tags: ['notebooks'],
        params: CheckpointParams,
        response: { 200: CheckpointBody },
      },
    },
    async (request) => {
      const notebook = await findNotebook(
        request.project!.id,
        request.params.notebook,
        projectName(request.params),
      )
      return presentCheckpoint(await findCheckpoint(notebook, request.params.checkpoint))
    },
  )

  app.get<{ Params: Static<typeof CheckpointParams> }>(
    '/api/v1/projects/:workspace/:project/notebooks/:notebook/checkpoints/:checkpoint/content',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Download the notebook file of a checkpoint',
        tags: ['notebooks'],
        params: CheckpointParams,
      },
    },
    async (request, reply) => {
      const notebook = await findNotebook(
        request.project!.id,
        request.params.notebook,
        projectName(request.params),
      )
      const checkpoint = await findCheckpoint(notebook, request.params.checkpoint)
      const stream = await blobs.get(checkpoint.hash)
      if (!stream)
        throw new NereidError(
          'BLOB_NOT_FOUND',
          `the content of checkpoint ${checkpoint.number} of ${notebook.shortId} is missing from the blob store`,
          { hash: checkpoint.hash },
        )
      return reply
        .type('application/x-ipynb+json')
        .header('content-length', checkpoint.size)
        .header('content-disposition', contentDisposition(`${notebook.name}.ipynb`))
        .send(stream)
    },
  )

  async function findCheckpoint(notebook: NotebookRecord, ref: string) {
    const checkpoint = await store.notebooks.getCheckpoint(notebook.id, ref)
    if (!checkpoint)
      throw new NereidError(
        'CHECKPOINT_NOT_FOUND',
        `notebook ${notebook.shortId} ("${notebook.name}") has no checkpoint "${ref}"`,
        { notebook: notebook.shortId, checkpoint: ref },
      )
    return checkpoint
  }
}

function projectName(params: { workspace: string; project: string }): string {
  return `${params.workspace}/${params.project}`
}
