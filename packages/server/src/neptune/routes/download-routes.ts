import { NereidError, validatePath, type FileInfo } from '@nereid/core'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formatDatetime } from '../attribute-dto.js'
import { resolveContainer } from '../containers.js'
import { fileSetArchive, listFolder } from '../file-set-archive.js'
import type { NeptuneDeps } from '../neptune-deps.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

type AttributeQuery = { experimentId: string; attribute: string }

/**
 * Downloads (protocol §8.4): files, images of an image series, file-set listings and file
 * sets as zip archives. The client names saved files after `Content-Disposition`, which it
 * cuts after the last `filename=`: so the header carries exactly one, quoted.
 */
export async function downloadRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, blobs, config } = deps

  async function located(request: FastifyRequest<{ Querystring: AttributeQuery }>) {
    const { object, project } = await resolveContainer(
      store,
      request.principal!,
      request.query.experimentId ?? '',
      'read',
    )
    return { object, project, path: validatePath(request.query.attribute, 'attribute') }
  }

  async function send(reply: FastifyReply, info: FileInfo, name: string) {
    const stream = await blobs.get(info.hash)
    if (!stream) {
      throw new NereidError('BLOB_NOT_FOUND', `the bytes of "${name}" are missing from storage`, {
        hash: info.hash,
      })
    }
    return reply
      .type(info.contentType || 'application/octet-stream')
      .header('content-length', info.size)
      .header('content-disposition', attachment(name))
      .send(stream)
  }

  app.get<{ Querystring: AttributeQuery }>(
    '/api/leaderboard/v1/attributes/download',
    AUTHENTICATED,
    async (request, reply) => {
      const { object, path } = await located(request)
      const field = await store.fields.get(object.id, path)
      if (field?.value.type !== 'file') {
        throw new NereidError('FIELD_NOT_FOUND', `${object.shortId} has no file at "${path}"`, {
          path,
        })
      }
      const info = field.value
      const base = path.slice(path.lastIndexOf('/') + 1)
      return send(reply, info, info.ext ? `${base}.${info.ext}` : base)
    },
  )

  app.get<{ Querystring: AttributeQuery & { index?: string } }>(
    '/api/leaderboard/v1/attributes/series/image/single',
    AUTHENTICATED,
    async (request, reply) => {
      const { object, path } = await located(request)
      const index = Number(request.query.index)
      const info = Number.isSafeInteger(index)
        ? await store.series.fileAt(object.id, path, index)
        : null
      if (!info) {
        throw new NereidError(
          'FIELD_NOT_FOUND',
          `${object.shortId} has no image ${request.query.index} in "${path}"`,
          { path },
        )
      }
      return send(reply, info, `${index}.${info.ext || 'png'}`)
    },
  )

  app.get<{ Querystring: AttributeQuery & { path?: string } }>(
    '/api/leaderboard/v1/attributes/ls',
    AUTHENTICATED,
    async (request) => {
      const { object, path } = await located(request)
      const entries = await store.fields.listFileSet(object.id, path)
      if (!entries) {
        throw new NereidError('FIELD_NOT_FOUND', `${object.shortId} has no file set "${path}"`, {
          path,
        })
      }
      return listFolder(entries, request.query.path ?? '').map((child) => ({
        ...child,
        mtime: formatDatetime(child.mtime),
      }))
    },
  )

  // Zips are built while they stream, so a download "request" is ready at once: its id
  // names the file set, and no state is kept between the calls.
  const prepared = (objectId: string, path: string) => {
    const id = Buffer.from(JSON.stringify([objectId, path])).toString('base64url')
    const query = new URLSearchParams({ experimentId: objectId, attribute: path })
    return {
      id,
      downloadUrl: `${config.publicUrl}/api/leaderboard/v1/attributes/downloadFileSetZip?${query}`,
    }
  }

  app.post<{ Querystring: AttributeQuery }>(
    '/api/leaderboard/v1/attributes/downloadFileSetZipRequest',
    AUTHENTICATED,
    async (request) => {
      const { object, path } = await located(request)
      if (!(await store.fields.listFileSet(object.id, path))) {
        throw new NereidError('FIELD_NOT_FOUND', `${object.shortId} has no file set "${path}"`, {
          path,
        })
      }
      return prepared(object.id, path)
    },
  )

  app.get<{ Querystring: { id: string } }>(
    '/api/leaderboard/v1/download/downloadRequest',
    AUTHENTICATED,
    async (request) => {
      let target: unknown
      try {
        target = JSON.parse(Buffer.from(request.query.id ?? '', 'base64url').toString('utf8'))
      } catch {
        target = null
      }
      if (
        !Array.isArray(target) ||
        typeof target[0] !== 'string' ||
        typeof target[1] !== 'string'
      ) {
        throw new NereidError('FILE_NOT_FOUND', `download request "${request.query.id}" not found`)
      }
      const { object } = await resolveContainer(store, request.principal!, target[0], 'read')
      return prepared(object.id, target[1])
    },
  )

  app.get<{ Querystring: AttributeQuery }>(
    '/api/leaderboard/v1/attributes/downloadFileSetZip',
    AUTHENTICATED,
    async (request, reply) => {
      const { object, path } = await located(request)
      const entries = await store.fields.listFileSet(object.id, path)
      if (!entries) {
        throw new NereidError('FIELD_NOT_FOUND', `${object.shortId} has no file set "${path}"`, {
          path,
        })
      }
      return reply
        .type('application/zip')
        .header('content-disposition', attachment(`${path.slice(path.lastIndexOf('/') + 1)}.zip`))
        .send(fileSetArchive(entries, blobs))
    },
  )
}

/** One quoted `filename=` (the client reads only the text after the last one). */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')}"`
}
