import type { FileInfo } from '@nereid/core'
import { describe, expect, it } from 'vitest'
import type { SeriesPageRequest } from '../store.js'
import type { FloatColumns } from './block-codec.js'
import { readPage } from './series-page.js'
import {
  blockLoader,
  random,
  storeSeries,
  type StoredSeries,
} from './test-support/series-fixture.js'

function floatSeries(n: number, blockSizes?: number[], misalign = false) {
  const next = random(n)
  const steps = new Float64Array(n)
  const timestamps = new Float64Array(n)
  const values = new Float64Array(n)
  let step = 0
  for (let i = 0; i < n; i++) {
    step += 1 + Math.floor(next() * 4)
    steps[i] = step
    timestamps[i] = 1e12 + i
    values[i] = i % 11 === 0 ? NaN : next()
  }
  const cols: FloatColumns = { steps, timestamps, values }
  return { cols, stored: storeSeries('floatSeries', cols, { blockSizes, misalign }) }
}

/** Brute force: indices of the points the request returns, and the total. */
function expected(cols: FloatColumns, request: SeriesPageRequest) {
  const inRange: number[] = []
  for (let i = 0; i < cols.steps.length; i++) {
    const step = cols.steps[i]!
    if (step >= (request.fromStep ?? -Infinity) && step <= (request.toStep ?? Infinity))
      inRange.push(i)
  }
  const offset = request.offset ?? 0
  return { total: inRange.length, indices: inRange.slice(offset, offset + request.limit) }
}

async function check(
  series: { cols: FloatColumns; stored: StoredSeries },
  request: SeriesPageRequest,
  rows = series.stored.rows,
) {
  const loader = blockLoader(series.stored)
  const page = await readPage(request, rows, loader.load)
  const want = expected(series.cols, request)
  expect(page.total).toBe(want.total)
  expect(page.points.type).toBe('floatSeries')
  expect(Array.from(page.points.steps)).toEqual(want.indices.map((i) => series.cols.steps[i]))
  expect(Array.from(page.points.timestamps)).toEqual(
    want.indices.map((i) => series.cols.timestamps[i]),
  )
  expect(Array.from(page.points.values as Float64Array)).toEqual(
    want.indices.map((i) => series.cols.values[i]),
  )
  expect(loader.calls.length).toBeLessThanOrEqual(1)
  return { page, loaded: loader.calls[0] ?? [] }
}

describe('readPage', () => {
  const series = floatSeries(10_000)
  const step = (i: number) => series.cols.steps[i]!

  it('pages through the whole series', async () => {
    for (const request of [
      { limit: 100 },
      { limit: 100, offset: 1000 },
      { limit: 3000, offset: 500 },
      { limit: 50, offset: 9990 },
      { limit: 10, offset: 10_000 },
      { limit: 0, offset: 5 },
      { limit: Infinity },
    ]) {
      await check(series, request)
    }
  })

  it('loads only the blocks holding the page when the range is whole blocks', async () => {
    const { loaded } = await check(series, { offset: 2100, limit: 10 })
    expect(loaded).toEqual([2])
    const across = await check(series, { offset: 2040, limit: 20 })
    expect(across.loaded).toEqual([1, 2])
    const nothing = await check(series, { offset: 0, limit: 0 })
    expect(nothing.loaded).toEqual([])
  })

  it('honours inclusive step bounds that cut blocks, loading the edges and the page only', async () => {
    const request = { fromStep: step(1500) - 0.5, toStep: step(8000), offset: 3000, limit: 25 }
    const { page, loaded } = await check(series, request)
    expect(page.total).toBe(6501)
    expect(page.points.steps[0]).toBe(step(4500))
    expect(loaded).toEqual([1, 4, 7])
  })

  it('handles a page that reaches into the last edge block and past the end', async () => {
    for (const offset of [0, 1, 30, 31, 32, 33, 1000, 1200]) {
      await check(series, { fromStep: step(1000), toStep: step(2300), offset, limit: 70 })
    }
  })

  it('treats bounds exactly on points as inclusive and handles an empty range', async () => {
    await check(series, { fromStep: step(77), toStep: step(77), limit: 5 })
    await check(series, { fromStep: step(77) + 0.5, toStep: step(78) - 0.5, limit: 5 })
    await check(series, { fromStep: 100, toStep: 50, limit: 5 })
    await check(series, { fromStep: 1e12, limit: 5 })
    await check(series, { toStep: -1, limit: 5 })
  })

  it('accepts rows pre-filtered to the step range', async () => {
    const fromStep = step(3333)
    const toStep = step(6666)
    const rows = series.stored.rows.filter(
      (row) => row.lastStep >= fromStep && row.firstStep <= toStep,
    )
    await check(series, { fromStep, toStep, offset: 17, limit: 400 }, rows)
  })

  it('matches brute force on uneven, misaligned blocks for random requests', async () => {
    const uneven = floatSeries(5000, [1024, 3, 700, 64, 1, 1024, 200], true)
    const next = random(99)
    const last = uneven.cols.steps[4999]!
    for (let k = 0; k < 200; k++) {
      const a = Math.floor(next() * (last + 20)) - 10
      const b = a + Math.floor(next() * last * 0.6)
      const request = {
        fromStep: next() < 0.2 ? undefined : a + (next() < 0.5 ? 0.5 : 0),
        toStep: next() < 0.2 ? undefined : b,
        offset: Math.floor(next() * 2000),
        limit: Math.floor(next() * 1500),
      }
      await check(uneven, request)
    }
  })

  it('skips blocks fully by their counts without loading them', async () => {
    const big = floatSeries(200_000)
    const { loaded } = await check(big, { offset: 150_000, limit: 1 })
    expect(loaded).toEqual([Math.floor(150_000 / 1024)])
  })
})

describe('readPage types', () => {
  const f64 = (values: number[]) => Float64Array.from(values)
  const file = (hash: string): FileInfo => ({
    hash,
    size: 1,
    name: hash,
    ext: '',
    contentType: 'text/plain',
  })

  it('returns strings and files as their blocks hold them', async () => {
    const strings = storeSeries(
      'stringSeries',
      {
        steps: f64([1, 2, 3, 4]),
        timestamps: f64([9, 8, 7, 6]),
        values: ['a', 'b', 'c', 'd'],
      },
      { blockSizes: [3] },
    )
    const page = await readPage({ fromStep: 2, limit: 10 }, strings.rows, blockLoader(strings).load)
    expect(page).toEqual({
      total: 3,
      points: {
        type: 'stringSeries',
        steps: f64([2, 3, 4]),
        timestamps: f64([8, 7, 6]),
        values: ['b', 'c', 'd'],
      },
    })

    const files = storeSeries(
      'fileSeries',
      {
        steps: f64([1, 2, 3]),
        timestamps: f64([1, 2, 3]),
        values: [file('x'), file('y'), file('z')],
      },
      { blockSizes: [1] },
    )
    const one = await readPage(
      { offset: 1, limit: 1 },
      files.rows,
      blockLoader(files).load,
      'fileSeries',
    )
    expect(one.total).toBe(3)
    expect(one.points).toMatchObject({ type: 'fileSeries', values: [file('y')] })
  })

  it('answers an empty series with the type it is told, float otherwise', async () => {
    const load = async () => {
      throw new Error('must not load')
    }
    expect(await readPage({ limit: 10 }, [], load, 'stringSeries')).toEqual({
      total: 0,
      points: { type: 'stringSeries', steps: f64([]), timestamps: f64([]), values: [] },
    })
    expect((await readPage({ limit: 10 }, [], load)).points.type).toBe('floatSeries')
  })

  it('reports blocks of another type and blocks the loader did not return', async () => {
    const strings = storeSeries('stringSeries', {
      steps: f64([1]),
      timestamps: f64([1]),
      values: ['a'],
    })
    await expect(
      readPage({ limit: 1 }, strings.rows, blockLoader(strings).load, 'floatSeries'),
    ).rejects.toThrow(/stringSeries block in a floatSeries series/)
    await expect(readPage({ limit: 1 }, strings.rows, async () => new Map())).rejects.toThrow(
      /block 0 was not loaded/,
    )
  })

  it('rejects a negative or fractional offset or limit', async () => {
    await expect(readPage({ limit: -1 }, [], async () => new Map())).rejects.toThrow(/limit/)
    await expect(readPage({ limit: 1, offset: 0.5 }, [], async () => new Map())).rejects.toThrow(
      /offset/,
    )
  })
})
