import type { Readable } from 'node:stream'
import { NereidError, type FileSetEntry } from '@nereid/core'
import type { BlobStore } from '@nereid/store'
import yazl from 'yazl'

/**
 * A zip of a file set's files as a stream. Entries open their blob only when the archive
 * reaches them, so a large set never holds more than one file open.
 */
export function zipFileSet(entries: FileSetEntry[], blobs: BlobStore): Readable {
  const zip = new yazl.ZipFile()
  for (const entry of entries) {
    zip.addReadStreamLazy(
      entry.path,
      { mtime: new Date(entry.mtime), size: entry.size },
      (callback) => {
        blobs.get(entry.hash).then(
          (stream) =>
            stream
              ? callback(null, stream)
              : callback(
                  new NereidError(
                    'BLOB_NOT_FOUND',
                    `the bytes of "${entry.path}" are missing from the blob store`,
                  ),
                  undefined as never,
                ),
          (error: unknown) => callback(error, undefined as never),
        )
      },
    )
  }
  zip.end()
  return zip.outputStream as Readable
}
