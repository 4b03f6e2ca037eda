export interface BatchedLookupOptions<V> {
  /** Fetches values for up to `batchSize` keys; keys missing from the answer have no value. */
  fetch(keys: string[], signal: AbortSignal): Promise<Map<string, V>>
  batchSize: number
  /** Keys go out once what is shown has stayed the same for this many milliseconds. */
  delayMs?: number
  /** ...or at the latest this long after the first of them was shown (a slow, steady scroll). */
  maxDelayMs?: number
  /** Values kept; the oldest are dropped first. */
  maxEntries?: number
}

/**
 * Per-row extras of a table (sparklines, convention flags) fetched in batches for the rows on
 * screen: the keys shown are fetched once the view settles, keys shown in the same moment
 * share a request, answers are cached, and subscribers hear once per batch.
 *
 * Waiting for the view to settle matters during a fast scroll: rows fly past in a fraction of
 * a second, and fetching their extras would queue work on the server ahead of the pages of
 * rows the person is scrolling towards (measured: sparkline reads doubled the wait for pages).
 */
export class BatchedLookup<V> {
  readonly #options: Required<BatchedLookupOptions<V>>
  readonly #values = new Map<string, V | null>()
  readonly #pending = new Set<string>()
  readonly #inFlight = new Set<string>()
  readonly #listeners = new Set<() => void>()
  readonly #controllers = new Set<AbortController>()
  #timer: ReturnType<typeof setTimeout> | null = null
  /** When the oldest key now waiting was first shown. */
  #waitingSince: number | null = null
  #version = 0

  constructor(options: BatchedLookupOptions<V>) {
    this.#options = { delayMs: 50, maxDelayMs: 500, maxEntries: 5000, ...options }
  }

  get version(): number {
    return this.#version
  }

  /** The cached value: undefined while unknown, null when the server has none. */
  get(key: string): V | null | undefined {
    return this.#values.get(key)
  }

  /**
   * The keys on screen now: those not yet known or on their way are fetched when the view
   * settles. Keys shown before and gone from the screen before they were sent are dropped.
   */
  show(keys: Iterable<string>): void {
    this.#pending.clear()
    for (const key of keys) {
      if (!this.#values.has(key) && !this.#inFlight.has(key)) this.#pending.add(key)
    }
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#pending.size === 0) {
      this.#waitingSince = null
      return
    }
    const now = Date.now()
    this.#waitingSince ??= now
    const { delayMs, maxDelayMs } = this.#options
    const delay = Math.max(0, Math.min(delayMs, this.#waitingSince + maxDelayMs - now))
    this.#timer = setTimeout(() => this.#flush(), delay)
  }

  /** Forgets the values of these keys (live updates) so the next `show` reads them again. */
  invalidate(keys: Iterable<string>): void {
    for (const key of keys) this.#values.delete(key)
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    for (const controller of this.#controllers) controller.abort()
    this.#listeners.clear()
  }

  #flush(): void {
    this.#timer = null
    this.#waitingSince = null
    const keys = [...this.#pending]
    this.#pending.clear()
    for (let start = 0; start < keys.length; start += this.#options.batchSize) {
      void this.#load(keys.slice(start, start + this.#options.batchSize))
    }
  }

  async #load(keys: string[]): Promise<void> {
    const controller = new AbortController()
    this.#controllers.add(controller)
    keys.forEach((key) => this.#inFlight.add(key))
    try {
      const found = await this.#options.fetch(keys, controller.signal)
      for (const key of keys) this.#values.set(key, found.get(key) ?? null)
      while (this.#values.size > this.#options.maxEntries) {
        this.#values.delete(this.#values.keys().next().value!)
      }
      this.#version++
      for (const listener of this.#listeners) listener()
    } catch {
      // Extras are optional: a failed batch leaves its keys unknown, to be asked again.
    } finally {
      keys.forEach((key) => this.#inFlight.delete(key))
      this.#controllers.delete(controller)
    }
  }
}
