import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/store.js'
import { seedProject, type ConformanceContext } from './conformance-context.js'

const STATE = { columns: ['train/loss'], query: '`params/lr`:float > 0.01', sort: null }

export function defineViewCases(context: ConformanceContext): void {
  async function setup(): Promise<{ store: Store; projectId: string }> {
    const store = await context.createStore()
    const { project } = await seedProject(store)
    return { store, projectId: project.id }
  }

  describe('saved views', () => {
    it('creates a view under a client-chosen id and reads it back', async () => {
      const { store, projectId } = await setup()
      const { view, created } = await store.views.put({
        projectId,
        id: 'v1',
        name: 'Best runs',
        state: STATE,
        author: 'alice',
        now: 10,
      })
      expect(created).toBe(true)
      expect(view).toEqual({
        id: 'v1',
        projectId,
        name: 'Best runs',
        state: STATE,
        isDefault: false,
        createdBy: 'alice',
        createdAt: 10,
        updatedAt: 10,
        revision: 1,
      })
      expect(await store.views.get(projectId, 'v1')).toEqual(view)
      expect(await store.views.list(projectId)).toEqual([view])
      await store.close()
    })

    it('applies a retried write once and changes nothing', async () => {
      const { store, projectId } = await setup()
      const input = { projectId, id: 'v1', name: 'A', state: STATE, author: 'alice', now: 10 }
      await store.views.put(input)
      const again = await store.views.put({ ...input, now: 20, baseRevision: 0 })
      expect(again.created).toBe(false)
      expect(again.view).toMatchObject({ revision: 1, updatedAt: 10 })
      await store.close()
    })

    it('replaces name and state and counts revisions', async () => {
      const { store, projectId } = await setup()
      await store.views.put({ projectId, id: 'v1', name: 'A', state: STATE, author: 'a', now: 1 })
      const { view } = await store.views.put({
        projectId,
        id: 'v1',
        name: 'B',
        state: { columns: [] },
        author: 'bob',
        now: 2,
        baseRevision: 1,
      })
      expect(view).toMatchObject({
        name: 'B',
        state: { columns: [] },
        createdBy: 'a',
        createdAt: 1,
        updatedAt: 2,
        revision: 2,
      })
      await store.close()
    })

    it('rejects a write based on a stale revision', async () => {
      const { store, projectId } = await setup()
      await store.views.put({ projectId, id: 'v1', name: 'A', state: STATE, author: 'a', now: 1 })
      await store.views.put({ projectId, id: 'v1', name: 'B', state: STATE, author: 'a', now: 2 })
      await expect(
        store.views.put({
          projectId,
          id: 'v1',
          name: 'C',
          state: STATE,
          author: 'a',
          now: 3,
          baseRevision: 1,
        }),
      ).rejects.toMatchObject({ code: 'REVISION_CONFLICT', details: { revision: 2 } })
      expect((await store.views.get(projectId, 'v1'))?.name).toBe('B')
      await store.close()
    })

    it('rejects a name another view of the project has', async () => {
      const { store, projectId } = await setup()
      await store.views.put({ projectId, id: 'v1', name: 'A', state: STATE, author: 'a', now: 1 })
      await expect(
        store.views.put({ projectId, id: 'v2', name: 'A', state: {}, author: 'a', now: 2 }),
      ).rejects.toMatchObject({ code: 'VIEW_NAME_EXISTS', details: { field: 'name', id: 'v1' } })
      expect(await store.views.list(projectId)).toHaveLength(1)
      await store.close()
    })

    it('keeps views of different projects apart, even under the same id', async () => {
      const { store, projectId } = await setup()
      const workspace = await store.workspaces.getByName('team')
      const other = await store.projects.create({
        workspaceId: workspace!.id,
        name: 'nlp',
        key: 'NLP',
        owner: 'alice',
        now: 1,
      })
      await store.views.put({ projectId, id: 'v1', name: 'A', state: STATE, author: 'a', now: 1 })
      await store.views.put({
        projectId: other.id,
        id: 'v1',
        name: 'A',
        state: {},
        author: 'a',
        now: 1,
      })
      expect((await store.views.get(projectId, 'v1'))?.state).toEqual(STATE)
      expect((await store.views.get(other.id, 'v1'))?.state).toEqual({})
      await store.close()
    })

    it('keeps one default view per project', async () => {
      const { store, projectId } = await setup()
      await store.views.put({ projectId, id: 'v1', name: 'A', state: {}, author: 'a', now: 1 })
      await store.views.put({ projectId, id: 'v2', name: 'B', state: {}, author: 'a', now: 1 })
      await store.views.setDefault(projectId, 'v1')
      await store.views.setDefault(projectId, 'v2')
      const defaults = (await store.views.list(projectId)).filter((view) => view.isDefault)
      expect(defaults.map((view) => view.id)).toEqual(['v2'])
      await store.views.setDefault(projectId, null)
      expect((await store.views.list(projectId)).some((view) => view.isDefault)).toBe(false)
      await expect(store.views.setDefault(projectId, 'missing')).rejects.toMatchObject({
        code: 'VIEW_NOT_FOUND',
      })
      await store.close()
    })

    it('deletes a view and says whether there was one', async () => {
      const { store, projectId } = await setup()
      await store.views.put({ projectId, id: 'v1', name: 'A', state: {}, author: 'a', now: 1 })
      expect(await store.views.delete(projectId, 'v1')).toBe(true)
      expect(await store.views.delete(projectId, 'v1')).toBe(false)
      expect(await store.views.get(projectId, 'v1')).toBeNull()
      await store.close()
    })
  })

  describe('dashboards', () => {
    const widgets = [
      { id: 'w1', kind: 'markdown', title: 'Notes', layout: { x: 0, y: 0, w: 4, h: 3 } },
      { id: 'w2', kind: 'singleValue', title: 'Best', layout: { x: 4, y: 0, w: 2, h: 2 } },
    ]

    it('stores widgets whole and lists dashboards without them', async () => {
      const { store, projectId } = await setup()
      const { dashboard, created } = await store.dashboards.put({
        projectId,
        id: 'd1',
        name: 'Overview',
        widgets,
        author: 'alice',
        now: 5,
      })
      expect(created).toBe(true)
      expect(dashboard).toMatchObject({ id: 'd1', name: 'Overview', widgets, revision: 1 })
      expect(await store.dashboards.get(projectId, 'd1')).toEqual(dashboard)
      const [summary] = await store.dashboards.list(projectId)
      expect(summary).toEqual({
        id: 'd1',
        projectId,
        name: 'Overview',
        widgetCount: 2,
        createdBy: 'alice',
        createdAt: 5,
        updatedAt: 5,
        revision: 1,
      })
      await store.close()
    })

    it('applies revisions, retries and name clashes like saved views', async () => {
      const { store, projectId } = await setup()
      const base = { projectId, id: 'd1', name: 'A', widgets, author: 'a', now: 1 }
      await store.dashboards.put(base)
      expect((await store.dashboards.put({ ...base, baseRevision: 0 })).created).toBe(false)
      const moved = await store.dashboards.put({ ...base, widgets: [], baseRevision: 1, now: 2 })
      expect(moved.dashboard).toMatchObject({ widgets: [], revision: 2 })
      await expect(
        store.dashboards.put({ ...base, widgets: [widgets[0]!], baseRevision: 1 }),
      ).rejects.toMatchObject({ code: 'REVISION_CONFLICT' })
      await expect(store.dashboards.put({ ...base, id: 'd2', widgets: [] })).rejects.toMatchObject({
        code: 'DASHBOARD_NAME_EXISTS',
      })
      expect(await store.dashboards.delete(projectId, 'd1')).toBe(true)
      expect(await store.dashboards.get(projectId, 'd1')).toBeNull()
      await store.close()
    })
  })
}
