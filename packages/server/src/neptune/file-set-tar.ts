import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { NereidError } from '@nereid/core'
import tar from 'tar-stream'

export interface TarFile {
  /** Path inside the archive, `/`-separated, without a leading `./`. */
  path: string
  mtime: number | null
  content: AsyncIterable<Uint8Array>
}

/**
 * Reads the tar.gz stream `upload_files` sends for several files at once (protocol §8.3) and
 * hands each regular file to `store` in archive order. Directory entries carry nothing a file
 * set keeps; links and devices are refused.
 */
export async function readFileSetTar(
  source: Readable,
  store: (file: TarFile) => Promise<void>,
): Promise<void> {
  const extract = tar.extract()
  const gunzip = createGunzip()
  source.on('error', (error) => gunzip.destroy(error))
  gunzip.on('error', (error) => extract.destroy(error))
  source.pipe(gunzip).pipe(extract)
  try {
    for await (const entry of extract) {
      const header = entry.header
      if (header.type === 'file' || header.type === 'contiguous-file') {
        const path = header.name.replace(/^(\.\/)+/, '')
        await store({
          path,
          mtime: header.mtime ? header.mtime.getTime() : null,
          content: entry,
        })
      } else if (header.type === 'directory') {
        entry.resume()
      } else {
        entry.resume()
        throw new NereidError(
          'VALIDATION_FAILED',
          `"${header.name}" in the archive is a ${header.type}; file sets hold regular files only`,
        )
      }
    }
  } catch (error) {
    if (error instanceof NereidError) throw error
    throw new NereidError(
      'VALIDATION_FAILED',
      `the upload is not a readable tar.gz archive: ${(error as Error).message}`,
    )
  }
}
