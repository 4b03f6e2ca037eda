import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

describe('chart buckets of many series in one request', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(async () => {
    await t.close()
  })

  async function runWithLoss(
    points: number,
    spikeAt: number,
  ): Promise<{ id: string; shortId: string }> {
    const created = await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    const run = created.json().object
    const values = Array.from({ length: points }, (_, i) => (i === spikeAt ? 100 : i % 7))
    const written = await t.call({
      method: 'POST',
      url: `${P}/objects/${run.id}/operations`,
      payload: { operations: [{ op: 'appendFloats', path: 'train/loss', values }] },
    })
    expect(written.statusCode).toBe(200)
    return run
  }

  it('answers each line like the one-series read, in the order asked', async () => {
    const long = await runWithLoss(5000, 4321)
    const short = await runWithLoss(20, -1)
    const response = await t.call({
      method: 'POST',
      url: `${P}/series/buckets`,
      payload: {
        buckets: 50,
        x: 'step',
        lines: [
          { object: long.shortId, path: 'train/loss' },
          { object: short.id, path: 'train/loss' },
        ],
      },
    })
    expect(response.statusCode).toBe(200)
    const [first, second] = response.json().lines
    const single = await t.call({
      method: 'GET',
      url: `${P}/objects/${long.id}/series/buckets?path=train/loss&buckets=50`,
    })
    expect(first).toEqual({ object: long.shortId, path: 'train/loss', ...single.json() })
    expect(first.mode).toBe('buckets')
    // The spike among 5,000 points is its bucket's maximum.
    expect(Math.max(...first.max)).toBe(100)
    expect(second).toMatchObject({ object: short.id, path: 'train/loss', mode: 'points' })
    expect(second.values).toHaveLength(20)
  })

  it('reads each line in its own x range', async () => {
    const run = await runWithLoss(1000, -1)
    const response = await t.call({
      method: 'POST',
      url: `${P}/series/buckets`,
      payload: {
        buckets: 100,
        lines: [
          { object: run.shortId, path: 'train/loss', from: 100, to: 149 },
          { object: run.shortId, path: 'train/loss' },
        ],
      },
    })
    const [zoomed, whole] = response.json().lines
    expect(zoomed.mode).toBe('points')
    expect(zoomed.steps[0]).toBe(100)
    expect(zoomed.steps.at(-1)).toBe(149)
    expect(whole.mode).toBe('buckets')
    expect(whole.count.reduce((a: number, b: number) => a + b, 0)).toBe(1000)
  })

  it('answers a missing object or series with an error on that line only', async () => {
    const run = await runWithLoss(10, -1)
    const response = await t.call({
      method: 'POST',
      url: `${P}/series/buckets`,
      payload: {
        lines: [
          { object: 'VISION-999', path: 'train/loss' },
          { object: run.shortId, path: 'train/acc' },
          { object: run.shortId, path: 'train/loss' },
        ],
      },
    })
    expect(response.statusCode).toBe(200)
    const [missingRun, missingSeries, found] = response.json().lines
    expect(missingRun.error.code).toBe('OBJECT_NOT_FOUND')
    expect(missingRun.error.message).toContain('VISION-999')
    expect(missingSeries.error).toEqual({
      code: 'FIELD_NOT_FOUND',
      message: `${run.shortId} has no float series "train/acc"`,
    })
    expect(found.values).toHaveLength(10)
  })

  it('rejects a request without lines, with too many, or with an invalid path', async () => {
    const run = await runWithLoss(10, -1)
    const ask = (lines: unknown[]) =>
      t.call({ method: 'POST', url: `${P}/series/buckets`, payload: { lines } })
    expect((await ask([])).statusCode).toBe(400)
    const many = Array.from({ length: 101 }, () => ({ object: run.id, path: 'train/loss' }))
    expect((await ask(many)).statusCode).toBe(400)
    const invalid = await ask([{ object: run.id, path: 'train//loss' }])
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.code).toBe('PATH_INVALID')
  })

  it('refuses a caller without a token', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `${P}/series/buckets`,
      payload: { lines: [{ object: 'VISION-1', path: 'train/loss' }] },
    })
    expect(response.statusCode).toBe(401)
  })
})
