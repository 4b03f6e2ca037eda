/**
 * Entries kept within a memory budget, the least recently used dropped first. Each entry is
 * given its size in bytes when it is set (a rough figure is enough: the budget bounds the
 * process's memory, it is not an allocator). An entry larger than the budget is not kept.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, { value: V; bytes: number }>()
  readonly #budgetBytes: number
  #bytes = 0

  constructor(budgetBytes: number) {
    this.#budgetBytes = budgetBytes
  }

  /** The entry of `key`, which becomes the most recently used. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key)
    if (!entry) return undefined
    // Map iteration order is the eviction order: most recently used last.
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    return entry.value
  }

  set(key: K, value: V, bytes: number): void {
    this.delete(key)
    if (bytes > this.#budgetBytes) return
    this.#entries.set(key, { value, bytes })
    this.#bytes += bytes
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes <= this.#budgetBytes) break
      this.#entries.delete(oldKey)
      this.#bytes -= old.bytes
    }
  }

  delete(key: K): void {
    const entry = this.#entries.get(key)
    if (!entry) return
    this.#entries.delete(key)
    this.#bytes -= entry.bytes
  }

  /** Bytes of the entries kept now, as given to `set`. */
  get bytes(): number {
    return this.#bytes
  }
}
