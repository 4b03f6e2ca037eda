import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

describe('saved views API', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(async () => {
    await t.close()
  })

  const state = {
    columns: [{ path: 'train/loss', type: 'floatSeries' }],
    pinned: ['sys/name'],
    query: '`params/lr`:float > 0.01',
    sort: { path: 'train/loss', direction: 'asc' },
    groupBy: null,
    showTrashed: false,
  }

  it('creates a view under the id the client chose, lists it and reads it back', async () => {
    const put = await t.call({
      method: 'PUT',
      url: `${P}/views/best-runs`,
      payload: { name: 'Best runs', state },
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({
      created: true,
      view: { id: 'best-runs', name: 'Best runs', state, revision: 1, createdBy: 'admin' },
    })
    const list = await t.call({ url: `${P}/views` })
    expect(list.json().views.map((v: { id: string }) => v.id)).toEqual(['best-runs'])
    const one = await t.call({ url: `${P}/views/best-runs` })
    expect(one.json()).toMatchObject({ name: 'Best runs', isDefault: false })
  })

  it('answers a retried create like the first one, without a new revision', async () => {
    const payload = { name: 'A', state, baseRevision: 0 }
    await t.call({ method: 'PUT', url: `${P}/views/v1`, payload })
    const retry = await t.call({ method: 'PUT', url: `${P}/views/v1`, payload })
    expect(retry.statusCode).toBe(200)
    expect(retry.json().view.revision).toBe(1)
  })

  it('answers 409 REVISION_CONFLICT to a save based on an old revision', async () => {
    await t.call({ method: 'PUT', url: `${P}/views/v1`, payload: { name: 'A', state } })
    await t.call({
      method: 'PUT',
      url: `${P}/views/v1`,
      payload: { name: 'A', state: { ...state, query: '' }, baseRevision: 1 },
    })
    const stale = await t.call({
      method: 'PUT',
      url: `${P}/views/v1`,
      payload: { name: 'A', state: { ...state, pinned: [] }, baseRevision: 1 },
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({
      code: 'REVISION_CONFLICT',
      details: { revision: 2 },
    })
  })

  it('refuses a saved filter that does not parse, pointing at the problem', async () => {
    const response = await t.call({
      method: 'PUT',
      url: `${P}/views/v1`,
      payload: { name: 'A', state: { query: '`params/lr` >' } },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('NQL_SYNTAX_ERROR')
    expect(response.json().error.details.position).toBeTypeOf('number')
  })

  it('refuses ids that cannot travel in a URL and names that are blank', async () => {
    const badId = await t.call({
      method: 'PUT',
      url: `${P}/views/${encodeURIComponent('a b')}`,
      payload: { name: 'A', state },
    })
    expect(badId.statusCode).toBe(400)
    expect(badId.json().error.details.field).toBe('params.view')
    const blank = await t.call({
      method: 'PUT',
      url: `${P}/views/v1`,
      payload: { name: '', state },
    })
    expect(blank.statusCode).toBe(400)
  })

  it('sets and clears the default view', async () => {
    await t.call({ method: 'PUT', url: `${P}/views/v1`, payload: { name: 'A', state } })
    const set = await t.call({ method: 'PUT', url: `${P}/default-view`, payload: { view: 'v1' } })
    expect(set.json()).toEqual({ view: 'v1' })
    expect((await t.call({ url: `${P}/views/v1` })).json().isDefault).toBe(true)
    const missing = await t.call({
      method: 'PUT',
      url: `${P}/default-view`,
      payload: { view: 'nope' },
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('VIEW_NOT_FOUND')
    await t.call({ method: 'PUT', url: `${P}/default-view`, payload: { view: null } })
    expect((await t.call({ url: `${P}/views/v1` })).json().isDefault).toBe(false)
  })

  it('deletes a view; a retried delete says there was nothing left', async () => {
    await t.call({ method: 'PUT', url: `${P}/views/v1`, payload: { name: 'A', state } })
    const first = await t.call({ method: 'DELETE', url: `${P}/views/v1` })
    expect(first.json()).toEqual({ deleted: true })
    const again = await t.call({ method: 'DELETE', url: `${P}/views/v1` })
    expect(again.json()).toEqual({ deleted: false })
    const gone = await t.call({ url: `${P}/views/v1` })
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error.code).toBe('VIEW_NOT_FOUND')
  })
})

describe('grouped search API', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(async () => {
    await t.close()
  })

  async function run(optimizer: string, lr: number) {
    const created = await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    const id = created.json().object.id as string
    await t.call({
      method: 'POST',
      url: `${P}/objects/${id}/operations`,
      payload: {
        operations: [
          { op: 'assignString', path: 'params/optimizer', value: optimizer },
          { op: 'assignFloat', path: 'params/lr', value: lr },
        ],
      },
    })
  }

  it('answers one aggregate row per value of the field', async () => {
    await run('adam', 0.1)
    await run('adam', 0.3)
    await run('sgd', 0.5)
    const response = await t.call({
      method: 'POST',
      url: `${P}/search/groups`,
      payload: { groupBy: 'params/optimizer', aggregates: ['params/lr'] },
    })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.totalGroups).toBe(2)
    expect(body.groups[0]).toMatchObject({ value: 'adam', type: 'string', count: 2 })
    expect(body.groups[0].aggregates['params/lr'].mean).toBeCloseTo(0.2)
    expect(body.groups[1]).toMatchObject({ value: 'sgd', count: 1 })
  })

  it('reports NQL syntax errors with their position', async () => {
    const response = await t.call({
      method: 'POST',
      url: `${P}/search/groups`,
      payload: { groupBy: 'params/optimizer', query: '(`a`:float > 1' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('NQL_SYNTAX_ERROR')
  })
})

describe('sparklines API', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(async () => {
    await t.close()
  })

  it('answers a few values per object and series, leaving out what is not a float series', async () => {
    const created = await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    const run = created.json().object
    const values = Array.from({ length: 100 }, (_, i) => (i === 50 ? 'NaN' : i))
    await t.call({
      method: 'POST',
      url: `${P}/objects/${run.id}/operations`,
      payload: {
        operations: [
          { op: 'appendFloats', path: 'train/loss', values },
          { op: 'assignFloat', path: 'params/lr', value: 0.1 },
        ],
      },
    })
    const response = await t.call({
      method: 'POST',
      url: `${P}/search/sparklines`,
      payload: { objects: [run.shortId], paths: ['train/loss', 'params/lr'], points: 10 },
    })
    expect(response.statusCode).toBe(200)
    const [line, ...rest] = response.json().sparklines
    expect(rest).toEqual([])
    expect(line).toMatchObject({ object: run.shortId, path: 'train/loss' })
    expect(line.values).toHaveLength(10)
    expect(line.values[0]).toBeCloseTo(4.5)
  })
})
