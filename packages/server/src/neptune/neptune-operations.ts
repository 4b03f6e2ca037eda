import { NereidError, parseOperation, ValidationError } from '@nereid/core'
import type { PreparedOperation } from '@nereid/store'

/** Stores the bytes of one image of a `logImages` operation; returns their blob hash. */
export type ImageUploader = (bytes: Buffer) => Promise<string>

type Entry = {
  value?: unknown
  step?: number | null
  timestampMilliseconds?: number | null
}

/** String sets the Neptune API may write: Neptune's server rejects every other path. */
const WRITABLE_STRING_SETS = new Set(['sys/tags', 'sys/group_tags'])

/**
 * Translates the operations of one `executeOperations` body (protocol §7.1) into the native
 * vocabulary, through the same parser as the native API, so both are validated alike. An
 * operation that cannot be translated becomes an invalid operation: it is reported in the
 * answer's error list while the rest of the batch is applied.
 */
export async function translateOperations(
  body: unknown[],
  uploadImage: ImageUploader,
): Promise<PreparedOperation[]> {
  const prepared: PreparedOperation[] = []
  for (const raw of body) {
    try {
      prepared.push(parseOperation(await toNative(raw, uploadImage)))
    } catch (error) {
      if (!(error instanceof NereidError)) throw error
      prepared.push({ kind: 'invalid', error })
    }
  }
  return prepared
}

async function toNative(raw: unknown, uploadImage: ImageUploader): Promise<unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError('an operation must be an object with "path" and one operation key')
  }
  const { path, ...rest } = raw as Record<string, unknown>
  const keys = Object.keys(rest).filter((key) => rest[key] !== null && rest[key] !== undefined)
  if (keys.length !== 1) {
    throw new ValidationError(
      `an operation needs exactly one operation key besides "path"; got ${keys.length === 0 ? 'none' : keys.join(', ')}`,
      { field: 'operation' },
      'OPERATION_UNKNOWN',
    )
  }
  const name = keys[0]!
  const payload = (typeof rest[name] === 'object' ? rest[name] : {}) as Record<string, unknown>
  const entries = (Array.isArray(payload.entries) ? payload.entries : []) as Entry[]
  const columns = () => ({
    steps: entries.map((entry) => entry.step ?? null),
    timestamps: entries.map((entry) => entry.timestampMilliseconds ?? null),
  })
  switch (name) {
    case 'assignFloat':
      return { op: 'assignFloat', path, value: payload.value }
    case 'assignInt':
      return { op: 'assignInt', path, value: payload.value }
    case 'assignBool':
      return { op: 'assignBool', path, value: payload.value }
    case 'assignString':
      return { op: 'assignString', path, value: payload.value }
    case 'assignDatetime':
      return { op: 'assignDatetime', path, value: payload.valueMilliseconds }
    case 'assignArtifact':
      return { op: 'assignArtifact', path, hash: payload.hash }
    case 'clearArtifact':
      return { op: 'clearArtifact', path }
    case 'logFloats':
      return {
        op: 'appendFloats',
        path,
        values: entries.map((entry) => entry.value),
        ...columns(),
      }
    case 'logStrings':
      return {
        op: 'appendStrings',
        path,
        values: entries.map((entry) => entry.value),
        ...columns(),
      }
    case 'logImages': {
      const values = []
      for (const entry of entries) {
        const image = (entry.value ?? {}) as {
          data?: unknown
          name?: unknown
          description?: unknown
        }
        const bytes = Buffer.from(typeof image.data === 'string' ? image.data : '', 'base64')
        const type = imageType(bytes)
        values.push({
          hash: await uploadImage(bytes),
          ...(typeof image.name === 'string' && image.name !== '' ? { name: image.name } : {}),
          ...(typeof image.description === 'string' ? { description: image.description } : {}),
          ext: type.ext,
          contentType: type.contentType,
        })
      }
      return { op: 'appendFiles', path, values, ...columns() }
    }
    case 'clearFloatSeries':
      return { op: 'clearSeries', path, seriesType: 'floatSeries' }
    case 'clearStringSeries':
      return { op: 'clearSeries', path, seriesType: 'stringSeries' }
    case 'clearImageSeries':
      return { op: 'clearSeries', path, seriesType: 'fileSeries' }
    case 'configFloatSeries':
      return {
        op: 'configFloatSeries',
        path,
        min: payload.min ?? null,
        max: payload.max ?? null,
        unit: payload.unit ?? null,
      }
    case 'insertStrings':
    case 'removeStrings':
    case 'clearStringSet':
      if (typeof path === 'string' && !WRITABLE_STRING_SETS.has(path)) {
        throw new ValidationError(
          `"${path}" cannot be a string set: through the Neptune API only sys/tags and sys/group_tags are`,
          { field: 'path', path },
        )
      }
      return name === 'clearStringSet'
        ? { op: 'clearStringSet', path }
        : {
            op: name === 'insertStrings' ? 'addStrings' : 'removeStrings',
            path,
            values: payload.values,
          }
    case 'deleteFiles':
      return { op: 'deleteFiles', path, filePaths: payload.filePaths }
    case 'deleteAttribute':
      return { op: 'deleteField', path }
    default:
      throw new ValidationError(
        `unknown operation "${name}" on "${String(path)}"; this server does not support it`,
        { field: 'operation', operation: name },
        'OPERATION_UNKNOWN',
      )
  }
}

/** The image format, from its first bytes (the client sends PNG; other formats pass through). */
function imageType(bytes: Buffer): { ext: string; contentType: string } {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { ext: 'png', contentType: 'image/png' }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { ext: 'jpeg', contentType: 'image/jpeg' }
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8')
    return { ext: 'gif', contentType: 'image/gif' }
  return { ext: 'png', contentType: 'image/png' }
}
