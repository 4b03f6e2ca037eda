import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

describe('project conventions API', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(async () => {
    await t.close()
  })

  const conventions = {
    metrics: [
      { name: 'train/loss', description: 'Cross-entropy on the training batch' },
      { name: 'val/*', description: 'Anything measured on the validation set' },
    ],
    tags: [{ name: 'baseline', description: 'Reference runs' }],
  }

  it('starts empty and keeps what is saved in the project metadata object', async () => {
    expect((await t.call({ url: `${P}/conventions` })).json()).toEqual({
      metrics: [],
      tags: [],
      problems: [],
    })
    const put = await t.call({ method: 'PUT', url: `${P}/conventions`, payload: conventions })
    expect(put.statusCode).toBe(200)
    expect((await t.call({ url: `${P}/conventions` })).json()).toEqual({
      ...conventions,
      problems: [],
    })
    const field = await t.call({
      url: `${P}/objects/VISION/field?path=${encodeURIComponent('conventions/metrics')}`,
    })
    expect(field.json().type).toBe('string')
    expect(JSON.parse(field.json().value.value)).toEqual(conventions.metrics)
  })

  it('reports a conventions field a script filled with something else', async () => {
    await t.call({
      method: 'POST',
      url: `${P}/objects/VISION/operations`,
      payload: { operations: [{ op: 'assignString', path: 'conventions/tags', value: 'oops' }] },
    })
    const body = (await t.call({ url: `${P}/conventions` })).json()
    expect(body.tags).toEqual([])
    expect(body.problems[0]).toContain('conventions/tags')
  })

  it('flags metric names and tags of runs outside the conventions', async () => {
    await t.call({ method: 'PUT', url: `${P}/conventions`, payload: conventions })
    const created = await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    const run = created.json().object
    await t.call({
      method: 'POST',
      url: `${P}/objects/${run.id}/operations`,
      payload: {
        operations: [
          { op: 'appendFloats', path: 'train/loss', values: [1] },
          { op: 'appendFloats', path: 'val/acc', values: [1] },
          { op: 'appendFloats', path: 'train/lossx', values: [1] },
          { op: 'appendFloats', path: 'monitoring/ab12/cpu', values: [1] },
          { op: 'addStrings', path: 'sys/tags', values: ['baseline', 'tmp'] },
        ],
      },
    })
    const check = await t.call({
      method: 'POST',
      url: `${P}/conventions/check`,
      payload: { objects: [run.shortId, 'VISION-999'] },
    })
    expect(check.json()).toEqual({
      objects: [
        { id: run.id, shortId: run.shortId, unknownMetrics: ['train/lossx'], unknownTags: ['tmp'] },
      ],
      missing: ['VISION-999'],
    })
  })

  it('refuses a blank name', async () => {
    const response = await t.call({
      method: 'PUT',
      url: `${P}/conventions`,
      payload: { metrics: [{ name: '  ', description: '' }], tags: [] },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.details.field).toBe('body.metrics')
  })
})
