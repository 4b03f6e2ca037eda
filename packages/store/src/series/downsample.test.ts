import { describe, expect, it } from 'vitest'
import type { BucketRequest, SeriesBuckets } from '../store.js'
import { BLOCK_CAPACITY, type FloatColumns } from './block-codec.js'
import { STATS_HEAD_BYTES, SUB_CHUNK_SIZE, type BlockStatsRow } from './block-stats.js'
import { downsample } from './downsample.js'
import {
  blockLoader,
  random,
  storeSeries,
  type StoreOptions,
  type StoredSeries,
} from './test-support/series-fixture.js'

/** For rows that carry whole stats BLOBs: nothing more may be fetched. */
const noStats = async (): Promise<never> => {
  throw new Error('must not load')
}

type Buckets = Extract<SeriesBuckets, { mode: 'buckets' }>
type Points = Extract<SeriesBuckets, { mode: 'points' }>

interface Series {
  cols: FloatColumns
  stored: StoredSeries
  spikes: number[]
}

/**
 * Integer values keep sums exact whatever order they are added in, so the exact path can be
 * compared with brute force bit for bit. Spikes are far outside the normal band.
 */
function makeSeries(
  n: number,
  seed: number,
  options: StoreOptions & { jitter?: number } = {},
): Series {
  const next = random(seed)
  const steps = new Float64Array(n)
  const timestamps = new Float64Array(n)
  const values = new Float64Array(n)
  let step = Math.floor(next() * 10)
  for (let i = 0; i < n; i++) {
    step += 1 + Math.floor(next() * 3)
    steps[i] = step
    timestamps[i] = 1_700_000_000_000 + i * 100 + Math.round((next() - 0.5) * (options.jitter ?? 0))
    values[i] = Math.round((next() - 0.5) * 2000)
  }
  // One spike in the middle half of each stratum: far enough apart to land in different
  // buckets, so each must show up as its own bucket's max.
  const spikes: number[] = []
  const strata = Math.min(12, n)
  for (let k = 0; k < strata; k++) {
    const width = n / strata
    const i = Math.floor(k * width + width / 4 + (next() * width) / 2)
    values[i] = 1_000_000 + k
    spikes.push(i)
  }
  const cols = { steps, timestamps, values }
  return { cols, stored: storeSeries('floatSeries', cols, options), spikes }
}

async function run(series: Series, request: BucketRequest) {
  const loader = blockLoader(series.stored)
  const result = await downsample(request, series.stored.rows, loader.loadFloats, noStats)
  expect(loader.calls.length).toBeLessThanOrEqual(1)
  for (const call of loader.calls) expect(call.length).toBeGreaterThan(0)
  return { result, loaded: loader.calls[0] ?? [] }
}

function xOf(cols: FloatColumns, x: BucketRequest['x'], i: number): number {
  return x === 'time' ? cols.timestamps[i]! : cols.steps[i]!
}

function rangeOf(cols: FloatColumns, request: BucketRequest): [number, number] {
  const xs = request.x === 'time' ? Array.from(cols.timestamps) : Array.from(cols.steps)
  return [request.from ?? Math.min(...xs), request.to ?? Math.max(...xs)]
}

function bucketIndex(x: number, from: number, to: number, n: number): number {
  if (to === from) return 0
  return Math.min(n - 1, Math.max(0, Math.floor(((x - from) * n) / (to - from))))
}

/** Reference: every point in the bucket that contains its x, summed in step order. */
function bruteForce(cols: FloatColumns, request: BucketRequest, place?: (i: number) => number) {
  const [from, to] = rangeOf(cols, request)
  const n = request.buckets
  const out = {
    xFrom: new Array<number>(n).fill(Infinity),
    xTo: new Array<number>(n).fill(-Infinity),
    count: new Array<number>(n).fill(0),
    finite: new Array<number>(n).fill(0),
    sum: new Array<number>(n).fill(0),
    min: new Array<number>(n).fill(Infinity),
    max: new Array<number>(n).fill(-Infinity),
    last: new Array<number>(n).fill(NaN),
    lastStep: new Array<number>(n).fill(NaN),
  }
  for (let i = 0; i < cols.steps.length; i++) {
    const x = xOf(cols, request.x, i)
    if (x < from || x > to) continue
    const b = place ? place(i) : bucketIndex(x, from, to, n)
    const v = cols.values[i]!
    out.xFrom[b] = Math.min(out.xFrom[b]!, x)
    out.xTo[b] = Math.max(out.xTo[b]!, x)
    out.count[b]!++
    if (Number.isFinite(v)) {
      out.finite[b]!++
      out.sum[b]! += v
      out.min[b] = Math.min(out.min[b]!, v)
      out.max[b] = Math.max(out.max[b]!, v)
    }
    out.last[b] = v
    out.lastStep[b] = cols.steps[i]!
  }
  return {
    xFrom: out.xFrom.map((v, b) => (out.count[b] ? v : from + ((to - from) * b) / n)),
    xTo: out.xTo.map((v, b) =>
      out.count[b] ? v : b === n - 1 ? to : from + ((to - from) * (b + 1)) / n,
    ),
    count: out.count,
    min: out.min.map((v, b) => (out.finite[b] ? v : NaN)),
    max: out.max.map((v, b) => (out.finite[b] ? v : NaN)),
    mean: out.sum.map((v, b) => (out.finite[b] ? v / out.finite[b]! : NaN)),
    last: out.last,
    lastStep: out.lastStep,
  }
}

function asBuckets(result: SeriesBuckets): Buckets {
  if (result.mode !== 'buckets') throw new Error(`expected buckets, got ${result.mode}`)
  return result
}

function asPoints(result: SeriesBuckets): Points {
  if (result.mode !== 'points') throw new Error(`expected points, got ${result.mode}`)
  return result
}

function expectSame(actual: Buckets, expected: ReturnType<typeof bruteForce>) {
  for (const key of ['xFrom', 'xTo', 'count', 'min', 'max', 'mean', 'last', 'lastStep'] as const) {
    expect(Array.from(actual[key]), key).toEqual(expected[key])
  }
}

/** The fidelity rule: nothing lost, no spike hidden, whatever the path. */
function expectFaithful(series: Series, request: BucketRequest, result: Buckets) {
  const { cols } = series
  const [from, to] = rangeOf(cols, request)
  const inRange: number[] = []
  for (let i = 0; i < cols.steps.length; i++) {
    const x = xOf(cols, request.x, i)
    if (x >= from && x <= to) inRange.push(i)
  }
  expect(result.count.length).toBe(request.buckets)
  expect(result.count.reduce((a, b) => a + b, 0)).toBe(inRange.length)
  const finite = inRange.map((i) => cols.values[i]!).filter(Number.isFinite)
  expect(Math.max(...result.max.filter((v) => !Number.isNaN(v)))).toBe(Math.max(...finite))
  expect(Math.min(...result.min.filter((v) => !Number.isNaN(v)))).toBe(Math.min(...finite))
  let spikesSeen = 0
  for (const i of series.spikes) {
    const x = xOf(cols, request.x, i)
    if (x < from || x > to) continue
    spikesSeen++
    const b = result.max.indexOf(cols.values[i]!)
    expect(b, `spike at ${i}`).toBeGreaterThanOrEqual(0)
    expect(result.xFrom[b]).toBeLessThanOrEqual(x)
    expect(result.xTo[b]).toBeGreaterThanOrEqual(x)
  }
  expect(spikesSeen).toBeGreaterThan(0)
}

/**
 * Reference for the stats path: a sub-chunk wholly inside the range goes to the bucket of its
 * first point; the others point by point.
 */
function chunkPlacement(series: Series, request: BucketRequest): (i: number) => number {
  const { cols, stored } = series
  const [from, to] = rangeOf(cols, request)
  const place = new Int32Array(cols.steps.length)
  let offset = 0
  for (const row of stored.rows) {
    for (let start = 0; start < row.count; start += SUB_CHUNK_SIZE) {
      const end = Math.min(row.count, start + SUB_CHUNK_SIZE)
      const xs: number[] = []
      for (let i = offset + start; i < offset + end; i++) xs.push(xOf(cols, request.x, i))
      const whole = Math.min(...xs) >= from && Math.max(...xs) <= to
      for (let i = offset + start; i < offset + end; i++) {
        place[i] = bucketIndex(whole ? xs[0]! : xOf(cols, request.x, i), from, to, request.buckets)
      }
    }
    offset += row.count
  }
  return (i) => place[i]!
}

function blocksHolding(series: Series, ...stepsOrTimes: number[]): number[] {
  return series.stored.rows
    .filter((row) => stepsOrTimes.some((x) => row.firstStep <= x && x <= row.lastStep))
    .map((row) => row.blockNo)
}

describe('downsample: exact assignment below the stats density', () => {
  const series = makeSeries(100_000, 7)

  it('matches brute force over the whole series', async () => {
    const request: BucketRequest = { buckets: 1000, x: 'step' }
    const { result } = await run(series, request)
    expectSame(asBuckets(result), bruteForce(series.cols, request))
    expectFaithful(series, request, asBuckets(result))
  })

  it('matches brute force over a range that cuts blocks and sub-chunks', async () => {
    const request: BucketRequest = { buckets: 777, x: 'step', from: 12_345.5, to: 150_001 }
    const { result } = await run(series, request)
    expectSame(asBuckets(result), bruteForce(series.cols, request))
    expectFaithful(series, request, asBuckets(result))
  })

  it('merges blocks that sit inside one bucket from stats, without loading them', async () => {
    const short = makeSeries(100_000, 8, { blockSizes: [64] })
    const request: BucketRequest = { buckets: 500, x: 'step' }
    const { result, loaded } = await run(short, request)
    expectSame(asBuckets(result), bruteForce(short.cols, request))
    expect(loaded.length).toBeGreaterThan(0)
    expect(loaded.length).toBeLessThan(short.stored.rows.length / 2)
  })

  it('handles short blocks and misaligned BLOBs', async () => {
    const uneven = makeSeries(20_000, 11, { blockSizes: [1024, 17, 300, 1, 64], misalign: true })
    for (const [request, statsPath] of [
      [{ buckets: 333, x: 'step', from: 500 }, false],
      [{ buckets: 50, x: 'step' }, true],
    ] as const) {
      const { result } = await run(uneven, request)
      const place = statsPath ? chunkPlacement(uneven, request) : undefined
      expectSame(asBuckets(result), bruteForce(uneven.cols, request, place))
      expectFaithful(uneven, request, asBuckets(result))
    }
  })
})

describe('downsample: stats path at high density', () => {
  const series = makeSeries(100_000, 3)

  it('keeps every point and every spike, loading no block for the whole series', async () => {
    const request: BucketRequest = { buckets: 100, x: 'step' }
    const { result, loaded } = await run(series, request)
    expect(loaded).toEqual([])
    expectFaithful(series, request, asBuckets(result))
    expectSame(asBuckets(result), bruteForce(series.cols, request, chunkPlacement(series, request)))
  })

  it('loads only the blocks at the range edges', async () => {
    const from = series.cols.steps[30_010]! + 0.5
    const to = series.cols.steps[90_017]!
    const request: BucketRequest = { buckets: 150, x: 'step', from, to }
    const { result, loaded } = await run(series, request)
    expect(loaded).toEqual(blocksHolding(series, from, to))
    expectFaithful(series, request, asBuckets(result))
    expectSame(asBuckets(result), bruteForce(series.cols, request, chunkPlacement(series, request)))
  })

  it('reports the extent of the points a bucket holds, never beyond them', async () => {
    const request: BucketRequest = { buckets: 100, x: 'step' }
    const buckets = asBuckets((await run(series, request)).result)
    const [from, to] = rangeOf(series.cols, request)
    const width = (to - from) / 100
    for (let b = 0; b < 100; b++) {
      expect(buckets.xFrom[b]).toBeGreaterThanOrEqual(from + width * b - 1e-9)
      expect(buckets.xTo[b]).toBeLessThan(from + width * (b + 1) + SUB_CHUNK_SIZE * 3)
      if (b > 0) expect(buckets.xFrom[b]).toBeGreaterThan(buckets.xTo[b - 1]!)
    }
  })

  it('buckets 1,000,000 points from stats alone', async () => {
    const n = 1_000_000
    const steps = new Float64Array(n)
    const timestamps = new Float64Array(n)
    const values = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      steps[i] = i
      timestamps[i] = 1e12 + i
      values[i] = Math.sin(i / 1000)
    }
    values[123_456] = 99
    values[654_321] = NaN
    const stored = storeSeries('floatSeries', { steps, timestamps, values }, { misalign: true })
    const loader = blockLoader(stored)
    const whole = asBuckets(
      await downsample({ buckets: 1000, x: 'step' }, stored.rows, loader.loadFloats, noStats),
    )
    expect(loader.calls).toEqual([])
    expect(whole.count.reduce((a, b) => a + b, 0)).toBe(n)
    expect(Math.max(...whole.max)).toBe(99)
    expect(whole.last[999]).toBe(values[n - 1])
    expect(whole.lastStep[999]).toBe(n - 1)

    const zoomed = asBuckets(
      await downsample(
        { buckets: 1000, x: 'step', from: 100_000.5, to: 900_010 },
        stored.rows,
        loader.loadFloats,
        noStats,
      ),
    )
    expect(loader.calls).toEqual([[97, 878]])
    expect(zoomed.count.reduce((a, b) => a + b, 0)).toBe(900_010 - 100_000)
  })
})

describe("downsample: x = 'time'", () => {
  // Jitter of ±2.5 s on 100 ms spacing: timestamps are far from monotonic.
  const series = makeSeries(50_000, 5, { jitter: 5000 })
  const t0 = 1_700_000_000_000

  it('has non-monotonic timestamps', () => {
    const ts = series.cols.timestamps
    let inversions = 0
    for (let i = 1; i < ts.length; i++) if (ts[i]! < ts[i - 1]!) inversions++
    expect(inversions).toBeGreaterThan(1000)
  })

  it('matches brute force below the stats density', async () => {
    for (const request of [
      { buckets: 500, x: 'time' } as const,
      { buckets: 321, x: 'time', from: t0 + 1_000_003, to: t0 + 3_500_000 } as const,
    ]) {
      const { result } = await run(series, request)
      expectSame(asBuckets(result), bruteForce(series.cols, request))
      expectFaithful(series, request, asBuckets(result))
    }
  })

  it('keeps every point and spike on the stats path', async () => {
    for (const request of [
      { buckets: 40, x: 'time' } as const,
      { buckets: 20, x: 'time', from: t0 + 500_000, to: t0 + 4_000_000 } as const,
    ]) {
      const { result, loaded } = await run(series, request)
      expectFaithful(series, request, asBuckets(result))
      expectSame(
        asBuckets(result),
        bruteForce(series.cols, request, chunkPlacement(series, request)),
      )
      expect(loaded.length).toBeLessThan(series.stored.rows.length / 4)
    }
  })

  it('returns exact points in step order, filtered by their own timestamp', async () => {
    const request: BucketRequest = {
      buckets: 100,
      x: 'time',
      from: t0 + 2_000_000,
      to: t0 + 2_003_000,
    }
    const points = asPoints((await run(series, request)).result)
    const expected = Array.from(series.cols.steps).filter((_, i) => {
      const ts = series.cols.timestamps[i]!
      return ts >= request.from! && ts <= request.to!
    })
    expect(expected.length).toBeGreaterThan(10)
    expect(Array.from(points.steps)).toEqual(expected)
    expect(points.x).toBe('time')
  })
})

describe('downsample: edge cases', () => {
  const small = makeSeries(300, 9)

  it('returns exact points when the range holds at most `buckets`', async () => {
    const points = asPoints((await run(small, { buckets: 300, x: 'step' })).result)
    expect(Array.from(points.steps)).toEqual(Array.from(small.cols.steps))
    expect(Array.from(points.timestamps)).toEqual(Array.from(small.cols.timestamps))
    expect(Array.from(points.values)).toEqual(Array.from(small.cols.values))
    const from = small.cols.steps[100]!
    const to = small.cols.steps[149]!
    const slice = asPoints((await run(small, { buckets: 50, x: 'step', from, to })).result)
    expect(Array.from(slice.steps)).toEqual(Array.from(small.cols.steps.subarray(100, 150)))
    const over = await run(small, { buckets: 49, x: 'step', from, to })
    expect(over.result.mode).toBe('buckets')
    expect(asBuckets(over.result).count.reduce((a, b) => a + b, 0)).toBe(50)
  })

  it('returns a single point as a point', async () => {
    const one = makeSeries(1, 2)
    const points = asPoints((await run(one, { buckets: 1, x: 'step' })).result)
    expect(points.steps.length).toBe(1)
    expect(points.values[0]).toBe(one.cols.values[0])
  })

  it('returns no points for an empty range or an empty series', async () => {
    const between = small.cols.steps[10]! + 0.25
    for (const request of [
      { buckets: 10, x: 'step', from: between, to: between + 0.5 } as const,
      { buckets: 10, x: 'step', from: 50, to: 40 } as const,
      { buckets: 10, x: 'step', from: 1e9 } as const,
      { buckets: 10, x: 'time', to: 0 } as const,
    ]) {
      const { result, loaded } = await run(small, request)
      expect(asPoints(result).steps.length).toBe(0)
      expect(loaded.length).toBeLessThanOrEqual(1)
    }
    const none = await downsample({ buckets: 5, x: 'step' }, [], noStats, noStats)
    expect(asPoints(none).values.length).toBe(0)
  })

  it('spreads buckets over a range wider than the data, empty ones at their nominal edges', async () => {
    const last = small.cols.steps[299]!
    const request: BucketRequest = { buckets: 100, x: 'step', from: -last, to: 2 * last }
    const buckets = asBuckets((await run(small, request)).result)
    expectSame(buckets, bruteForce(small.cols, request))
    expect(buckets.count[0]).toBe(0)
    expect(buckets.xFrom[0]).toBe(-last)
    expect(buckets.xTo[99]).toBe(2 * last)
    expect(buckets.min[0]).toBeNaN()
    expect(buckets.mean[0]).toBeNaN()
    expect(buckets.last[0]).toBeNaN()
    expect(buckets.lastStep[0]).toBeNaN()
  })

  it('treats infinite bounds as no bound', async () => {
    const request: BucketRequest = { buckets: 30, x: 'step', from: -Infinity, to: Infinity }
    const buckets = asBuckets((await run(small, request)).result)
    expectSame(buckets, bruteForce(small.cols, { buckets: 30, x: 'step' }))
  })

  it('puts everything in one bucket when asked for one', async () => {
    const series = makeSeries(5000, 4)
    for (const request of [
      { buckets: 1, x: 'step' } as const,
      { buckets: 1, x: 'time' } as const,
    ]) {
      const buckets = asBuckets((await run(series, request)).result)
      expectSame(buckets, bruteForce(series.cols, request))
      expect(buckets.count[0]).toBe(5000)
      expect(buckets.last[0]).toBe(series.cols.values[4999])
      expect(buckets.lastStep[0]).toBe(series.cols.steps[4999])
    }
  })

  it('keeps NaN and ±Infinity out of min, max and mean but counts them', async () => {
    const n = 4096
    const values = Float64Array.from({ length: n }, (_, i) => (i % 7) - 3)
    values.fill(NaN, 0, 64)
    values[100] = Infinity
    values[3000] = -Infinity
    values[n - 1] = NaN
    const cols = {
      steps: Float64Array.from({ length: n }, (_, i) => i),
      timestamps: Float64Array.from({ length: n }, (_, i) => i),
      values,
    }
    const series = { cols, stored: storeSeries('floatSeries', cols), spikes: [] }
    for (const buckets of [64, 4]) {
      const request: BucketRequest = { buckets, x: 'step' }
      const result = asBuckets((await run(series, request)).result)
      expectSame(
        result,
        bruteForce(cols, request, buckets === 4 ? chunkPlacement(series, request) : undefined),
      )
      expect(result.count[0]).toBe(n / buckets)
      expect(result.last[buckets - 1]).toBeNaN()
      expect(result.lastStep[buckets - 1]).toBe(n - 1)
      for (let b = 0; b < buckets; b++) {
        if (Number.isNaN(result.mean[b]!)) {
          expect(result.max[b]).toBeNaN()
          continue
        }
        expect(result.max[b]).toBeLessThanOrEqual(3)
        expect(result.min[b]).toBeGreaterThanOrEqual(-3)
      }
    }
    const nanOnly = asBuckets(
      (await run(series, { buckets: 2, x: 'step', from: 0, to: 63 })).result,
    )
    expect(Array.from(nanOnly.count)).toEqual([32, 32])
    expect(Array.from(nanOnly.min)).toEqual([NaN, NaN])
    expect(Array.from(nanOnly.mean)).toEqual([NaN, NaN])
    expect(Array.from(nanOnly.lastStep)).toEqual([31, 63])
  })

  it('rejects a bucket count that is not a positive integer', async () => {
    for (const buckets of [0, -1, 2.5, NaN]) {
      await expect(
        downsample({ buckets, x: 'step' }, small.stored.rows, async () => new Map(), noStats),
      ).rejects.toThrow(/positive integer/)
    }
  })

  it('reports a block the loader did not return', async () => {
    await expect(
      downsample(
        { buckets: 10, x: 'step', from: 5, to: 60 },
        small.stored.rows,
        async () => new Map(),
        noStats,
      ),
    ).rejects.toThrow(/block 0 was not loaded/)
  })
})

describe('downsample: rows carrying only the head of their stats BLOB', () => {
  /** What a chart read fetches first: each row's header and block summary. */
  function headsOnly(stored: StoredSeries): BlockStatsRow[] {
    return stored.rows.map((row) => ({ ...row, stats: row.stats.subarray(0, STATS_HEAD_BYTES) }))
  }
  /** The same rows as format 1 stored them, without a block summary. */
  function format1(stored: StoredSeries): BlockStatsRow[] {
    return stored.rows.map((row) => {
      const old = new Uint8Array(row.stats.length - (STATS_HEAD_BYTES - 8))
      old.set(row.stats.subarray(0, 8))
      old.set(row.stats.subarray(STATS_HEAD_BYTES), 8)
      old[0] = 1
      return { ...row, stats: old.subarray(0, STATS_HEAD_BYTES) }
    })
  }
  function statsLoader(rows: BlockStatsRow[]) {
    const calls: number[][] = []
    const load = async (blockNos: number[]) => {
      calls.push([...blockNos])
      return new Map(blockNos.map((blockNo) => [blockNo, rows[blockNo]!.stats]))
    }
    return { calls, load }
  }
  async function both(stored: StoredSeries, request: BucketRequest, heads = headsOnly(stored)) {
    const whole = await downsample(request, stored.rows, blockLoader(stored).loadFloats, noStats)
    const stats = statsLoader(stored.rows)
    const fromHeads = await downsample(request, heads, blockLoader(stored).loadFloats, stats.load)
    return { whole, fromHeads, statsCalls: stats.calls }
  }

  const blocks = 8
  const n = blocks * BLOCK_CAPACITY
  const steps = Float64Array.from({ length: n }, (_, i) => i)
  const aligned = {
    steps,
    timestamps: Float64Array.from({ length: n }, (_, i) => 1e12 + i),
    values: Float64Array.from(
      { length: n },
      (_, i) => Math.sin(i / 77) * 1e-3 + (i % 9 === 0 ? 0.1 : 0),
    ),
  }
  aligned.values[5000] = NaN
  aligned.values[BLOCK_CAPACITY * 3 - 1] = Infinity
  const stored = storeSeries('floatSeries', aligned)

  it('merges blocks that fill one bucket each from their summaries alone', async () => {
    // Buckets exactly on block edges: [k·1024, (k+1)·1024) for every block k.
    const request = { buckets: blocks, x: 'step', from: 0, to: n - 1 } as const
    const { whole, fromHeads, statsCalls } = await both(stored, request)
    expect(statsCalls).toEqual([])
    expect(fromHeads).toEqual(whole)
    const b = asBuckets(fromHeads)
    expect(Array.from(b.count)).toEqual(new Array(blocks).fill(BLOCK_CAPACITY))
    expect(Array.from(b.xFrom)).toEqual(Array.from({ length: blocks }, (_, k) => k * 1024))
    expect(b.last[2]).toBe(Infinity)
    expect(b.max[2]).toBeLessThan(Infinity)
    expect(b.count.reduce((sum, c) => sum + c, 0)).toBe(n)
  })

  it('fetches the records of the blocks at the range ends, then of those that straddle a bucket edge', async () => {
    const ends = await both(stored, { buckets: blocks, x: 'step', from: 100, to: n - 200 })
    expect(ends.statsCalls[0]).toEqual([0, blocks - 1])
    expect(ends.fromHeads).toEqual(ends.whole)
    // Two buckets per block: every block straddles an edge, in one range of block numbers.
    const halves = await both(stored, { buckets: blocks * 2, x: 'step' })
    expect(halves.statsCalls).toEqual([[0, 1, 2, 3, 4, 5, 6, 7]])
    expect(halves.fromHeads).toEqual(halves.whole)
  })

  it('gives the same buckets as whole BLOBs, and as format 1, for short blocks and any range', async () => {
    const series = makeSeries(20_000, 11, {
      blockSizes: [BLOCK_CAPACITY, 300, 1000, 17],
      jitter: 3000,
    })
    const last = series.cols.steps[series.cols.steps.length - 1]!
    const t0 = series.cols.timestamps[0]!
    for (const request of [
      { buckets: 1000, x: 'step' },
      { buckets: 7, x: 'step' },
      { buckets: 50, x: 'step', from: 333.5, to: last - 1000 },
      { buckets: 40, x: 'step', from: 1000, to: 1100 },
      { buckets: 100, x: 'time' },
      { buckets: 13, x: 'time', from: t0 + 50_000, to: t0 + 1_500_000 },
    ] as const) {
      const { whole, fromHeads } = await both(series.stored, request)
      expect(fromHeads).toEqual(whole)
      const old = await both(series.stored, request, format1(series.stored))
      expect(old.fromHeads).toEqual(whole)
    }
  })

  it('reports stats the loader did not return', async () => {
    await expect(
      downsample(
        { buckets: blocks * 2, x: 'step' },
        headsOnly(stored),
        blockLoader(stored).loadFloats,
        async () => new Map(),
      ),
    ).rejects.toThrow(/block 0 stats were not loaded/)
  })
})
