import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

const widgets = [
  {
    id: 'loss',
    kind: 'lineChart',
    title: 'Loss',
    layout: { x: 0, y: 0, w: 6, h: 4 },
    config: { series: ['train/loss'], query: '`sys/tags`:stringSet CONTAINS "prod"', maxRuns: 10 },
  },
  {
    id: 'notes',
    kind: 'markdown',
    title: 'Notes',
    layout: { x: 6, y: 0, w: 6, h: 4 },
    config: { text: '# Findings' },
  },
]

describe('dashboards API', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(async () => {
    await t.close()
  })

  it('saves a dashboard with its widgets and lists it with a widget count', async () => {
    const put = await t.call({
      method: 'PUT',
      url: `${P}/dashboards/overview`,
      payload: { name: 'Overview', widgets },
    })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ created: true, dashboard: { revision: 1, widgets } })
    const list = await t.call({ url: `${P}/dashboards` })
    expect(list.json().dashboards).toMatchObject([
      { id: 'overview', name: 'Overview', widgetCount: 2 },
    ])
    const one = await t.call({ url: `${P}/dashboards/overview` })
    expect(one.json().widgets).toEqual(widgets)
  })

  it('names the exact widget setting that is wrong', async () => {
    const response = await t.call({
      method: 'PUT',
      url: `${P}/dashboards/d`,
      payload: {
        name: 'D',
        widgets: [{ ...widgets[0], config: { series: [] } }],
      },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.details.field).toBe('body.widgets.0.config.series')
    expect(response.json().error.message).toContain('Loss')
  })

  it('refuses widgets that overflow the grid or share an id', async () => {
    const wide = await t.call({
      method: 'PUT',
      url: `${P}/dashboards/d`,
      payload: { name: 'D', widgets: [{ ...widgets[1], layout: { x: 8, y: 0, w: 6, h: 2 } }] },
    })
    expect(wide.statusCode).toBe(400)
    expect(wide.json().error.details.field).toBe('body.widgets.0.layout')
    const twice = await t.call({
      method: 'PUT',
      url: `${P}/dashboards/d`,
      payload: { name: 'D', widgets: [widgets[1], widgets[1]] },
    })
    expect(twice.json().error.details.field).toBe('body.widgets.1.id')
  })

  it('refuses an unknown widget kind', async () => {
    const response = await t.call({
      method: 'PUT',
      url: `${P}/dashboards/d`,
      payload: { name: 'D', widgets: [{ ...widgets[1], kind: 'pie' }] },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('VALIDATION_FAILED')
  })

  it('detects a concurrent edit and a clashing name', async () => {
    await t.call({ method: 'PUT', url: `${P}/dashboards/a`, payload: { name: 'A', widgets } })
    await t.call({
      method: 'PUT',
      url: `${P}/dashboards/a`,
      payload: { name: 'A', widgets: [], baseRevision: 1 },
    })
    const stale = await t.call({
      method: 'PUT',
      url: `${P}/dashboards/a`,
      payload: { name: 'A', widgets: [widgets[1]], baseRevision: 1 },
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.code).toBe('REVISION_CONFLICT')
    const clash = await t.call({
      method: 'PUT',
      url: `${P}/dashboards/b`,
      payload: { name: 'A', widgets: [] },
    })
    expect(clash.statusCode).toBe(409)
    expect(clash.json().error.code).toBe('DASHBOARD_NAME_EXISTS')
  })

  it('deletes a dashboard', async () => {
    await t.call({ method: 'PUT', url: `${P}/dashboards/a`, payload: { name: 'A', widgets } })
    expect((await t.call({ method: 'DELETE', url: `${P}/dashboards/a` })).json()).toEqual({
      deleted: true,
    })
    const gone = await t.call({ url: `${P}/dashboards/a` })
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error.code).toBe('DASHBOARD_NOT_FOUND')
  })
})
