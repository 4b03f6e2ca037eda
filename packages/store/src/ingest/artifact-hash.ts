import { createHash } from 'node:crypto'
import type { ArtifactFile } from '@nereid/core'

/**
 * The artifact hash of the Neptune 1.x client, reproduced byte for byte so that a hash the
 * server computes matches the one the client computes (`fetch_hash`). Files are hashed in
 * `filePath` order; each contributes a framed record of path, content hash, size and type,
 * followed by its metadata only for artifact API version 1.
 */
export function computeArtifactHash(files: ArtifactFile[], apiVersion: 1 | 2 = 2): string {
  const hash = createHash('sha256')
  const sorted = [...files].sort((a, b) =>
    a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0,
  )
  for (const file of sorted) {
    hash.update('#')
    hash.update(lengthPrefixed(file.filePath))
    hash.update('#')
    hash.update(file.fileHash)
    hash.update('#')
    if (file.size !== null) {
      const size = Buffer.alloc(8)
      size.writeBigUInt64BE(BigInt(file.size))
      hash.update(size)
    }
    hash.update('#')
    hash.update(lengthPrefixed(file.type))
    // Version 1 closes the record and appends the metadata; version 2 ends right after the type.
    if (apiVersion === 1) {
      hash.update('#')
      for (const key of Object.keys(file.metadata).sort()) {
        hash.update('|')
        hash.update(lengthPrefixed(key))
        hash.update('|')
        hash.update(lengthPrefixed(file.metadata[key] ?? ''))
      }
    }
  }
  return hash.digest('hex')
}

/** The text's length in code points (Python's `len`, which the client uses), then its UTF-8. */
function lengthPrefixed(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE([...text].length)
  return Buffer.concat([length, bytes])
}
