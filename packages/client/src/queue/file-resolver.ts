import { createHash } from 'node:crypto'
import { join, relative } from 'node:path'
import type { FileSystem } from '../env.js'
import { NereidApiError } from '../transport/api-error.js'
import type { NativeApi } from '../transport/native-api.js'
import type { FileOperation, FileSource } from './log-record.js'

export type Resolution = { json: string } | { skipped: string }

/**
 * Turns logged file operations into wire operations at send time: uploads the bytes they
 * reference (streamed, never read whole into memory) and hashes tracked artifact files. A file
 * that disappeared before it could be sent is reported and skipped, not retried forever.
 */
export class FileResolver {
  readonly #api: NativeApi
  readonly #fs: FileSystem
  readonly #folder: string
  readonly #pendingStreams: ReadonlyMap<string, Promise<void>>
  /** Uploads already done in this process, by source: a retried batch does not upload again. */
  readonly #uploaded = new Map<string, string>()

  constructor(options: {
    api: NativeApi
    fs: FileSystem
    folder: string
    pendingStreams?: ReadonlyMap<string, Promise<void>>
  }) {
    this.#api = options.api
    this.#fs = options.fs
    this.#folder = options.folder
    this.#pendingStreams = options.pendingStreams ?? new Map()
  }

  async resolve(operation: FileOperation, signal?: AbortSignal): Promise<Resolution> {
    try {
      switch (operation.op) {
        case 'uploadFile': {
          const hash = await this.#upload(operation.source, signal)
          const { source: _source, ...rest } = operation
          return { json: JSON.stringify({ ...rest, hash }) }
        }
        case 'uploadFileSet': {
          const files = []
          for (const file of operation.files) {
            files.push({
              path: file.path,
              hash: await this.#upload(file.source, signal),
              ...(file.mtime !== undefined ? { mtime: file.mtime } : {}),
            })
          }
          return {
            json: JSON.stringify({
              op: 'uploadFileSet',
              path: operation.path,
              reset: operation.reset,
              files,
            }),
          }
        }
        case 'appendFiles': {
          const values = []
          for (const value of operation.values) {
            const { source, ...rest } = value
            values.push({ ...rest, hash: await this.#upload(source, signal) })
          }
          return {
            json: JSON.stringify({
              op: 'appendFiles',
              path: operation.path,
              values,
              steps: operation.steps,
              timestamps: operation.timestamps,
            }),
          }
        }
        case 'trackArtifact':
          return {
            json: JSON.stringify({
              op: 'trackArtifact',
              path: operation.path,
              files: await this.#listArtifact(operation.sources),
            }),
          }
      }
    } catch (error) {
      if (error instanceof MissingSourceError) return { skipped: error.message }
      // The server refused these bytes for good (too large, over quota): skip this operation
      // rather than hold back everything logged after it. Credentials problems stay fatal.
      if (error instanceof NereidApiError && !error.retryable && !FATAL_CODES.has(error.code)) {
        return { skipped: `the server refused the upload: ${error.message}` }
      }
      throw error
    }
  }

  /** Forgets bytes kept for stored sources once the server acknowledged their operations. */
  release(operation: FileOperation): void {
    const sources =
      operation.op === 'uploadFile'
        ? [operation.source]
        : operation.op === 'uploadFileSet'
          ? operation.files.map((file) => file.source)
          : operation.op === 'appendFiles'
            ? operation.values.map((value) => value.source)
            : []
    for (const source of sources) {
      if (source.kind === 'stored') {
        this.#fs.rmSync(join(this.#folder, 'blobs', source.id), { force: true })
        this.#uploaded.delete(`stored:${source.id}`)
      }
    }
  }

  async #upload(source: FileSource, signal?: AbortSignal): Promise<string> {
    let file: string
    let key: string
    if (source.kind === 'stored') {
      await this.#pendingStreams.get(source.id)
      file = join(this.#folder, 'blobs', source.id)
      key = `stored:${source.id}`
      if (!this.#fs.existsSync(file)) {
        throw new MissingSourceError(
          this.#fs.existsSync(`${file}.part`)
            ? 'its stream did not finish before the process that logged it ended'
            : `its bytes are missing from ${file}`,
        )
      }
    } else {
      file = source.path
      let stat
      try {
        stat = this.#fs.statSync(file)
      } catch {
        throw new MissingSourceError(`${file} was removed before it could be uploaded`)
      }
      key = `path:${file}:${stat.size}:${stat.mtimeMs}`
    }
    const known = this.#uploaded.get(key)
    if (known !== undefined) return known
    const { hash } = await this.#api.uploadBlob(this.#fs.createReadStream(file), signal)
    this.#uploaded.set(key, hash)
    return hash
  }

  async #listArtifact(sources: string[]) {
    const files: {
      filePath: string
      fileHash: string
      type: 'Local'
      size: number
      metadata: Record<string, string>
    }[] = []
    for (const source of sources) {
      let stat
      try {
        stat = this.#fs.statSync(source)
      } catch {
        throw new MissingSourceError(`${source} does not exist any more`)
      }
      const entries = stat.isDirectory()
        ? walk(this.#fs, source).map((file) => ({ file, name: relative(source, file) }))
        : [{ file: source, name: source.slice(source.lastIndexOf('/') + 1) }]
      for (const { file, name } of entries) {
        const fileStat = this.#fs.statSync(file)
        files.push({
          filePath: name.split('\\').join('/'),
          fileHash: await sha1(this.#fs, file),
          type: 'Local',
          size: fileStat.size,
          // Neptune's local artifact driver records where the file was and when it changed.
          metadata: {
            file_path: `file://${file}`,
            last_modified: new Date(fileStat.mtimeMs).toISOString(),
          },
        })
      }
    }
    return files
  }
}

class MissingSourceError extends Error {}

const FATAL_CODES: ReadonlySet<string> = new Set([
  'AUTH_REQUIRED',
  'TOKEN_INVALID',
  'FORBIDDEN',
  'PROJECT_NOT_FOUND',
  'WORKSPACE_NOT_FOUND',
])

function walk(fs: FileSystem, folder: string): string[] {
  const out: string[] = []
  const entries = fs.readdirSync(folder, { withFileTypes: true }) as unknown as {
    name: string
    isDirectory(): boolean
    isFile(): boolean
  }[]
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) out.push(...walk(fs, path))
    else if (entry.isFile()) out.push(path)
  }
  return out
}

async function sha1(fs: FileSystem, file: string): Promise<string> {
  const hash = createHash('sha1')
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
