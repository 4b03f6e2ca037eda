import { NereidError, validatePath, type FileInfo } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { ObjectParams, ProjectParams } from '../schemas/common.js'
import { findObject } from '../services/object-lookup.js'
import { zipFileSet } from '../services/file-set-zip.js'

const BlobResult = Type.Object({
  hash: Type.String({ description: 'sha256 (hex)' }),
  size: Type.Integer(),
})
const UploadQuery = Type.Object({
  path: Type.String({ minLength: 1 }),
  name: Type.Optional(Type.String({ maxLength: 1024 })),
  contentType: Type.Optional(Type.String({ maxLength: 255 })),
})
const DownloadQuery = Type.Object({
  path: Type.String({ minLength: 1 }),
  file: Type.Optional(Type.String({ description: 'For a file set: the file inside it' })),
  index: Type.Optional(
    Type.Integer({ minimum: 0, description: 'For a file series: the point, in step order' }),
  ),
})
const FileSetQuery = Type.Object({ path: Type.String({ minLength: 1 }) })

export async function fileRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, blobs, blobService, config, now } = deps

  // Uploads are streamed: no body parser may buffer them. Neptune-style clients send raw
  // bytes without a Content-Type, so every type is accepted and left unread.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers()
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null))

    raw.post<{ Params: Static<typeof ProjectParams> }>(
      '/api/v1/projects/:workspace/:project/blobs',
      {
        config: { permission: 'project:write' },
        schema: {
          summary: 'Upload file bytes; returns their sha256 to reference in operations',
          description:
            'The body is the raw file content (any content type), streamed. Uploading the same content twice stores it once.',
          tags: ['files'],
          params: ProjectParams,
          response: { 200: BlobResult },
        },
      },
      async (request) => blobService.upload(request.raw, config.maxUploadBytes),
    )

    raw.put<{ Params: ObjectParams; Querystring: Static<typeof UploadQuery> }>(
      '/api/v1/projects/:workspace/:project/objects/:object/files',
      {
        config: { permission: 'project:write' },
        schema: {
          summary: 'Upload a file into a file field in one call',
          tags: ['files'],
          params: ObjectParams,
          querystring: UploadQuery,
          response: { 200: BlobResult },
        },
      },
      async (request) => {
        const object = await findObject(store, request.project!, request.params.object)
        const path = validatePath(request.query.path)
        const blob = await blobService.upload(request.raw, config.maxUploadBytes)
        const name = request.query.name ?? path.slice(path.lastIndexOf('/') + 1)
        const result = await store.ingest.applyBatch(
          object.id,
          {
            operations: [
              {
                kind: 'uploadFile',
                path,
                file: {
                  hash: blob.hash,
                  name,
                  ext: null,
                  contentType: request.query.contentType ?? request.headers['content-type'] ?? null,
                  description: null,
                },
              },
            ],
          },
          { now: now() },
        )
        const outcome = result.results[0]
        if (outcome && !outcome.ok)
          throw new NereidError(outcome.error.code, outcome.error.message, outcome.error.details)
        return blob
      },
    )
  })

  app.get<{ Params: ObjectParams; Querystring: Static<typeof DownloadQuery> }>(
    '/api/v1/projects/:workspace/:project/objects/:object/files',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Download a file field, a file of a file set, or a point of a file series',
        tags: ['files'],
        params: ObjectParams,
        querystring: DownloadQuery,
      },
    },
    async (request, reply) => {
      const object = await findObject(store, request.project!, request.params.object)
      const path = validatePath(request.query.path)
      const { file, index } = request.query
      let info: FileInfo | null = null
      if (index !== undefined) {
        info = await store.series.fileAt(object.id, path, index)
      } else if (file !== undefined) {
        const entry = (await store.fields.listFileSet(object.id, path))?.find(
          (e) => e.path === file,
        )
        if (entry) {
          const name = entry.path.slice(entry.path.lastIndexOf('/') + 1)
          info = {
            hash: entry.hash,
            size: entry.size,
            name,
            ext: '',
            contentType: guessContentType(name),
          }
        }
      } else {
        const field = await store.fields.get(object.id, path)
        if (field?.value.type === 'file') info = field.value
      }
      if (!info) {
        throw new NereidError(
          'FILE_NOT_FOUND',
          `${object.shortId} has no file at "${path}"${file ? ` / "${file}"` : ''}${index !== undefined ? ` index ${index}` : ''}`,
          {
            path,
            object: object.shortId,
          },
        )
      }
      return sendBlob(reply, info)
    },
  )

  app.get<{ Params: ObjectParams; Querystring: Static<typeof FileSetQuery> }>(
    '/api/v1/projects/:workspace/:project/objects/:object/file-sets',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'List the files of a file set',
        tags: ['files'],
        params: ObjectParams,
        querystring: FileSetQuery,
        response: {
          200: Type.Object({
            files: Type.Array(
              Type.Object({
                path: Type.String(),
                hash: Type.String(),
                size: Type.Integer(),
                mtime: Type.String({ format: 'date-time' }),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const object = await findObject(store, request.project!, request.params.object)
      const entries = await store.fields.listFileSet(object.id, validatePath(request.query.path))
      if (!entries)
        throw new NereidError(
          'FIELD_NOT_FOUND',
          `${object.shortId} has no file set "${request.query.path}"`,
          { path: request.query.path },
        )
      return {
        files: entries.map((entry) => ({ ...entry, mtime: new Date(entry.mtime).toISOString() })),
      }
    },
  )

  app.get<{ Params: ObjectParams; Querystring: Static<typeof FileSetQuery> }>(
    '/api/v1/projects/:workspace/:project/objects/:object/file-sets/zip',
    {
      config: { permission: 'project:read' },
      schema: {
        summary: 'Download a file set as a zip archive',
        tags: ['files'],
        params: ObjectParams,
        querystring: FileSetQuery,
      },
    },
    async (request, reply) => {
      const object = await findObject(store, request.project!, request.params.object)
      const path = validatePath(request.query.path)
      const entries = await store.fields.listFileSet(object.id, path)
      if (!entries)
        throw new NereidError('FIELD_NOT_FOUND', `${object.shortId} has no file set "${path}"`, {
          path,
        })
      const name = `${path.slice(path.lastIndexOf('/') + 1)}.zip`
      return reply
        .type('application/zip')
        .header('content-disposition', contentDisposition(name))
        .send(zipFileSet(entries, blobs))
    },
  )

  async function sendBlob(reply: FastifyReply, info: FileInfo) {
    const stream = await blobs.get(info.hash)
    if (!stream)
      throw new NereidError(
        'BLOB_NOT_FOUND',
        `the bytes of ${info.name} are missing from the blob store`,
        { hash: info.hash },
      )
    const name =
      info.ext && !info.name.endsWith(`.${info.ext}`) ? `${info.name}.${info.ext}` : info.name
    return reply
      .type(info.contentType || 'application/octet-stream')
      .header('content-length', info.size)
      .header('content-disposition', contentDisposition(name))
      .header('x-content-type-options', 'nosniff')
      .send(stream)
  }
}

/** `attachment; filename="..."` with an RFC 5987 form for names that are not plain ASCII. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

function guessContentType(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase()
  return CONTENT_TYPES[ext] ?? 'application/octet-stream'
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  txt: 'text/plain',
  py: 'text/plain',
  json: 'application/json',
  csv: 'text/csv',
  html: 'text/html',
}
