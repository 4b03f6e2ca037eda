import { NereidError, validatePath, type Operation } from '@nereid/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { resolveContainer, type Container } from '../containers.js'
import { readFileSetTar } from '../file-set-tar.js'
import type { NeptuneDeps } from '../neptune-deps.js'
import { checkStorageLimit } from '../storage-limit.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }
const OK = { errors: [] as unknown[] }
/** Multipart uploads not finished within a day are abandoned; their parts are let go. */
const UPLOAD_LIFETIME_MS = 24 * 60 * 60 * 1000

type Target = {
  experimentIdentifier?: string
  experimentId?: string
  attribute?: string
  ext?: string
  subPath?: string
  totalLength?: string
  uploadId?: string
  uploadPartIdx?: string
  reset?: string
}

/**
 * File uploads (protocol §8): single files, multipart uploads of large ones, single files of a
 * file set and tar.gz packages of several. Bodies are raw bytes streamed into the blob store;
 * the field is set through the operation applier. Every success answers `{"errors": []}`, the
 * only shape the client accepts.
 */
export async function uploadRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, blobService, config, now } = deps
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, _payload, done) => done(null))

  async function target(request: FastifyRequest<{ Querystring: Target }>) {
    const query = request.query
    const container = await resolveContainer(
      store,
      request.principal!,
      query.experimentIdentifier ?? query.experimentId ?? '',
      'write',
    )
    await checkStorageLimit(store, container.project)
    return { container, path: validatePath(query.attribute, 'attribute') }
  }

  /**
   * Sets the field. A refused write (say, a type conflict) is reported in the answer's error
   * list, which the client logs and goes on; an HTTP error would stop its uploads for good.
   */
  async function apply(container: Container, operation: Operation) {
    const { results } = await store.ingest.applyBatch(
      container.object.id,
      { operations: [operation] },
      { now: now() },
    )
    const outcome = results[0]
    if (outcome && !outcome.ok) {
      return {
        errors: [{ errorType: 'metadata_inconsistency', errorDescription: outcome.error.message }],
      }
    }
    return OK
  }

  const fileOperation = (path: string, hash: string, ext: string | null): Operation => {
    const name = path.slice(path.lastIndexOf('/') + 1)
    return {
      kind: 'uploadFile',
      path,
      file: { hash, name, ext: ext ?? '', contentType: contentTypeOf(ext), description: null },
    }
  }
  const fileSetOperation = (path: string, filePath: string, hash: string): Operation => ({
    kind: 'uploadFileSet',
    path,
    reset: false,
    files: [{ path: checkFilePath(filePath), hash, mtime: now() }],
  })

  app.post<{ Querystring: Target }>(
    '/api/leaderboard/v1/attributes/storage/file/upload',
    AUTHENTICATED,
    async (request) => {
      const { container, path } = await target(request)
      const blob = await blobService.upload(request.raw, config.maxUploadBytes)
      return apply(container, fileOperation(path, blob.hash, request.query.ext ?? ''))
    },
  )

  app.post<{ Querystring: Target }>(
    '/api/leaderboard/v1/attributes/storage/fileset/upload',
    AUTHENTICATED,
    async (request) => {
      const { container, path } = await target(request)
      const filePath = checkFilePath(request.query.subPath)
      const blob = await blobService.upload(request.raw, config.maxUploadBytes)
      return apply(container, fileSetOperation(path, filePath, blob.hash))
    },
  )

  app.post<{ Querystring: Target }>(
    '/api/leaderboard/v1/attributes/uploadFileSetTar',
    AUTHENTICATED,
    async (request) => {
      const { container, path } = await target(request)
      const files: { path: string; hash: string; mtime: number | null }[] = []
      await readFileSetTar(request.raw, async (file) => {
        const blob = await blobService.upload(file.content, config.maxUploadBytes)
        files.push({ path: checkFilePath(file.path), hash: blob.hash, mtime: file.mtime })
      })
      // Python's str(bool): "True" replaces the whole set, "False" merges into it.
      const reset = request.query.reset?.toLowerCase() === 'true'
      return apply(container, { kind: 'uploadFileSet', path, reset, files })
    },
  )

  for (const kind of ['file', 'fileset'] as const) {
    const base = `/api/leaderboard/v1/attributes/storage/${kind}/upload`

    app.post<{ Querystring: Target }>(`${base}/start`, AUTHENTICATED, async (request) => {
      const { container, path } = await target(request)
      const totalLength = Number(request.query.totalLength)
      if (!Number.isSafeInteger(totalLength) || totalLength < 0) {
        throw new NereidError('VALIDATION_FAILED', 'totalLength must be a number of bytes', {
          field: 'totalLength',
        })
      }
      if (totalLength > config.maxUploadBytes) {
        throw new NereidError(
          'BODY_TOO_LARGE',
          `the file has ${totalLength} bytes; this server accepts files up to ${config.maxUploadBytes}`,
          { limitBytes: config.maxUploadBytes },
        )
      }
      await store.uploads.expire(now() - UPLOAD_LIFETIME_MS)
      const upload = await store.uploads.start({
        objectId: container.object.id,
        path,
        target: kind === 'file' ? 'file' : 'fileSet',
        ...(kind === 'fileset' ? { filePath: checkFilePath(request.query.subPath) } : {}),
        ...(kind === 'file' ? { ext: request.query.ext ?? '' } : {}),
        totalLength,
        now: now(),
      })
      return { uploadId: upload.id, errors: [] }
    })

    app.post<{ Querystring: Target }>(`${base}/part`, AUTHENTICATED, async (request, reply) => {
      const { container } = await target(request)
      const upload = await store.uploads.get(request.query.uploadId ?? '')
      if (!upload || upload.objectId !== container.object.id) {
        throw new NereidError('FILE_NOT_FOUND', `upload "${request.query.uploadId}" not found`)
      }
      const index = Number(request.query.uploadPartIdx)
      if (!Number.isSafeInteger(index) || index < 0) {
        throw new NereidError('VALIDATION_FAILED', 'uploadPartIdx must be a whole number', {
          field: 'uploadPartIdx',
        })
      }
      const blob = await blobService.upload(request.raw, config.maxUploadBytes)
      const range = /^bytes=(\d+)-(\d+)\/(\d+)$/.exec(String(request.headers['x-range'] ?? ''))
      if (range && Number(range[2]) - Number(range[1]) + 1 !== blob.size) {
        // The client restarts the whole upload when it reads this sentence.
        return reply.code(400).send({
          code: 400,
          title: 'Length of stream does not match given range',
          message: `Length of stream does not match given range: got ${blob.size} bytes for ${range[0]}`,
        })
      }
      await store.uploads.addPart(upload.id, index, blob.hash)
      return OK
    })

    app.post<{ Querystring: Target }>(`${base}/finish`, AUTHENTICATED, async (request) => {
      const { container } = await target(request)
      const upload = await store.uploads.get(request.query.uploadId ?? '')
      if (!upload || upload.objectId !== container.object.id) {
        throw new NereidError('FILE_NOT_FOUND', `upload "${request.query.uploadId}" not found`)
      }
      if (upload.finishedAt !== null) return OK
      const size = upload.parts.reduce((sum, part) => sum + part.size, 0)
      const contiguous = upload.parts.every((part, i) => part.index === i)
      if (!contiguous || size !== upload.totalLength) {
        throw new NereidError(
          'VALIDATION_FAILED',
          `the upload has ${upload.parts.length} parts with ${size} bytes; ${upload.totalLength} bytes in parts 0, 1, 2, ... were announced`,
          { received: size, expected: upload.totalLength },
        )
      }
      const { blobs } = deps
      const whole = await blobService.upload(
        (async function* () {
          for (const part of upload.parts) {
            const stream = await blobs.get(part.hash)
            if (!stream) throw new NereidError('BLOB_NOT_FOUND', `part ${part.index} is missing`)
            for await (const chunk of stream) yield chunk as Uint8Array
          }
        })(),
        config.maxUploadBytes,
      )
      const result = await apply(
        container,
        upload.target === 'file'
          ? fileOperation(upload.path, whole.hash, upload.ext)
          : fileSetOperation(upload.path, upload.filePath ?? '', whole.hash),
      )
      await store.uploads.finish(upload.id, now())
      return result
    })
  }
}

function checkFilePath(filePath: string | undefined): string {
  const path = (filePath ?? '').replace(/^(\.\/)+/, '')
  if (path === '' || path.split('/').some((segment) => segment === '..' || segment === '')) {
    throw new NereidError(
      'VALIDATION_FAILED',
      `"${filePath ?? ''}" is not a path inside a file set (no empty or ".." segments)`,
      { field: 'subPath' },
    )
  }
  return path
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  html: 'text/html',
  txt: 'text/plain',
  json: 'application/json',
  csv: 'text/csv',
}

function contentTypeOf(ext: string | null): string {
  return CONTENT_TYPES[(ext ?? '').toLowerCase()] ?? 'application/octet-stream'
}
