import { NereidError } from '@nereid/core'
import type { BlobStore, Store } from '@nereid/store'

/** The lock that orders blob registration against blob deletion, across server instances. */
const REGISTRY_LOCK = 'blob-registry'

/** Deletions sent to the blob store at once (object storage answers in milliseconds each). */
const DELETE_CONCURRENCY = 16

/**
 * Moves file bytes in and out of the blob store while keeping the registry in the database
 * consistent with it. Storing bytes and deleting unreferenced bytes of the same hash never
 * interleave, in this process or in another server instance on the same database: an upload
 * could otherwise register a blob whose file was just removed. Registrations hold the store's
 * registry lock shared (they run side by side), deletions hold it exclusively.
 */
export class BlobService {
  readonly #store: Store
  readonly #blobs: BlobStore
  readonly #now: () => number

  constructor(store: Store, blobs: BlobStore, now: () => number) {
    this.#store = store
    this.#blobs = blobs
    this.#now = now
  }

  /** Streams bytes into the blob store and registers them; returns their hash and size. */
  async upload(
    source: AsyncIterable<Uint8Array>,
    maxBytes: number,
  ): Promise<{ hash: string; size: number }> {
    // Hash and write outside the gate (this is the slow part); only the final registration
    // is ordered against deletions.
    const stored = await this.#blobs.put(source, { maxBytes })
    return this.#store.locks.runShared(REGISTRY_LOCK, async () => {
      if (!(await this.#blobs.has(stored.hash))) {
        // Freed by a concurrent delete between writing and registering: rare; the client retries.
        throw new NereidError(
          'SERVICE_UNAVAILABLE',
          'the upload raced with a deletion of the same content; send it again',
        )
      }
      await this.#store.blobs.register(stored.hash, stored.size, this.#now())
      return stored
    })
  }

  /** Deletes the bytes of blobs no object references any more. */
  async free(hashes: string[]): Promise<number> {
    if (hashes.length === 0) return 0
    return this.#store.locks.runExclusive(REGISTRY_LOCK, async () => {
      const removed = await this.#store.blobs.forget(hashes)
      await this.#deleteBytes(removed)
      return removed.length
    })
  }

  /** Garbage-collects unreferenced blobs older than the grace period. */
  async collect(graceMs: number): Promise<number> {
    return this.#store.locks.runExclusive(REGISTRY_LOCK, async () => {
      const removed = await this.#store.blobs.collectGarbage(this.#now() - graceMs, 1000)
      await this.#deleteBytes(removed)
      return removed.length
    })
  }

  /**
   * Bytes whose registry rows are already gone. Should the blob store fail midway, the rest
   * stay behind as unreferenced files (space, never a field pointing at nothing).
   */
  async #deleteBytes(hashes: string[]): Promise<void> {
    for (let start = 0; start < hashes.length; start += DELETE_CONCURRENCY) {
      const chunk = hashes.slice(start, start + DELETE_CONCURRENCY)
      await Promise.all(chunk.map((hash) => this.#blobs.delete(hash)))
    }
  }
}
