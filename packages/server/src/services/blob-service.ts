import { NereidError } from '@nereid/core'
import type { BlobStore, Store } from '@nereid/store'

/**
 * Moves file bytes in and out of the blob store while keeping the registry in the database
 * consistent with it. Within one process, storing bytes and deleting unreferenced bytes of the
 * same hash never interleave: an upload could otherwise register a blob whose file was just
 * removed.
 */
export class BlobService {
  readonly #store: Store
  readonly #blobs: BlobStore
  readonly #now: () => number
  #gate: Promise<unknown> = Promise.resolve()

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
    return this.#exclusive(async () => {
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
    return this.#exclusive(async () => {
      const removed = await this.#store.blobs.forget(hashes)
      for (const hash of removed) await this.#blobs.delete(hash)
      return removed.length
    })
  }

  /** Garbage-collects unreferenced blobs older than the grace period. */
  async collect(graceMs: number): Promise<number> {
    return this.#exclusive(async () => {
      const removed = await this.#store.blobs.collectGarbage(this.#now() - graceMs, 1000)
      for (const hash of removed) await this.#blobs.delete(hash)
      return removed.length
    })
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#gate.then(work, work)
    this.#gate = run.catch(() => undefined)
    return run
  }
}
