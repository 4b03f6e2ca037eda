import { NereidError, type ArtifactFile, type Project } from '@nereid/core'
import { computeArtifactHash } from '@nereid/store'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { resolveProject } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

type ArtifactQuery = { projectIdentifier: string; hash: string; size?: string }
type FileDto = {
  filePath?: string
  fileHash?: string
  type?: string
  size?: number | null
  metadata?: { key?: string; value?: string }[]
}

/**
 * Artifact metadata (protocol §8.5). The client lists and hashes tracked files itself; the
 * server keeps each artifact's file list under its hash, and for a new version merges the
 * lists and computes the hash the client would compute for the merged set.
 */
export async function artifactRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, now } = deps

  const projectOf = (request: FastifyRequest<{ Querystring: ArtifactQuery }>) =>
    resolveProject(store, request.principal!, request.query.projectIdentifier ?? '', 'write')

  const present = (hash: string, files: ArtifactFile[] | null, received: boolean) => ({
    artifactHash: hash,
    receivedMetadata: received,
    ...(files && files.every((file) => file.size !== null)
      ? { size: files.reduce((sum, file) => sum + (file.size ?? 0), 0) }
      : {}),
  })

  async function existing(project: Project, hash: string) {
    const artifact = await store.artifacts.get(project.id, hash)
    if (!artifact) {
      throw new NereidError('FIELD_NOT_FOUND', `artifact ${hash} not found in this project`, {
        hash,
      })
    }
    return artifact
  }

  app.put<{ Querystring: ArtifactQuery }>(
    '/api/artifacts/v1/artifact',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request)
      const artifact = await store.artifacts.get(project.id, request.query.hash ?? '')
      return present(request.query.hash ?? '', artifact?.files ?? null, artifact !== null)
    },
  )

  app.put<{ Querystring: ArtifactQuery; Body: { files?: FileDto[] } }>(
    '/api/artifacts/v1/artifact/files',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request)
      const files = parseFiles(request.body?.files)
      const hash = request.query.hash ?? ''
      if (computeArtifactHash(files) !== hash) {
        throw new NereidError(
          'VALUE_INVALID',
          `the listed files hash to ${computeArtifactHash(files)}, not ${hash}`,
          { hash },
        )
      }
      await store.artifacts.put(project.id, hash, files, now())
      return present(hash, files, true)
    },
  )

  app.post<{ Querystring: ArtifactQuery; Body: { files?: FileDto[] } }>(
    '/api/artifacts/v1/artifact',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request)
      const previous = await existing(project, request.query.hash ?? '')
      const merged = new Map(previous.files.map((file) => [file.filePath, file]))
      for (const file of parseFiles(request.body?.files)) merged.set(file.filePath, file)
      const files = [...merged.values()]
      const hash = computeArtifactHash(files)
      await store.artifacts.put(project.id, hash, files, now())
      return present(hash, files, true)
    },
  )

  app.get<{ Querystring: ArtifactQuery }>(
    '/api/artifacts/v1/artifact/files',
    AUTHENTICATED,
    async (request) => {
      const project = await resolveProject(
        store,
        request.principal!,
        request.query.projectIdentifier ?? '',
        'read',
      )
      const artifact = await existing(project, request.query.hash ?? '')
      return {
        files: artifact.files.map((file) => ({
          filePath: file.filePath,
          fileHash: file.fileHash,
          type: file.type,
          ...(file.size !== null ? { size: file.size } : {}),
          metadata: Object.entries(file.metadata).map(([key, value]) => ({ key, value })),
        })),
      }
    },
  )
}

function parseFiles(files: FileDto[] | undefined): ArtifactFile[] {
  if (!Array.isArray(files)) {
    throw new NereidError('VALIDATION_FAILED', 'the body needs "files": a list of files', {
      field: 'files',
    })
  }
  return files.map((file, i) => {
    if (typeof file.filePath !== 'string' || typeof file.fileHash !== 'string') {
      throw new NereidError('VALIDATION_FAILED', `files[${i}] needs filePath and fileHash`, {
        field: `files[${i}]`,
      })
    }
    const metadata: Record<string, string> = {}
    for (const entry of file.metadata ?? []) {
      if (typeof entry.key === 'string') metadata[entry.key] = String(entry.value ?? '')
    }
    return {
      filePath: file.filePath,
      fileHash: file.fileHash,
      type: typeof file.type === 'string' ? file.type : 'Local',
      size: typeof file.size === 'number' ? file.size : null,
      metadata,
    }
  })
}
