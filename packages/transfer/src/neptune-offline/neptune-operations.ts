import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import type { OperationWire } from '@nereid/core'
import { contentTypeOf, describeFile } from '../content-types.js'
import { blobOf, type OperationCounts, type PendingBlob } from '../object-writer.js'

/**
 * Turns the operations the `neptune` 1.x client serializes into its queue files
 * (`neptune/internal/operation.py`, `to_dict`) into Nereid operations. Files are read from
 * where the client left them: absolute paths for uploads and file sets, the queue's
 * `upload_path/` for in-memory content, base64 inside the operation for images.
 */

export interface QueuedOperation {
  type: string
  path: string[]
  [key: string]: unknown
}

export type Translation =
  { wire: OperationWire; counts: OperationCounts; blobs: PendingBlob[] } | { skip: string }

interface SeriesEntry {
  value: unknown
  step?: number | null
  ts?: number | null
}

export function translateOperation(operation: QueuedOperation, queueDir: string): Translation {
  const path = operation.path.join('/')
  const o = operation
  switch (o.type) {
    case 'AssignFloat':
      return atom({ op: 'assignFloat', path, value: floatWire(o.value) })
    case 'AssignInt':
      return atom({ op: 'assignInt', path, value: Number(o.value) })
    case 'AssignBool':
      return atom({ op: 'assignBool', path, value: Boolean(o.value) })
    case 'AssignString':
      return atom({ op: 'assignString', path, value: String(o.value) })
    case 'AssignDatetime':
      return atom({ op: 'assignDatetime', path, value: Number(o.value) })
    case 'AssignArtifact':
      return atom({ op: 'assignArtifact', path, hash: String(o.hash) })
    case 'LogFloats': {
      const entries = o.values as SeriesEntry[]
      return {
        wire: {
          op: 'appendFloats',
          path,
          values: entries.map((e) => floatWire(e.value)),
          steps: entries.map((e) => e.step ?? null),
          timestamps: entries.map((e) =>
            typeof e.ts === 'number' ? Math.round(e.ts * 1000) : null,
          ),
        },
        counts: { points: entries.length },
        blobs: [],
      }
    }
    case 'LogStrings': {
      const entries = o.values as SeriesEntry[]
      return {
        wire: {
          op: 'appendStrings',
          path,
          values: entries.map((e) => String(e.value)),
          steps: entries.map((e) => e.step ?? null),
          timestamps: entries.map((e) =>
            typeof e.ts === 'number' ? Math.round(e.ts * 1000) : null,
          ),
        },
        counts: { points: entries.length },
        blobs: [],
      }
    }
    case 'LogImages': {
      const entries = o.values as SeriesEntry[]
      const blobs: PendingBlob[] = []
      const values: {
        hash: string
        name?: string
        ext: string
        contentType: string
        description?: string
      }[] = []
      const steps: (number | null)[] = []
      const timestamps: (number | null)[] = []
      for (const entry of entries) {
        const image =
          typeof entry.value === 'string'
            ? { data: entry.value, name: null, description: null }
            : (entry.value as {
                data?: string | null
                name?: string | null
                description?: string | null
              })
        if (!image?.data) continue
        const bytes = Buffer.from(image.data, 'base64')
        const blob = blobOf(bytes)
        blobs.push(blob)
        const described = describeFile(image.name ?? '', bytes)
        values.push({
          hash: blob.hash,
          ...(image.name ? { name: image.name } : {}),
          ext: described.ext,
          contentType: described.contentType,
          ...(image.description ? { description: image.description } : {}),
        })
        steps.push(entry.step ?? null)
        timestamps.push(typeof entry.ts === 'number' ? Math.round(entry.ts * 1000) : null)
      }
      if (values.length === 0)
        return { skip: 'the images were larger than the client keeps (no data)' }
      return {
        wire: { op: 'appendFiles', path, values, steps, timestamps },
        counts: { points: values.length, files: values.length },
        blobs,
      }
    }
    case 'ClearFloatLog':
      return atom({ op: 'clearSeries', path, seriesType: 'floatSeries' })
    case 'ClearStringLog':
      return atom({ op: 'clearSeries', path, seriesType: 'stringSeries' })
    case 'ClearImageLog':
      return atom({ op: 'clearSeries', path, seriesType: 'fileSeries' })
    case 'ConfigFloatSeries':
      return atom({
        op: 'configFloatSeries',
        path,
        min: (o.min as number | null) ?? null,
        max: (o.max as number | null) ?? null,
        unit: (o.unit as string | null) ?? null,
      })
    case 'AddStrings':
      return atom({ op: 'addStrings', path, values: (o.values as unknown[]).map(String) })
    case 'RemoveStrings':
      return atom({ op: 'removeStrings', path, values: (o.values as unknown[]).map(String) })
    case 'ClearStringSet':
      return atom({ op: 'clearStringSet', path })
    case 'DeleteFiles':
      return atom({ op: 'deleteFiles', path, filePaths: (o.file_paths as string[]) ?? [] })
    case 'DeleteAttribute':
      return atom({ op: 'deleteField', path })
    case 'ClearArtifact':
      return atom({ op: 'clearArtifact', path })
    case 'UploadFile':
      return uploadFile(path, o, queueDir)
    case 'UploadFileContent': {
      const bytes = Buffer.from(String(o.file_content ?? ''), 'base64')
      const blob = blobOf(bytes)
      const ext = String(o.ext ?? '')
      const name = basename(path) + (ext ? `.${ext}` : '')
      return {
        wire: {
          op: 'uploadFile',
          path,
          hash: blob.hash,
          name,
          ext,
          contentType: contentTypeOf(ext),
        },
        counts: { fields: 1, files: 1 },
        blobs: [blob],
      }
    }
    case 'UploadFileSet':
      return uploadFileSet(path, o)
    case 'TrackFilesToArtifact':
      return trackFiles(path, o)
    case 'CopyAttribute':
      return atom({
        op: 'copyField',
        path,
        fromObject: String(o.container_id),
        fromPath: (o.source_path as string[]).join('/'),
      })
    default:
      return { skip: `unknown operation type ${o.type}` }
  }
}

function atom(wire: OperationWire): Translation {
  return { wire, counts: { fields: 1 }, blobs: [] }
}

function floatWire(value: unknown): number | 'NaN' | 'Infinity' | '-Infinity' {
  if (typeof value === 'number') return value
  // Python's json writes NaN and Infinity as bare words, which JSON.parse rejects; the queue
  // reader turns them into these strings first.
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value
  return 'NaN'
}

function uploadFile(path: string, o: QueuedOperation, queueDir: string): Translation {
  const source =
    typeof o.file_path === 'string' && o.file_path
      ? o.file_path
      : typeof o.tmp_file_name === 'string'
        ? join(queueDir, 'upload_path', o.tmp_file_name)
        : null
  if (!source || !existsSync(source) || !statSync(source).isFile())
    return { skip: `the file to upload (${source ?? 'no path'}) no longer exists` }
  const bytes = readFileSync(source)
  const blob = blobOf(bytes)
  const ext = typeof o.ext === 'string' ? o.ext : ''
  const name = basename(path) + (ext ? `.${ext}` : '')
  return {
    wire: { op: 'uploadFile', path, hash: blob.hash, name, ext, contentType: contentTypeOf(ext) },
    counts: { fields: 1, files: 1 },
    blobs: [blob],
  }
}

/** Files a list of paths or folders holds, recursively, in name order. */
function walk(paths: string[]): string[] {
  const files: string[] = []
  const visit = (path: string) => {
    if (!existsSync(path)) return
    const stat = statSync(path)
    if (stat.isFile()) files.push(path)
    else if (stat.isDirectory())
      for (const name of readdirSync(path).sort()) visit(join(path, name))
  }
  for (const path of paths) visit(resolve(path))
  return files
}

function commonRoot(paths: string[]): string {
  if (paths.length === 0) return ''
  let root = paths[0]!
  for (const path of paths.slice(1)) {
    while (root && !(path === root || path.startsWith(root.endsWith(sep) ? root : root + sep)))
      root = dirname(root)
  }
  return existsSync(root) && statSync(root).isFile() ? dirname(root) : root
}

function uploadFileSet(path: string, o: QueuedOperation): Translation {
  const globs = ((o.file_globs as string[]) ?? []).filter((glob) => !/[*?[]/.test(glob))
  const wildcards = ((o.file_globs as string[]) ?? []).length - globs.length
  const reset = String(o.reset) === 'True' || o.reset === true
  const files = walk(globs)
  if (files.length === 0 && !reset) {
    return {
      skip:
        wildcards > 0
          ? 'glob patterns are not expanded on import; upload those files again'
          : 'no files to upload (they no longer exist, or the set was empty)',
    }
  }
  const root = commonRoot(globs.map((glob) => resolve(glob)))
  const blobs = files.map((file) => blobOf(readFileSync(file)))
  return {
    wire: {
      op: 'uploadFileSet',
      path,
      reset,
      files: files.map((file, i) => ({
        path: relative(root, file).split(sep).join('/') || basename(file),
        hash: blobs[i]!.hash,
        mtime: Math.round(statSync(file).mtimeMs),
      })),
    },
    counts: { fields: 1, files: files.length },
    blobs,
  }
}

/**
 * Local artifact files as the client lists them (`neptune/internal/artifacts/drivers/local.py`):
 * SHA-1 of the content, the file URL and modification time as metadata. S3 locations need
 * credentials this import does not have.
 */
function trackFiles(path: string, o: QueuedOperation): Translation {
  const entries = (o.entries as [string, string | null][]) ?? []
  const files: {
    filePath: string
    fileHash: string
    type: string
    size: number
    metadata: Record<string, string>
  }[] = []
  for (const [location, destination] of entries) {
    if (/^s3:\/\//i.test(location))
      return { skip: `S3 artifact ${location} cannot be listed by the import` }
    const base = resolve(location)
    const isDir = existsSync(base) && statSync(base).isDirectory()
    for (const file of walk([base])) {
      const stat = statSync(file)
      const inner = isDir ? relative(base, file).split(sep).join('/') : basename(file)
      files.push({
        filePath: destination ? `${destination.replace(/\/+$/, '')}/${inner}` : inner,
        fileHash: createHash('sha1').update(readFileSync(file)).digest('hex'),
        type: 'Local',
        size: stat.size,
        metadata: {
          file_path: `file://${file}`,
          last_modified: new Date(stat.mtimeMs).toISOString().replace('T', ' ').slice(0, 19),
        },
      })
    }
  }
  if (files.length === 0) return { skip: 'the tracked files no longer exist' }
  return { wire: { op: 'trackArtifact', path, files }, counts: { fields: 1 }, blobs: [] }
}
