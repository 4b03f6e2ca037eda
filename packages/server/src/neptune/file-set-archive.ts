import type { Readable } from 'node:stream'
import { NereidError, type FileSetEntry } from '@nereid/core'
import type { BlobStore } from '@nereid/store'
import { zipStream, type ZipEntry } from './zip-stream.js'

/**
 * A file set as the zip the Neptune client downloads: a root entry "/", every folder as an
 * entry of its own (trailing slash), then the files, streamed; a blob is opened only when the
 * archive reaches it.
 */
export function fileSetArchive(entries: FileSetEntry[], blobs: BlobStore): Readable {
  const newest = entries.reduce((latest, entry) => Math.max(latest, entry.mtime), 0)
  const zipEntries: ZipEntry[] = [{ kind: 'directory', name: '/', mtime: newest || Date.now() }]
  const folders = new Set<string>()
  for (const entry of entries) {
    const segments = entry.path.split('/')
    for (let depth = 1; depth < segments.length; depth++) {
      const folder = `${segments.slice(0, depth).join('/')}/`
      if (!folders.has(folder)) {
        folders.add(folder)
        zipEntries.push({ kind: 'directory', name: folder, mtime: entry.mtime })
      }
    }
    zipEntries.push({
      kind: 'file',
      name: entry.path,
      mtime: entry.mtime,
      size: entry.size,
      open: async () => {
        const stream = await blobs.get(entry.hash)
        if (!stream) {
          throw new NereidError('BLOB_NOT_FOUND', `the bytes of "${entry.path}" are missing`)
        }
        return stream as AsyncIterable<Uint8Array>
      },
    })
  }
  return zipStream(zipEntries)
}

/** The direct children of `dir` ("" for the top) in a file set: files, and folders with sizes. */
export function listFolder(
  entries: FileSetEntry[],
  dir: string,
): { name: string; size: number; mtime: number; fileType: 'file' | 'directory' }[] {
  const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`
  const children = new Map<
    string,
    { name: string; size: number; mtime: number; fileType: 'file' | 'directory' }
  >()
  for (const entry of entries) {
    if (!entry.path.startsWith(prefix)) continue
    const rest = entry.path.slice(prefix.length)
    const slash = rest.indexOf('/')
    const name = slash === -1 ? rest : rest.slice(0, slash)
    const existing = children.get(name)
    if (slash === -1) {
      children.set(name, { name, size: entry.size, mtime: entry.mtime, fileType: 'file' })
    } else if (existing) {
      existing.size += entry.size
      existing.mtime = Math.max(existing.mtime, entry.mtime)
    } else {
      children.set(name, { name, size: entry.size, mtime: entry.mtime, fileType: 'directory' })
    }
  }
  return [...children.values()]
}
