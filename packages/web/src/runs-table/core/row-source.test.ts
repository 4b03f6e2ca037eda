import { describe, expect, it } from 'vitest'
import { RowSource } from './row-source.js'

interface Call {
  offset: number
  limit: number
  signal: AbortSignal
  resolve: (total?: number) => void
  reject: (error: unknown) => void
}

/** A fake server whose pages answer when the test says so. */
function fakeServer(total: number) {
  const calls: Call[] = []
  const fetchPage = (offset: number, limit: number, signal: AbortSignal) =>
    new Promise<{ total: number; rows: number[] }>((resolve, reject) => {
      calls.push({
        offset,
        limit,
        signal,
        resolve: (t = total) =>
          resolve({
            total: t,
            rows: Array.from(
              { length: Math.max(0, Math.min(limit, t - offset)) },
              (_, i) => offset + i,
            ),
          }),
        reject,
      })
      // Like fetch: an aborted request fails.
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
    })
  return { calls, fetchPage }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('row source', () => {
  it('reads the visible pages first, then pages ahead, a few at a time', async () => {
    const server = fakeServer(10_000)
    const source = new RowSource({ pageSize: 100, fetchPage: server.fetchPage, concurrency: 2 })
    source.setVisibleRange(0, 150)
    expect(server.calls.map((c) => c.offset)).toEqual([0, 100])
    server.calls[0]!.resolve()
    await flush()
    expect(source.total).toBe(10_000)
    expect(source.rowAt(42)).toBe(42)
    expect(source.rowAt(120)).toBeUndefined()
    expect(server.calls.map((c) => c.offset)).toEqual([0, 100, 200])
  })

  it('reads nothing but the rows on screen until the first page has arrived', async () => {
    const server = fakeServer(10_000)
    const source = new RowSource({ pageSize: 50, fetchPage: server.fetchPage, readAhead: 4 })
    source.setVisibleRange(0, 30)
    expect(server.calls.map((c) => [c.offset, c.limit])).toEqual([[0, 50]])
    server.calls[0]!.resolve()
    await flush()
    // The four pages ahead, off screen, in one request.
    expect(server.calls.map((c) => [c.offset, c.limit])).toEqual([
      [0, 50],
      [50, 200],
    ])
    server.calls[1]!.resolve()
    await flush()
    expect(source.isLoaded(0, 250)).toBe(true)
    expect(source.rowAt(249)).toBe(249)
    expect(source.rowAt(250)).toBeUndefined()
  })

  it('reads ahead in the direction of scrolling', async () => {
    const server = fakeServer(10_000)
    const source = new RowSource({ pageSize: 100, fetchPage: server.fetchPage, concurrency: 10 })
    source.setVisibleRange(5000, 5050)
    server.calls.forEach((call) => call.resolve())
    await flush()
    server.calls.length = 0
    source.setVisibleRange(4000, 4050)
    // The page on screen alone, then the two above it together, then one behind.
    expect(server.calls.map((c) => [c.offset, c.limit])).toEqual([
      [4000, 100],
      [3800, 200],
      [4100, 100],
    ])
    server.calls.forEach((call) => call.resolve())
    await flush()
    expect(source.isLoaded(3800, 4200)).toBe(true)
    expect(source.rowAt(3850)).toBe(3850)
  })

  it('asks again for every page of a request that was given up', async () => {
    const server = fakeServer(10_000)
    const source = new RowSource({
      pageSize: 10,
      fetchPage: server.fetchPage,
      maxPages: 5,
      concurrency: 10,
    })
    source.setVisibleRange(0, 10)
    server.calls[0]!.resolve()
    await flush()
    const ahead = server.calls[1]!
    expect([ahead.offset, ahead.limit]).toEqual([10, 20])
    // Far away, page 1 is dropped from memory (page 2, nearer, is kept): their request is
    // aborted, and page 2 must not wait for it forever.
    source.setVisibleRange(5000, 5010)
    expect(ahead.signal.aborted).toBe(true)
    await flush()
    server.calls.length = 0
    source.setVisibleRange(10, 20)
    const asked = server.calls.map((c) => [c.offset, c.offset + c.limit])
    expect(asked.some(([from, to]) => from! <= 20 && 20 < to!)).toBe(true)
  })

  it('notifies once per tick however many pages arrive', async () => {
    const server = fakeServer(1000)
    const source = new RowSource({ pageSize: 100, fetchPage: server.fetchPage })
    let notified = 0
    source.subscribe(() => notified++)
    source.setVisibleRange(0, 250)
    server.calls.forEach((call) => call.resolve())
    await flush()
    expect(notified).toBe(1)
    expect(source.isLoaded(0, 250)).toBe(true)
  })

  it('keeps a bounded number of pages, dropping those farthest from view', async () => {
    const server = fakeServer(100_000)
    const source = new RowSource({
      pageSize: 10,
      fetchPage: server.fetchPage,
      maxPages: 5,
      readAhead: 0,
      concurrency: 100,
      // Each step comes after the scroll has settled, so no page is read ahead of the view
      // however slowly the machine runs the test.
      now: () => clock,
    })
    let clock = 0
    for (let start = 0; start < 200; start += 10) {
      clock += 1000
      source.setVisibleRange(start, start + 10)
      server.calls.at(-1)!.resolve()
      await flush()
    }
    expect(server.calls.map((c) => c.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i * 10))
    expect(source.rowAt(195)).toBe(195)
    expect(source.rowAt(5)).toBeUndefined()
  })

  it('shows the previous query rows until its own arrive', async () => {
    const server = fakeServer(1000)
    const previous = new RowSource({ pageSize: 100, fetchPage: server.fetchPage })
    previous.setVisibleRange(0, 10)
    server.calls[0]!.resolve()
    await flush()
    const next = new RowSource({ pageSize: 100, fetchPage: server.fetchPage, fallback: previous })
    expect(next.rowAt(3)).toBe(3)
    expect(next.total).toBe(1000)
    expect(next.isLoaded(0, 10)).toBe(false)
  })

  it('refreshes visible pages in place, keeping rows until the new ones arrive', async () => {
    const server = fakeServer(1000)
    const source = new RowSource({ pageSize: 100, fetchPage: server.fetchPage, readAhead: 0 })
    source.setVisibleRange(0, 50)
    server.calls[0]!.resolve()
    await flush()
    source.refresh()
    expect(source.rowAt(1)).toBe(1)
    server.calls.at(-1)!.resolve(1200)
    await flush()
    expect(source.total).toBe(1200)
  })

  it('reports a failed read and tries again when the rows are wanted again', async () => {
    const server = fakeServer(1000)
    const source = new RowSource({ pageSize: 100, fetchPage: server.fetchPage, readAhead: 0 })
    source.setVisibleRange(0, 10)
    server.calls[0]!.reject(new Error('down'))
    await flush()
    expect((source.error as Error).message).toBe('down')
    source.setVisibleRange(0, 10)
    expect(server.calls.filter((c) => c.offset === 0)).toHaveLength(2)
  })

  it('keeps a replaced query rows for its successor but stops reading', async () => {
    const server = fakeServer(1000)
    const previous = new RowSource({ pageSize: 100, fetchPage: server.fetchPage, readAhead: 0 })
    previous.setVisibleRange(0, 150)
    server.calls[0]!.resolve()
    await flush()
    previous.retire()
    expect(server.calls[1]!.signal.aborted).toBe(true)
    expect(previous.rowAt(5)).toBe(5)
    previous.setVisibleRange(500, 600)
    expect(server.calls).toHaveLength(2)
  })

  it('aborts requests in flight when disposed', () => {
    const server = fakeServer(1000)
    const source = new RowSource({ pageSize: 100, fetchPage: server.fetchPage })
    source.setVisibleRange(0, 10)
    source.dispose()
    expect(server.calls.every((call) => call.signal.aborted)).toBe(true)
  })
})

describe('row source while scrolling fast', () => {
  /** A clock the test moves by hand. */
  function manualClock() {
    let t = 0
    return { now: () => t, advance: (ms: number) => void (t += ms) }
  }

  /** A source over 100,000 rows that reads nothing ahead by itself, on a manual clock. */
  function scrollingSource() {
    const server = fakeServer(100_000)
    const clock = manualClock()
    const source = new RowSource({
      pageSize: 50,
      fetchPage: server.fetchPage,
      readAhead: 0,
      concurrency: 10,
      now: clock.now,
    })
    return { server, clock, source }
  }

  it('reads the pages the view will have reached when their answers arrive', async () => {
    const { server, clock, source } = scrollingSource()
    // A first page that takes 200 ms teaches the source how long pages take.
    source.setVisibleRange(0, 30)
    clock.advance(200)
    server.calls[0]!.resolve()
    await flush()
    server.calls.length = 0
    // Scrolling at 0.5 rows/ms, a frame every 20 ms: answers take 200 ms, so they are first
    // seen ten frames (100 rows) from now, at rows 120–150. From there, a stretch twice as
    // long as the view travels meanwhile (with a margin) is asked for at once, pages off
    // screen four to a request, so that the next answers are under way in time.
    clock.advance(20)
    source.setVisibleRange(10, 40)
    clock.advance(20)
    source.setVisibleRange(20, 50)
    expect(server.calls.map((c) => [c.offset, c.limit])).toEqual([
      [100, 200],
      [300, 50],
    ])
    // Rows the view will have left before their answer comes are not read at all.
    // Rows 50–60, on screen now, will be behind the view by then: only the stretch ahead
    // grows.
    server.calls.length = 0
    clock.advance(20)
    source.setVisibleRange(30, 60)
    expect(server.calls.map((c) => [c.offset, c.limit])).toEqual([[350, 50]])
    // Without the scroll's speed (it stopped) only the rows on screen are read.
    clock.advance(1000)
    server.calls.length = 0
    source.setVisibleRange(5000, 5030)
    expect(server.calls.map((c) => [c.offset, c.limit])).toEqual([
      [5000, 50],
      [4950, 50],
    ])
  })

  it('reads the rows of the next frame when answers arrive before it', async () => {
    const { server, clock, source } = scrollingSource()
    source.setVisibleRange(0, 30)
    clock.advance(100)
    server.calls[0]!.resolve()
    await flush()
    // A frame every 100 ms, 100 rows each (a busy page scrolled at 1,000 rows/s); answers
    // take 100 ms, so they are in before the next frame.
    clock.advance(100)
    source.setVisibleRange(100, 130)
    clock.advance(100)
    server.calls.forEach((call) => call.resolve())
    await flush()
    server.calls.length = 0
    source.setVisibleRange(200, 230)
    // The next frame shows rows 300–330: their page goes first, alone; then three frames on.
    expect(server.calls.map((c) => [c.offset, c.limit])).toEqual([
      [300, 50],
      [350, 200],
    ])
  })

  it('expects slower answers as soon as a request has waited longer than answers took', async () => {
    const { server, clock, source } = scrollingSource()
    source.setVisibleRange(0, 30)
    clock.advance(10)
    server.calls[0]!.resolve()
    await flush()
    // Answers took 10 ms while the page was idle; now a scroll of 2 rows/ms begins and the
    // requests of its first frame have not been answered 50 ms later.
    clock.advance(50)
    source.setVisibleRange(100, 130)
    clock.advance(50)
    server.calls.length = 0
    source.setVisibleRange(200, 230)
    // Rows 200–300 will be passed before answers that take 50 ms arrive: not read.
    expect(server.calls[0]!.offset).toBe(300)
  })

  it('keeps up with a steady scroll of 1,000 rows/s whose pages take 250 ms to arrive', async () => {
    const clock = manualClock()
    const pending: { at: number; resolve: () => void }[] = []
    const source = new RowSource<number>({
      pageSize: 50,
      readAhead: 4,
      concurrency: 4,
      now: clock.now,
      fetchPage: (offset, limit) =>
        new Promise((resolve) => {
          const rows = Array.from({ length: limit }, (_, i) => offset + i)
          pending.push({ at: clock.now() + 250, resolve: () => resolve({ total: 100_000, rows }) })
        }),
    })
    source.setVisibleRange(0, 60)
    const blankFrames: number[] = []
    // 10 seconds, a frame every 100 ms: the view moves 100 rows a frame from t = 500 ms.
    for (let t = 0; t < 10_000; t += 10) {
      clock.advance(t - clock.now())
      for (const request of pending.filter((request) => request.at <= t)) {
        request.resolve()
        pending.splice(pending.indexOf(request), 1)
      }
      await flush()
      if (t % 100 !== 0 || t < 500) continue
      const start = t - 500
      for (let row = start; row < start + 60; row++) {
        if (source.rowAt(row) === undefined) {
          blankFrames.push(t)
          break
        }
      }
      source.setVisibleRange(start, start + 60)
    }
    // Only while the source is still learning the speed, at the start of the scroll.
    expect(blankFrames.filter((t) => t > 1000)).toEqual([])
  })

  it('treats a leap of many screens as a jump, not a speed', async () => {
    const { server, clock, source } = scrollingSource()
    source.setVisibleRange(0, 30)
    clock.advance(100)
    server.calls[0]!.resolve()
    await flush()
    server.calls.length = 0
    clock.advance(10)
    source.setVisibleRange(90_000, 90_030)
    expect(server.calls.map((c) => c.offset)).toEqual([90_000, 89_950])
  })
})
