import { describe, expect, it } from 'vitest'
import {
  createRun,
  prepare,
  seedProject,
  write,
  type ConformanceContext,
} from './conformance-context.js'

export function defineSeriesCases(context: ConformanceContext): void {
  describe('series', () => {
    async function setup() {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1000)
      return { store, project, run }
    }

    it('assigns steps from 0 when none are given and keeps the summary current', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [{ op: 'appendFloats', path: 'loss', values: [3, 1, 2], timestamps: [10, 11, 12] }],
        2,
      )
      await write(store, run.id, [{ op: 'appendFloats', path: 'loss', values: [5] }], 3)
      const page = await store.series.page(run.id, 'loss', { limit: 10 })
      expect(page?.total).toBe(4)
      expect(page?.points.type).toBe('floatSeries')
      expect(Array.from(page!.points.steps)).toEqual([0, 1, 2, 3])
      expect(Array.from(page!.points.values as Float64Array)).toEqual([3, 1, 2, 5])
      expect(Array.from(page!.points.timestamps)).toEqual([10, 11, 12, 3])
      const field = await store.fields.get(run.id, 'loss')
      expect(field?.value).toMatchObject({
        type: 'floatSeries',
        count: 4,
        last: 5,
        lastStep: 3,
        min: 1,
        max: 5,
        mean: 2.75,
      })
      await store.close()
    })

    it('rejects a step lower than or equal to the last one, for the whole operation', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [{ op: 'appendFloats', path: 'loss', values: [1, 2], steps: [10, 20] }],
        2,
      )
      const result = await store.ingest.applyBatch(
        run.id,
        {
          operations: prepare([
            { op: 'appendFloats', path: 'loss', values: [3, 4], steps: [25, 20] },
            { op: 'appendFloats', path: 'loss', values: [5], steps: [20] },
            { op: 'appendFloats', path: 'loss', values: [6], steps: [30] },
          ]),
        },
        { now: 3 },
      )
      expect(result.results[0]).toMatchObject({
        ok: false,
        error: {
          code: 'STEP_NOT_INCREASING',
          details: { path: 'loss', step: 20, previousStep: 25 },
        },
      })
      expect(result.results[1]).toMatchObject({ ok: false, error: { code: 'STEP_NOT_INCREASING' } })
      expect(result.results[2]).toEqual({ ok: true })
      const page = await store.series.page(run.id, 'loss', { limit: 10 })
      expect(Array.from(page!.points.steps)).toEqual([10, 20, 30])
      await store.close()
    })

    it('carries NaN and infinities without corrupting the summary', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [{ op: 'appendFloats', path: 'g', values: [1, 'NaN', 'Infinity', 3, '-Infinity'] }],
        2,
      )
      const page = await store.series.page(run.id, 'g', { limit: 10 })
      const values = Array.from(page!.points.values as Float64Array)
      expect(values[1]).toBeNaN()
      expect(values.slice(2)).toEqual([Infinity, 3, -Infinity])
      expect((await store.fields.get(run.id, 'g'))?.value).toMatchObject({
        count: 5,
        min: 1,
        max: 3,
        mean: 2,
      })
      expect((await store.fields.get(run.id, 'g'))?.value).toMatchObject({ last: -Infinity })
      await store.close()
    })

    it('coalesces many small appends and reads them back in order', async () => {
      const { store, run } = await setup()
      for (let i = 0; i < 300; i++)
        await write(store, run.id, [{ op: 'appendFloats', path: 'm', values: [i * 2] }], 10 + i)
      const page = await store.series.page(run.id, 'm', { limit: 1000 })
      expect(page?.total).toBe(300)
      expect(Array.from(page!.points.values as Float64Array)).toEqual(
        Array.from({ length: 300 }, (_, i) => i * 2),
      )
      await store.close()
    })

    it('pages by offset and step range across many blocks', async () => {
      const { store, run } = await setup()
      const values = Array.from({ length: 5000 }, (_, i) => i)
      await write(
        store,
        run.id,
        [{ op: 'appendFloats', path: 'm', values, steps: values.map((v) => v * 10) }],
        2,
      )
      const page = await store.series.page(run.id, 'm', { offset: 2500, limit: 3 })
      expect(page?.total).toBe(5000)
      expect(Array.from(page!.points.steps)).toEqual([25000, 25010, 25020])
      const ranged = await store.series.page(run.id, 'm', {
        fromStep: 10005,
        toStep: 10050,
        limit: 100,
      })
      expect(ranged?.total).toBe(5)
      expect(Array.from(ranged!.points.steps)).toEqual([10010, 10020, 10030, 10040, 10050])
      await store.close()
    })

    it('downsamples into buckets that keep every spike', async () => {
      const { store, run } = await setup()
      const values = Array.from({ length: 20000 }, (_, i) => Math.sin(i / 100))
      values[12345] = 1000
      values[777] = -1000
      await write(store, run.id, [{ op: 'appendFloats', path: 'm', values }], 2)
      const buckets = await store.series.buckets(run.id, 'm', { buckets: 100, x: 'step' })
      expect(buckets?.mode).toBe('buckets')
      if (buckets?.mode !== 'buckets') return
      expect(Array.from(buckets.count).reduce((a, b) => a + b, 0)).toBe(20000)
      expect(Math.max(...buckets.max)).toBe(1000)
      expect(Math.min(...buckets.min)).toBe(-1000)
      const exact = await store.series.buckets(run.id, 'm', {
        buckets: 100,
        x: 'step',
        from: 12300,
        to: 12350,
      })
      expect(exact?.mode).toBe('points')
      if (exact?.mode === 'points') expect(exact.values).toContain(1000)
      await store.close()
    })

    it('downsamples buckets on block edges and a partly filled last block like brute force', async () => {
      const { store, run } = await setup()
      // Whole blocks of the series (1,024 points) and a last one of 100; integer values keep
      // every mean exact whatever order the sums are added in.
      const n = 3 * 1024 + 100
      const values = Array.from({ length: n }, (_, i) => ((i * 7919) % 201) - 100)
      values[1500] = NaN
      values[1023] = Infinity
      values[n - 1] = -Infinity
      // The wire spells the non-finite values as strings.
      const wire = values.map((v) => (Number.isFinite(v) ? v : String(v)))
      await write(store, run.id, [{ op: 'appendFloats', path: 'm', values: wire }], 2)
      // Buckets whose edges fall on sub-chunk edges (32 points), or narrower than the stats
      // path's density: every point is in its own bucket, so brute force is the reference.
      for (const [buckets, from, to] of [
        [4, 0, 4 * 1024 - 1],
        [8, 0, 4 * 1024 - 1],
        [20, 700, 3100],
        [1000, 0, n - 1],
      ] as const) {
        const result = await store.series.buckets(run.id, 'm', { buckets, x: 'step', from, to })
        expect(result?.mode).toBe('buckets')
        if (result?.mode !== 'buckets') return
        const expected = bruteForce(values, buckets, from, to)
        expect(Array.from(result.count)).toEqual(expected.count)
        expect(Array.from(result.min)).toEqual(expected.min)
        expect(Array.from(result.max)).toEqual(expected.max)
        expect(Array.from(result.mean)).toEqual(expected.mean)
        expect(Array.from(result.last)).toEqual(expected.last)
        expect(Array.from(result.lastStep)).toEqual(expected.lastStep)
      }
      // Wide buckets that cut sub-chunks: a sub-chunk may land one bucket early, but no point
      // is lost and no extreme hidden.
      const wide = await store.series.buckets(run.id, 'm', {
        buckets: 3,
        x: 'step',
        from: 700,
        to: 3100,
      })
      expect(wide?.mode).toBe('buckets')
      if (wide?.mode !== 'buckets') return
      const inRange = values.slice(700, 3101).filter(Number.isFinite)
      expect(Array.from(wide.count).reduce((a, b) => a + b, 0)).toBe(2401)
      expect(Math.max(...wide.max)).toBe(Math.max(...inRange))
      expect(Math.min(...wide.min)).toBe(Math.min(...inRange))
      await store.close()
    })

    it('charts the stored points again after the series grew, was cleared and written anew', async () => {
      const { store, run } = await setup()
      const n = 3 * 1024 + 100
      const first = Array.from({ length: n }, (_, i) => (i * 7919) % 201)
      const steps = Array.from({ length: n }, (_, i) => i)
      const timestamps = steps.map((step) => 1000 + step)
      // Buckets of 512 steps: wide enough to be merged from the stats' sub-chunk records alone,
      // and on their edges, so brute force is the reference.
      const to = 4 * 1024 - 1
      const chart = async (values: number[]) => {
        // One bucket is merged from the blocks' summaries, eight from their sub-chunks.
        for (const buckets of [8, 1]) {
          const result = await store.series.buckets(run.id, 'm', {
            buckets,
            x: 'step',
            from: 0,
            to,
          })
          expect(result?.mode).toBe('buckets')
          if (result?.mode !== 'buckets') return
          const expected = bruteForce(values, buckets, 0, to)
          expect(Array.from(result.count)).toEqual(expected.count)
          expect(Array.from(result.min)).toEqual(expected.min)
          expect(Array.from(result.max)).toEqual(expected.max)
          expect(Array.from(result.last)).toEqual(expected.last)
        }
        // The whole series, as a chart first asks for it (its edges cut sub-chunks).
        const whole = await store.series.buckets(run.id, 'm', { buckets: 8, x: 'step' })
        expect(whole?.mode).toBe('buckets')
        if (whole?.mode !== 'buckets') return
        expect(Array.from(whole.count).reduce((a, b) => a + b, 0)).toBe(values.length)
        expect(Math.max(...whole.max)).toBe(Math.max(...values))
        expect(Math.min(...whole.min)).toBe(Math.min(...values))
        expect(whole.last.at(-1)).toBe(values.at(-1))
      }
      // Appends that start on sub-chunk edges (32 steps), whichever block they land in.
      const append = (from: number, to: number, sequence: number) =>
        write(
          store,
          run.id,
          [
            {
              op: 'appendFloats',
              path: 'm',
              values: first.slice(from, to),
              steps: steps.slice(from, to),
              timestamps: timestamps.slice(from, to),
            },
          ],
          sequence,
        )
      await append(0, 2656, 2)
      await chart(first.slice(0, 2656))
      await chart(first.slice(0, 2656))
      await append(2656, 2688, 3)
      await chart(first.slice(0, 2688))
      await append(2688, n, 4)
      await chart(first)
      // The same steps and timestamps, one value in each block changed: every block keeps its
      // number, count, steps and times.
      const second = first.map((v, i) => (i % 1024 === 1000 ? v + 300 : v))
      await write(
        store,
        run.id,
        [
          { op: 'clearSeries', path: 'm', seriesType: 'floatSeries' },
          { op: 'appendFloats', path: 'm', values: second, steps, timestamps },
        ],
        5,
      )
      await chart(second)
      await store.close()
    })

    it('stores string series and clears them', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [{ op: 'appendStrings', path: 'logs/stdout', values: ['epoch 1', 'epoch 2'] }],
        2,
      )
      expect((await store.fields.get(run.id, 'logs/stdout'))?.value).toMatchObject({
        type: 'stringSeries',
        last: 'epoch 2',
        count: 2,
      })
      const page = await store.series.page(run.id, 'logs/stdout', { limit: 10 })
      expect(page?.points.values).toEqual(['epoch 1', 'epoch 2'])
      await write(
        store,
        run.id,
        [{ op: 'clearSeries', path: 'logs/stdout', seriesType: 'stringSeries' }],
        3,
      )
      expect((await store.series.page(run.id, 'logs/stdout', { limit: 10 }))?.total).toBe(0)
      await write(
        store,
        run.id,
        [{ op: 'appendStrings', path: 'logs/stdout', values: ['again'] }],
        4,
      )
      const after = await store.series.page(run.id, 'logs/stdout', { limit: 10 })
      expect(Array.from(after!.points.steps)).toEqual([0])
      await store.close()
    })

    it('creates an empty series on clear and keeps its display config', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [
          { op: 'clearSeries', path: 'monitoring/cpu', seriesType: 'floatSeries' },
          { op: 'configFloatSeries', path: 'monitoring/cpu', min: 0, max: 100, unit: '%' },
        ],
        2,
      )
      expect((await store.fields.get(run.id, 'monitoring/cpu'))?.value).toMatchObject({
        type: 'floatSeries',
        count: 0,
        last: null,
        config: { min: 0, max: 100, unit: '%' },
      })
      await store.close()
    })
  })
}

/** Per-bucket figures of points at steps 0, 1, 2, … computed one point at a time. */
function bruteForce(values: number[], buckets: number, from: number, to: number) {
  const count = new Array<number>(buckets).fill(0)
  const finite = new Array<number>(buckets).fill(0)
  const sum = new Array<number>(buckets).fill(0)
  const min = new Array<number>(buckets).fill(NaN)
  const max = new Array<number>(buckets).fill(NaN)
  const last = new Array<number>(buckets).fill(NaN)
  const lastStep = new Array<number>(buckets).fill(NaN)
  values.forEach((v, step) => {
    if (step < from || step > to) return
    const b = Math.min(buckets - 1, Math.floor(((step - from) * buckets) / (to - from)))
    count[b]!++
    last[b] = v
    lastStep[b] = step
    if (!Number.isFinite(v)) return
    finite[b]!++
    sum[b]! += v
    min[b] = Number.isNaN(min[b]!) ? v : Math.min(min[b]!, v)
    max[b] = Number.isNaN(max[b]!) ? v : Math.max(max[b]!, v)
  })
  const mean = sum.map((s, b) => (finite[b]! > 0 ? s / finite[b]! : NaN))
  return { count, min, max, mean, last, lastStep }
}
