/**
 * Counts of large searches, kept for a short time. Counting the matches of a search is linear
 * in their number (about 10 ms per 100,000 objects, even from an index), and a scrolling runs
 * table asks for the same count with every page. The caller keeps only large counts (and
 * estimates that only choose a plan), so that a small project sees its writes at once; a large
 * one may show a count up to `ttlMs` old.
 */
export class CountCache<T> {
  readonly #entries = new Map<string, { value: T; at: number }>()
  readonly #options: { ttlMs: number; maxEntries: number }

  constructor(options: { ttlMs: number; maxEntries: number }) {
    this.#options = options
  }

  get(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (now - entry.at >= this.#options.ttlMs || now < entry.at) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  set(key: string, value: T, now: number): void {
    this.#entries.delete(key)
    this.#entries.set(key, { value, at: now })
    // Oldest first: a Map iterates in insertion order.
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#options.maxEntries) break
      this.#entries.delete(oldest)
    }
  }
}
