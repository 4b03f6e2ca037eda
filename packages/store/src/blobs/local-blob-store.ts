import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { NereidError } from '@nereid/core'
import type { BlobStore } from './blob-store.js'

const HASH = /^[0-9a-f]{64}$/

/**
 * Blobs in a local folder: `<root>/ab/cd/<hash>`. Bytes are written to a temporary file,
 * fsynced, then renamed into place, so a blob path either holds the whole content or nothing.
 */
export function createLocalBlobStore(root: string): BlobStore {
  const tmp = join(root, 'tmp')
  const pathOf = (hash: string) => join(root, hash.slice(0, 2), hash.slice(2, 4), hash)
  let ready: Promise<void> | undefined
  const ensureRoot = () => (ready ??= mkdir(tmp, { recursive: true }).then(() => undefined))

  return {
    async put(source, options) {
      await ensureRoot()
      const temporary = join(tmp, randomUUID())
      const file = await open(temporary, 'w')
      const hasher = createHash('sha256')
      let size = 0
      try {
        for await (const chunk of source) {
          size += chunk.byteLength
          if (options?.maxBytes !== undefined && size > options.maxBytes) {
            throw new NereidError(
              'BODY_TOO_LARGE',
              `the file is larger than the limit of ${options.maxBytes} bytes`,
              {
                limitBytes: options.maxBytes,
              },
            )
          }
          hasher.update(chunk)
          await file.write(chunk)
        }
        await file.sync()
      } catch (error) {
        await file.close()
        await rm(temporary, { force: true })
        throw error
      }
      await file.close()
      const hash = hasher.digest('hex')
      const target = pathOf(hash)
      await mkdir(join(root, hash.slice(0, 2), hash.slice(2, 4)), { recursive: true })
      // Renaming over an existing copy is harmless: the content is identical by construction.
      await rename(temporary, target)
      return { hash, size }
    },
    async get(hash) {
      if (!HASH.test(hash)) return null
      try {
        await stat(pathOf(hash))
      } catch {
        return null
      }
      return createReadStream(pathOf(hash))
    },
    async has(hash) {
      if (!HASH.test(hash)) return false
      try {
        await stat(pathOf(hash))
        return true
      } catch {
        return false
      }
    },
    async delete(hash) {
      if (!HASH.test(hash)) return
      await rm(pathOf(hash), { force: true })
    },
    async *list() {
      await ensureRoot()
      for (const first of await readdir(root)) {
        if (first === 'tmp' || first.length !== 2) continue
        for (const second of await readdir(join(root, first))) {
          for (const name of await readdir(join(root, first, second)))
            if (HASH.test(name)) yield name
        }
      }
    },
  }
}
