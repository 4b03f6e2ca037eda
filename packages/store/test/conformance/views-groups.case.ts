import { parseQuery } from '@nereid/core'
import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/store.js'
import { createRun, seedProject, write, type ConformanceContext } from './conformance-context.js'

export function defineViewGroupCases(context: ConformanceContext): void {
  /** Five runs: two optimizers, tags, a learning rate and a loss series. */
  async function setup(): Promise<{ store: Store; projectId: string; ids: string[] }> {
    const store = await context.createStore()
    const { project } = await seedProject(store)
    const runs: [string | null, number, string[], number[]][] = [
      ['adam', 0.1, ['baseline'], [3, 2]],
      ['adam', 0.3, ['baseline', 'prod'], [5, 4]],
      ['sgd', 0.2, [], [9, 6]],
      ['sgd', 0.4, ['prod'], [1, 8]],
      [null, 0.5, [], [7]],
    ]
    const ids: string[] = []
    let now = 10
    for (const [optimizer, lr, tags, loss] of runs) {
      const run = await createRun(store, project.id, now++)
      ids.push(run.id)
      await write(
        store,
        run.id,
        [
          ...(optimizer === null
            ? []
            : [{ op: 'assignString', path: 'params/optimizer', value: optimizer }]),
          { op: 'assignFloat', path: 'params/lr', value: lr },
          { op: 'assignInt', path: 'params/batch', value: 32 },
          ...(tags.length > 0 ? [{ op: 'addStrings', path: 'sys/tags', values: tags }] : []),
          { op: 'appendFloats', path: 'train/loss', values: loss },
        ],
        now++,
      )
    }
    return { store, projectId: project.id, ids }
  }

  const base = { kinds: ['run' as const], query: null, limit: 100 }

  describe('grouped runs table', () => {
    it('groups by a string field in value order, the runs without it last', async () => {
      const { store, projectId } = await setup()
      const result = await store.groups.query(projectId, { ...base, path: 'params/optimizer' })
      expect(result.totalGroups).toBe(3)
      expect(result.groups.map((g) => [g.value, g.type, g.count])).toEqual([
        ['adam', 'string', 2],
        ['sgd', 'string', 2],
        [null, null, 1],
      ])
      await store.close()
    })

    it('summarizes numeric columns per group: atoms and the last value of series', async () => {
      const { store, projectId } = await setup()
      const { groups } = await store.groups.query(projectId, {
        ...base,
        path: 'params/optimizer',
        aggregates: ['params/lr', 'train/loss', 'params/missing'],
      })
      const adam = groups[0]!.aggregates
      expect(adam['params/lr']!.count).toBe(2)
      expect(adam['params/lr']!.min).toBeCloseTo(0.1)
      expect(adam['params/lr']!.max).toBeCloseTo(0.3)
      expect(adam['params/lr']!.mean).toBeCloseTo(0.2)
      expect(adam['train/loss']).toEqual({ count: 2, min: 2, max: 4, mean: 3 })
      expect(adam['params/missing']).toEqual({ count: 0, min: null, max: null, mean: null })
      await store.close()
    })

    it('puts a run in the group of each of its tags', async () => {
      const { store, projectId } = await setup()
      const { groups } = await store.groups.query(projectId, { ...base, path: 'sys/tags' })
      expect(groups.map((g) => [g.value, g.type, g.count])).toEqual([
        ['baseline', 'stringSet', 2],
        ['prod', 'stringSet', 2],
        [null, null, 2],
      ])
      await store.close()
    })

    it('groups the runs a query matches, leaving trashed runs out', async () => {
      const { store, projectId, ids } = await setup()
      await store.objects.trash(projectId, [ids[0]!], 100)
      const { groups } = await store.groups.query(projectId, {
        ...base,
        query: parseQuery('`params/lr`:float >= 0.2').expr,
        path: 'params/optimizer',
      })
      expect(groups.map((g) => [g.value, g.count])).toEqual([
        ['adam', 1],
        ['sgd', 2],
        [null, 1],
      ])
      const withTrash = await store.groups.query(projectId, {
        ...base,
        includeTrashed: true,
        path: 'params/optimizer',
      })
      expect(withTrash.groups[0]).toMatchObject({ value: 'adam', count: 2 })
      await store.close()
    })

    it('groups by numbers and by sys fields kept on the object', async () => {
      const { store, projectId } = await setup()
      const batch = await store.groups.query(projectId, { ...base, path: 'params/batch' })
      expect(batch.groups).toMatchObject([{ value: 32, type: 'int', count: 5 }])
      const owners = await store.groups.query(projectId, { ...base, path: 'sys/owner' })
      expect(owners.groups).toMatchObject([{ value: 'alice', type: 'string', count: 5 }])
      await store.close()
    })

    it('pages through groups and counts them all', async () => {
      const { store, projectId } = await setup()
      const page = await store.groups.query(projectId, {
        ...base,
        path: 'params/lr',
        limit: 2,
        offset: 1,
      })
      expect(page.totalGroups).toBe(5)
      expect(page.groups.map((g) => g.value)).toEqual([0.2, 0.3])
      await store.close()
    })

    it('puts every run in one group when no run has the field', async () => {
      const { store, projectId } = await setup()
      const result = await store.groups.query(projectId, { ...base, path: 'params/unknown' })
      expect(result).toEqual({
        totalGroups: 1,
        groups: [{ value: null, type: null, count: 5, aggregates: {} }],
      })
      const none = await store.groups.query(projectId, {
        ...base,
        query: parseQuery('`params/lr`:float > 10').expr,
        path: 'params/unknown',
      })
      expect(none).toEqual({ totalGroups: 0, groups: [] })
      await store.close()
    })

    it('refuses to group by a series and says what can be grouped by', async () => {
      const { store, projectId } = await setup()
      await expect(
        store.groups.query(projectId, { ...base, path: 'train/loss' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'groupBy' } })
      await store.close()
    })
  })
}
