import type { Readable } from 'node:stream'

/**
 * Where file bytes live, addressed by the lowercase hex sha256 of their content. The store
 * only keeps bytes; which blobs are referenced is tracked in the database (BlobRegistry).
 */
export interface BlobStore {
  /**
   * Streams bytes in while hashing them and stores them under their hash. Storing content
   * that is already there is a no-op. Rejects with BODY_TOO_LARGE past `maxBytes`.
   */
  put(
    source: AsyncIterable<Uint8Array>,
    options?: { maxBytes?: number },
  ): Promise<{ hash: string; size: number }>
  /** A stream of the bytes, or null when no blob has this hash. */
  get(hash: string): Promise<Readable | null>
  has(hash: string): Promise<boolean>
  delete(hash: string): Promise<void>
  /** Every stored hash (for garbage collection and checks). */
  list(): AsyncIterable<string>
}
