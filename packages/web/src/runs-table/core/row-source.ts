export interface RowPage<Row> {
  /** How many rows the whole query matches. */
  total: number
  rows: Row[]
}

export interface RowSourceOptions<Row> {
  pageSize: number
  fetchPage(offset: number, limit: number, signal: AbortSignal): Promise<RowPage<Row>>
  /** Pages kept in memory; the ones farthest from the visible rows are dropped first. */
  maxPages?: number
  /** Pages read ahead in the direction of scrolling (and one behind). */
  readAhead?: number
  /** Requests in flight at once. */
  concurrency?: number
  /** Shown while a page of this source is loading (the previous query's rows, say). */
  fallback?: RowSource<Row> | null
  /** Milliseconds on a monotonic clock (scroll speed and answer times). */
  now?: () => number
}

/** A scroll that has not moved for this long has stopped: nothing is read ahead of it. */
const SETTLED_MS = 250
const JUMP_SCREENS = 10
/** Most requests in flight while scrolling fast. */
const MAX_BURST = 12
const MAX_PAGES_PER_REQUEST = 4

type PageState<Row> =
  | { status: 'loading'; controller: AbortController }
  | { status: 'loaded'; rows: Row[]; refreshing: AbortController | null }

/**
 * Random-access rows of a server query, read a page at a time around what the table shows.
 * The table tells it which rows are visible; it reads those pages first, then pages ahead in
 * the scroll direction, keeps a bounded number in memory, and notifies once per tick however
 * many pages arrive. Framework-free: the React adapter subscribes to it.
 */
export class RowSource<Row> {
  readonly #options: Required<Omit<RowSourceOptions<Row>, 'fallback'>>
  readonly #pages = new Map<number, PageState<Row>>()
  readonly #listeners = new Set<() => void>()
  #fallback: RowSource<Row> | null
  #total: number | null = null
  #error: unknown = null
  #visible = { start: 0, end: 0 }
  #direction: 1 | -1 = 1
  /** Requests in flight and when each was sent. */
  readonly #inFlight = new Map<AbortController, number>()
  /** Rows per millisecond the view moves (smoothed), and when it last moved. */
  #speed = 0
  #movedAt = -Infinity
  /** Rows the view moved at its last move, and the time between moves (smoothed, ms). */
  #step = 0
  #interval = 0
  /** How long a page takes to arrive (smoothed, ms); 0 until one has. */
  #latency = 0
  /** Requests allowed in flight now: `concurrency`, or more while scrolling fast. */
  #limit: number
  #version = 0
  #notifyScheduled = false
  #disposed = false

  constructor(options: RowSourceOptions<Row>) {
    this.#options = {
      maxPages: 40,
      readAhead: 2,
      concurrency: 3,
      now: () => performance.now(),
      ...options,
    }
    this.#fallback = options.fallback ?? null
    this.#limit = this.#options.concurrency
  }

  /** Rows the query matches; null until the first page arrives. */
  get total(): number | null {
    return this.#total ?? this.#fallback?.total ?? null
  }

  get error(): unknown {
    return this.#error
  }

  /** Changes with every update; a snapshot for `useSyncExternalStore`. */
  get version(): number {
    return this.#version
  }

  get pageSize(): number {
    return this.#options.pageSize
  }

  rowAt(index: number): Row | undefined {
    const page = this.#pages.get(Math.floor(index / this.#options.pageSize))
    if (page?.status === 'loaded') return page.rows[index % this.#options.pageSize]
    return this.#fallback?.rowAt(index)
  }

  /** Whether the rows in [start, end) are all loaded from this source's own query. */
  isLoaded(start: number, end: number): boolean {
    for (let page = this.#pageOf(start); page <= this.#pageOf(Math.max(start, end - 1)); page++) {
      if (this.#pages.get(page)?.status !== 'loaded') return false
    }
    return true
  }

  /** The rows [start, end) are on screen: read what they need, then what comes next. */
  setVisibleRange(start: number, end: number): void {
    if (this.#disposed) return
    if (start !== this.#visible.start) {
      this.#direction = start > this.#visible.start ? 1 : -1
      const now = this.#options.now()
      const elapsed = now - this.#movedAt
      const moved = Math.abs(start - this.#visible.start)
      // A leap of many screens (Home, End, a click on the scrollbar) is a jump, not a speed.
      const jumped = moved > JUMP_SCREENS * Math.max(1, end - start)
      const speed = elapsed > 0 && !jumped ? moved / elapsed : 0
      const settled = elapsed > SETTLED_MS || jumped
      this.#speed = settled ? 0 : this.#speed === 0 ? speed : (this.#speed + speed) / 2
      this.#step = jumped ? 0 : moved
      this.#interval = settled ? 0 : this.#interval === 0 ? elapsed : (this.#interval + elapsed) / 2
      this.#movedAt = now
    }
    this.#visible = { start: Math.max(0, start), end: Math.max(start, end) }
    this.#pump()
  }

  /** Reads the visible pages again (live updates), keeping the rows shown until they arrive. */
  refresh(): void {
    const first = this.#pageOf(this.#visible.start)
    const last = this.#pageOf(Math.max(this.#visible.start, this.#visible.end - 1))
    for (let page = first; page <= last; page++) {
      const state = this.#pages.get(page)
      if (state?.status !== 'loaded' || state.refreshing) continue
      const controller = new AbortController()
      state.refreshing = controller
      void this.#fetch(page, 1, controller)
    }
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /**
   * Stops reading (a newer query replaced this one) but keeps the rows already read, to be
   * shown until the newer query's arrive. Its own fallback is let go: one level is enough.
   */
  retire(): void {
    for (const [page, state] of this.#pages) {
      if (state.status === 'loading') {
        state.controller.abort()
        this.#pages.delete(page)
      } else {
        state.refreshing?.abort()
      }
    }
    this.#fallback = null
    this.#disposed = true
  }

  /** Stops every request; the fallback is let go so it can be collected. */
  dispose(): void {
    this.#disposed = true
    for (const state of this.#pages.values()) {
      if (state.status === 'loading') state.controller.abort()
      else state.refreshing?.abort()
    }
    this.#pages.clear()
    this.#fallback = null
    this.#listeners.clear()
  }

  #pageOf(index: number): number {
    return Math.floor(index / this.#options.pageSize)
  }

  /**
   * Pages wanted, most urgent first: the visible ones (alone, until the first answer); then
   * ahead in the scroll direction, and one behind. While the view moves fast enough to pass a
   * page before its answer arrives, it reads where the view will be when answers arrive
   * instead: from there on, a stretch as long again, so the next answers are on their way by
   * the time the view gets there (a fast scroll finds rows where it is, not where it was).
   * Pages the view will have left by then are not read at all: they would only delay the
   * ones it needs.
   */
  #wanted(): number[] {
    const { pageSize, readAhead, maxPages } = this.#options
    const { start, end } = this.#visible
    const first = this.#pageOf(start)
    const last = this.#pageOf(Math.max(start, end - 1))
    const lastPage =
      this.#total === null ? Infinity : Math.max(0, Math.ceil(this.#total / pageSize) - 1)
    const pages: number[] = []
    const inRange = (list: number[]) =>
      [...new Set(list)].filter((page) => page >= 0 && page <= lastPage)
    // Until the first rows are in, nothing competes with them for the server or the page.
    this.#limit = this.#options.concurrency
    if (this.#total === null) {
      for (let page = first; page <= last; page++) pages.push(page)
      return pages
    }
    const now = this.#options.now()
    const moving = now - this.#movedAt <= SETTLED_MS
    const most = (pageSize * maxPages) / 4
    // Rows the view moves before an answer arrives (with a margin for slower answers). A
    // request that has waited longer than answers used to take says they now take longer: a
    // fast scroll slows them down at once, before any of the slower answers is in.
    let latency = this.#latency
    for (const since of this.#inFlight.values()) latency = Math.max(latency, now - since)
    const travel = moving ? Math.min(this.#speed * latency * 1.5, most) : 0
    // The view moves in steps, one a frame (several screens each at 1,000 rows/s on a busy
    // page): an answer is first seen at the first frame after it arrives, so the nearest rows
    // worth reading are those of that frame, even when that is sooner than `travel` says;
    // and the stretch read reaches at least three frames ahead.
    const step = Math.min(this.#scrollStep(now), most)
    if (travel >= pageSize / 2 || step >= pageSize / 2) {
      const ahead = this.#direction === 1
      const frames = this.#interval > 0 ? Math.max(1, Math.ceil(latency / this.#interval)) : 1
      const near = Math.min(travel, step * frames)
      const far = Math.max(2 * travel, 3 * step)
      const from = ahead ? start + near : start - far
      const to = ahead ? end - 1 + far : end - 1 - near
      const band: number[] = []
      for (
        let page = this.#pageOf(Math.max(0, from));
        page <= this.#pageOf(Math.max(0, to));
        page++
      )
        band.push(page)
      // Nearest to where the view will be first.
      if (!ahead) band.reverse()
      // The whole stretch is on its way at once: a few pages at a time could not keep up.
      this.#limit = Math.max(this.#options.concurrency, Math.min(band.length, MAX_BURST))
      return inRange(band)
    }
    for (let page = first; page <= last; page++) pages.push(page)
    const edge = this.#direction === 1 ? last : first
    for (let i = 1; i <= readAhead; i++) pages.push(edge + i * this.#direction)
    pages.push(this.#direction === 1 ? first - 1 : last + 1)
    return inRange(pages)
  }

  /**
   * Rows the view moves from one frame to the next while it scrolls; 0 at rest and on a
   * first move, before there is a speed (it may be a single press of a key; the pages read
   * ahead cover it).
   */
  #scrollStep(now: number): number {
    return now - this.#movedAt <= SETTLED_MS && this.#speed > 0 ? this.#step : 0
  }

  #pump(): void {
    if (this.#disposed) return
    const wanted = this.#wanted()
    // Pages on screen, and those the next frame of a scroll will show, are urgent.
    const next = Math.ceil(this.#scrollStep(this.#options.now()) / this.#options.pageSize)
    const first = this.#pageOf(this.#visible.start) - next
    const last = this.#pageOf(Math.max(this.#visible.start, this.#visible.end - 1)) + next
    for (let i = 0; i < wanted.length; i++) {
      if (this.#inFlight.size >= this.#limit) break
      const page = wanted[i]!
      if (this.#pages.has(page)) continue
      // Pages wanted one after the other that are not on screen go in one request: most of
      // what a page costs the server is the query itself, not its rows, so a fast scroll
      // gets twice the rows for the same server time. An urgent page goes alone: it comes
      // sooner that way.
      let count = 1
      const urgent = page >= first && page <= last
      while (!urgent && count < MAX_PAGES_PER_REQUEST) {
        const following = wanted[i + count]
        if (following !== page + count * this.#direction || this.#pages.has(following)) break
        count++
      }
      const lowest = this.#direction === 1 ? page : page - (count - 1)
      const controller = new AbortController()
      for (let p = lowest; p < lowest + count; p++)
        this.#pages.set(p, { status: 'loading', controller })
      i += count - 1
      void this.#fetch(lowest, count, controller)
    }
    this.#evict()
  }

  /** Reads `count` pages from `firstPage` in one request. */
  async #fetch(firstPage: number, count: number, controller: AbortController): Promise<void> {
    const started = this.#options.now()
    this.#inFlight.set(controller, started)
    const { pageSize } = this.#options
    try {
      const result = await this.#options.fetchPage(
        firstPage * pageSize,
        count * pageSize,
        controller.signal,
      )
      if (this.#disposed || controller.signal.aborted) return
      const took = this.#options.now() - started
      this.#latency = this.#latency === 0 ? took : this.#latency * 0.7 + took * 0.3
      this.#error = null
      this.#total = result.total
      for (let i = 0; i < count; i++) {
        this.#pages.set(firstPage + i, {
          status: 'loaded',
          rows: result.rows.slice(i * pageSize, (i + 1) * pageSize),
          refreshing: null,
        })
      }
      this.#notify()
    } catch (error) {
      if (this.#disposed) return
      // Pages of this request that are still waiting for it (evicting one page aborts the
      // request of its neighbours too) are forgotten, so that they are asked for again.
      for (let page = firstPage; page < firstPage + count; page++) {
        const state = this.#pages.get(page)
        if (state?.status === 'loading' && state.controller === controller) this.#pages.delete(page)
        else if (state?.status === 'loaded' && state.refreshing === controller)
          state.refreshing = null
      }
      if (controller.signal.aborted) return
      this.#error = error
      this.#notify()
      return
    } finally {
      this.#inFlight.delete(controller)
    }
    this.#pump()
  }

  #evict(): void {
    if (this.#pages.size <= this.#options.maxPages) return
    const center = this.#pageOf((this.#visible.start + this.#visible.end) / 2)
    const byDistance = [...this.#pages.keys()].sort(
      (a, b) => Math.abs(b - center) - Math.abs(a - center),
    )
    for (const page of byDistance) {
      if (this.#pages.size <= this.#options.maxPages) break
      const state = this.#pages.get(page)!
      if (state.status === 'loading') state.controller.abort()
      else state.refreshing?.abort()
      this.#pages.delete(page)
    }
  }

  /** One notification per tick, however many pages arrived in it. */
  #notify(): void {
    this.#version++
    if (this.#notifyScheduled) return
    this.#notifyScheduled = true
    queueMicrotask(() => {
      this.#notifyScheduled = false
      for (const listener of this.#listeners) listener()
    })
  }
}
