import { NereidError, type ObjectRecord, type Project } from '@nereid/core'
import type { FastifyInstance } from 'fastify'
import { toAttributeDto } from '../attribute-dto.js'
import { resolveContainer, resolveProject } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

interface CreationParams {
  projectIdentifier?: string
  parentId?: string
  type?: string
  customId?: string
  key?: string
  notebookId?: string
  checkpointId?: string
  gitInfo?: {
    commit?: {
      commitId?: string
      message?: string
      authorName?: string
      authorEmail?: string
      commitDate?: string
    }
    repositoryDirty?: boolean
    currentBranch?: string
    remotes?: string[]
  }
}

/** The `systemAttributes` the legacy API of the client reads, by the sys field they come from. */
const LEGACY_SYSTEM_ATTRIBUTES: Record<string, string> = {
  'sys/id': 'shortId',
  'sys/name': 'name',
  'sys/creation_time': 'creationTime',
  'sys/running_time': 'runningTime',
  'sys/owner': 'owner',
  'sys/size': 'size',
  'sys/tags': 'tags',
  'sys/description': 'description',
  'sys/hostname': 'hostname',
  'sys/state': 'state',
}

/** Neptune's `Experiment`: any container (run, model, model version, project object). */
export function toExperimentDto(object: ObjectRecord, project: Project): Record<string, unknown> {
  return {
    id: object.id,
    type: object.kind,
    shortId: object.shortId,
    organizationName: project.workspaceName,
    organizationId: project.workspaceId,
    projectName: project.name,
    projectId: project.id,
    parentId: object.parentId ?? project.id,
    trashed: object.trashedAt !== null,
  }
}

/** Creating, finding and pinging containers, and listing their attributes. */
export async function containerRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, now } = deps

  app.post<{ Body: CreationParams }>(
    '/api/leaderboard/v1/experiments',
    AUTHENTICATED,
    async (request) => {
      const params = request.body ?? {}
      const project = await resolveProject(
        store,
        request.principal!,
        params.projectIdentifier ?? '',
        'write',
      )
      const owner = request.principal!.user.username
      let created: { object: ObjectRecord; created: boolean }
      switch (params.type ?? 'run') {
        case 'run':
          created = await store.objects.create({
            projectId: project.id,
            kind: 'run',
            owner,
            now: now(),
            ...(params.customId ? { customRunId: params.customId } : {}),
          })
          break
        case 'model':
          created = await store.objects.create({
            projectId: project.id,
            kind: 'model',
            owner,
            now: now(),
            modelKey: params.key ?? '',
          })
          break
        case 'modelVersion':
          created = await store.objects.create({
            projectId: project.id,
            kind: 'modelVersion',
            owner,
            now: now(),
            modelId: params.parentId ?? '',
          })
          break
        default:
          throw new NereidError(
            'VALIDATION_FAILED',
            `cannot create a container of type "${params.type}"; use run, model or modelVersion`,
            { field: 'type' },
          )
      }
      if (params.notebookId && params.checkpointId) {
        const notebook = await store.notebooks.get(project.id, params.notebookId)
        if (notebook) {
          await store.ingest.applyBatch(
            created.object.id,
            {
              operations: [
                {
                  kind: 'assignNotebookRef',
                  path: 'source_code/notebook',
                  value: {
                    notebookId: notebook.id,
                    checkpointId: params.checkpointId,
                    name: notebook.name,
                  },
                },
              ],
            },
            { now: now() },
          )
        }
      }
      const commit = params.gitInfo?.commit
      if (commit?.commitId) {
        const git = params.gitInfo!
        const result = await store.ingest.applyBatch(
          created.object.id,
          {
            operations: [
              {
                kind: 'assignGitRef',
                path: 'source_code/git',
                value: {
                  commitId: commit.commitId,
                  ...(commit.message !== undefined ? { message: commit.message } : {}),
                  ...(commit.authorName !== undefined ? { authorName: commit.authorName } : {}),
                  ...(commit.authorEmail !== undefined ? { authorEmail: commit.authorEmail } : {}),
                  ...(commit.commitDate && !Number.isNaN(Date.parse(commit.commitDate))
                    ? { commitDate: Date.parse(commit.commitDate) }
                    : {}),
                  ...(git.currentBranch !== undefined ? { branch: git.currentBranch } : {}),
                  ...(git.repositoryDirty !== undefined ? { dirty: git.repositoryDirty } : {}),
                  ...(git.remotes !== undefined ? { remotes: git.remotes } : {}),
                },
              },
            ],
          },
          { now: now() },
        )
        const outcome = result.results[0]
        if (outcome && !outcome.ok) {
          request.log.warn({ error: outcome.error }, 'git information of a new run not stored')
        }
      }
      return toExperimentDto(created.object, project)
    },
  )

  // A run started from a notebook records a checkpoint first. The client sends only the
  // notebook's path, not its content, so the checkpoint marks the moment with empty content.
  app.post<{ Params: { notebookId: string }; Body: { path?: string } }>(
    '/api/leaderboard/v1/notebooks/:notebookId/checkpoints2',
    AUTHENTICATED,
    async (request) => {
      const object = await store.objects.getById(request.params.notebookId)
      const notebook =
        object?.kind === 'notebook' ? await store.notebooks.get(object.projectId, object.id) : null
      if (!object || !notebook) {
        throw new NereidError(
          'OBJECT_NOT_FOUND',
          `notebook ${request.params.notebookId} not found`,
          { notebook: request.params.notebookId },
        )
      }
      await resolveProject(store, request.principal!, object.projectId, 'write')
      const empty = await deps.blobService.upload(
        (async function* () {})(),
        deps.config.maxUploadBytes,
      )
      const { checkpoint } = await store.notebooks.addCheckpoint({
        notebookId: notebook.id,
        hash: empty.hash,
        message: 'run started',
        path: request.body?.path ?? null,
        author: request.principal!.user.username,
        now: now(),
      })
      return { id: checkpoint.id, notebookId: notebook.id, path: checkpoint.path ?? '' }
    },
  )

  app.get<{ Querystring: { experimentId: string } }>(
    '/api/leaderboard/v1/experiments',
    AUTHENTICATED,
    async (request) => {
      const { object, project } = await resolveContainer(
        store,
        request.principal!,
        request.query.experimentId ?? '',
        'read',
      )
      return toExperimentDto(object, project)
    },
  )

  app.post<{ Querystring: { experimentId: string } }>(
    '/api/leaderboard/v1/attributes/ping',
    AUTHENTICATED,
    async (request) => {
      const { object } = await resolveContainer(
        store,
        request.principal!,
        request.query.experimentId ?? '',
        'write',
      )
      await store.objects.ping(object.id, now())
      return {}
    },
  )

  app.get<{ Querystring: { experimentId: string } }>(
    '/api/leaderboard/v1/attributes',
    AUTHENTICATED,
    async (request) => {
      const { object, project } = await resolveContainer(
        store,
        request.principal!,
        request.query.experimentId ?? '',
        'read',
      )
      const attributes = []
      const systemAttributes: Record<string, unknown> = {}
      for (const field of await store.fields.list(object.id)) {
        const dto = toAttributeDto(field)
        if (!dto) continue
        attributes.push(dto)
        const legacy = LEGACY_SYSTEM_ATTRIBUTES[field.path]
        if (legacy) systemAttributes[legacy] = dto[`${dto.type}Properties`]
      }
      if (systemAttributes.shortId) systemAttributes.id = systemAttributes.shortId
      return {
        id: object.id,
        projectId: project.id,
        organizationId: project.workspaceId,
        projectName: project.name,
        organizationName: project.workspaceName,
        trashed: object.trashedAt !== null,
        attributes,
        systemAttributes,
      }
    },
  )
}
