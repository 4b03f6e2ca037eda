import { LIMITS, parseQuery, type NqlExpr } from '@nereid/core'
import { describe, expect, it } from 'vitest'
import type { SearchRequest, SearchResult, Store } from '../../src/store.js'
import { createRun, seedProject, write, type ConformanceContext } from './conformance-context.js'

const NOW = Date.UTC(2026, 0, 2)
const T0 = Date.UTC(2026, 0, 1)

/** The parsed form of an NQL query, or null for an empty one. */
function q(text: string): NqlExpr | null {
  return parseQuery(text).expr
}

interface Searcher {
  run(query: string | NqlExpr | null, options?: Partial<SearchRequest>): Promise<SearchResult>
  /** Short ids of the matching objects, in the order returned. */
  ids(query: string | NqlExpr | null, options?: Partial<SearchRequest>): Promise<string[]>
  /** Short ids of the matching objects, sorted by number: for checking which match. */
  set(query: string | NqlExpr | null, options?: Partial<SearchRequest>): Promise<string[]>
}

function searcher(store: Store, projectId: string): Searcher {
  const run = (query: string | NqlExpr | null, options: Partial<SearchRequest> = {}) =>
    store.search.query(
      projectId,
      {
        kinds: ['run'],
        query: typeof query === 'string' ? q(query) : query,
        limit: 1000,
        offset: 0,
        ...options,
      },
      { now: NOW },
    )
  const ids = async (query: string | NqlExpr | null, options: Partial<SearchRequest> = {}) =>
    (await run(query, options)).rows.map((row) => row.object.shortId)
  const set = async (query: string | NqlExpr | null, options: Partial<SearchRequest> = {}) =>
    (await ids(query, options)).sort(byNumber)
  return { run, ids, set }
}

function byNumber(a: string, b: string): number {
  return Number(a.split('-').pop()) - Number(b.split('-').pop())
}

/** Expects a search to fail with NQL_SYNTAX_ERROR at `position`. */
async function expectQueryError(
  search: Searcher,
  query: string | NqlExpr,
  position: number,
): Promise<void> {
  await expect(search.run(query)).rejects.toMatchObject({
    code: 'NQL_SYNTAX_ERROR',
    details: { position },
  })
}

export function defineSearchCases(context: ConformanceContext): void {
  describe('search', () => {
    /** A project with `count` runs CLS-1..CLS-count created at T0 + 1000·n. */
    async function setup(count = 0) {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const runs = []
      for (let n = 1; n <= count; n++) runs.push(await createRun(store, project.id, T0 + 1000 * n))
      return { store, project, runs, search: searcher(store, project.id) }
    }

    it('counts the matches and returns a page of them with all their fields', async () => {
      const { store, runs, search } = await setup(3)
      for (const [index, run] of runs.entries()) {
        await write(
          store,
          run.id,
          [{ op: 'assignFloat', path: 'params/lr', value: 0.1 * (index + 1) }],
          NOW,
        )
      }
      const result = await search.run('`params/lr`:float > 0.15')
      expect(result.total).toBe(2)
      expect(result.rows.map((row) => row.object.shortId)).toEqual(['CLS-3', 'CLS-2'])
      const fields = result.rows[0]!.fields
      expect(fields.find((field) => field.path === 'params/lr')?.value).toEqual({
        type: 'float',
        value: 0.30000000000000004,
      })
      expect(fields.find((field) => field.path === 'sys/id')?.value).toEqual({
        type: 'string',
        value: 'CLS-3',
      })
      expect(fields.map((field) => field.path)).toEqual(
        expect.arrayContaining(['sys/name', 'sys/tags', 'sys/state', 'sys/creation_time']),
      )
      expect(fields.map((field) => field.path)).toEqual(
        [...fields.map((field) => field.path)].sort(),
      )

      const page = await search.run('`params/lr`:float > 0', { limit: 1, offset: 1 })
      expect(page.total).toBe(3)
      expect(page.rows.map((row) => row.object.shortId)).toEqual(['CLS-2'])
      const none = await search.run('`params/lr`:float > 0', { limit: 0 })
      expect(none).toEqual({ total: 3, rows: [] })
      const beyond = await search.run('`params/lr`:float > 0', { offset: 10 })
      expect(beyond).toEqual({ total: 3, rows: [] })
      await store.close()
    })

    it('sees writes at once when the same search runs again within a moment', async () => {
      const { store, runs, search } = await setup(6)
      const tag = (run: (typeof runs)[number], index: number) =>
        write(
          store,
          run.id,
          [
            { op: 'addStrings', path: 'sys/tags', values: ['best'] },
            { op: 'assignFloat', path: 'params/lr', value: index },
          ],
          NOW,
        )
      for (const [index, run] of runs.slice(0, 2).entries()) await tag(run, index)
      const sorted = { sort: { path: 'params/lr', direction: 'desc' as const }, limit: 2 }
      // The tag alone gives the total from its index; with a second condition the estimate
      // only picks the plan.
      expect((await search.run('`sys/tags`:stringSet CONTAINS "best"', sorted)).total).toBe(2)
      const both = '`sys/tags`:stringSet CONTAINS "best" AND `params/lr`:float >= 0'
      expect((await search.run(both, sorted)).total).toBe(2)
      for (const [index, run] of runs.slice(2).entries()) await tag(run, index + 2)
      const alone = await search.run('`sys/tags`:stringSet CONTAINS "best"', sorted)
      expect(alone.total).toBe(6)
      expect(alone.rows.map((row) => row.object.shortId)).toEqual(['CLS-6', 'CLS-5'])
      const again = await search.run(both, sorted)
      expect(again.total).toBe(6)
      expect(again.rows.map((row) => row.object.shortId)).toEqual(['CLS-6', 'CLS-5'])
      await store.close()
    })

    it('returns only the requested columns', async () => {
      const { store, runs, search } = await setup(2)
      await write(
        store,
        runs[0]!.id,
        [
          { op: 'assignFloat', path: 'a', value: 1 },
          { op: 'assignString', path: 'b', value: 'x' },
        ],
        NOW,
      )
      const result = await search.run(null, { columns: ['a', 'sys/id', 'no/such/path'] })
      expect(result.rows.map((row) => row.fields)).toEqual([
        [{ path: 'sys/id', type: 'string', value: { type: 'string', value: 'CLS-2' } }],
        [
          { path: 'a', type: 'float', value: { type: 'float', value: 1 } },
          { path: 'sys/id', type: 'string', value: { type: 'string', value: 'CLS-1' } },
        ],
      ])
      expect((await search.run(null, { columns: [] })).rows.map((row) => row.fields)).toEqual([
        [],
        [],
      ])
      await store.close()
    })

    it('searches only the objects of the project and kinds asked for', async () => {
      const { store, project, search } = await setup(2)
      await store.objects.create({
        projectId: project.id,
        kind: 'model',
        owner: 'alice',
        now: T0 + 5000,
        modelKey: 'MOD',
      })
      const workspace = await store.workspaces.getByName('team')
      const other = await store.projects.create({
        workspaceId: workspace!.id,
        name: 'other',
        key: 'OTH',
        owner: 'alice',
        now: T0,
      })
      await createRun(store, other.id, T0 + 6000)
      expect(await search.ids(null)).toEqual(['CLS-2', 'CLS-1'])
      expect(await search.ids(null, { kinds: ['model'] })).toEqual(['CLS-MOD'])
      expect(await search.ids(null, { kinds: ['run', 'model'] })).toEqual([
        'CLS-MOD',
        'CLS-2',
        'CLS-1',
      ])
      expect(await search.ids(null, { kinds: ['project'] })).toHaveLength(1)
      expect(await search.run(null, { kinds: [] })).toEqual({ total: 0, rows: [] })
      expect(await searcher(store, other.id).ids(null)).toEqual(['OTH-1'])
      expect(
        await store.search.query(
          'no-such-project',
          { kinds: ['run'], query: null, limit: 10, offset: 0 },
          { now: NOW },
        ),
      ).toEqual({ total: 0, rows: [] })
      await store.close()
    })

    it('leaves trashed objects out unless asked for or the query mentions sys/trashed', async () => {
      const { store, project, runs, search } = await setup(3)
      await store.objects.trash(project.id, [runs[1]!.id], NOW)
      expect(await search.ids(null)).toEqual(['CLS-3', 'CLS-1'])
      expect(await search.ids(null, { includeTrashed: true })).toEqual(['CLS-3', 'CLS-2', 'CLS-1'])
      expect(await search.ids('`sys/trashed`:bool = true')).toEqual(['CLS-2'])
      expect(await search.ids('`sys/trashed`:bool = false')).toEqual(['CLS-3', 'CLS-1'])
      expect(await search.ids('`sys/id`:string != "CLS-3" OR `sys/trashed`:bool = true')).toEqual([
        'CLS-2',
        'CLS-1',
      ])
      expect((await search.run(null, { includeTrashed: true })).total).toBe(3)
      await store.close()
    })

    it('counts only objects in scope whichever way the page is read', async () => {
      const { store, project, runs, search } = await setup(12)
      const { object: model } = await store.objects.create({
        projectId: project.id,
        kind: 'model',
        owner: 'alice',
        now: T0,
        modelKey: 'MOD',
      })
      for (const [index, object] of [...runs, model].entries()) {
        await write(
          store,
          object.id,
          [
            { op: 'assignFloat', path: 'x', value: index },
            { op: 'addStrings', path: 'sys/tags', values: ['t'] },
          ],
          NOW,
        )
      }
      await store.objects.trash(project.id, [runs[0]!.id, runs[5]!.id], NOW)
      const sort = { path: 'x', direction: 'desc' } as const
      for (const query of [
        '`x`:float >= 0',
        '`sys/tags`:stringSet CONTAINS "t"',
        '`x`:float >= 0 AND `sys/tags`:stringSet CONTAINS "t"',
        '`x`:float >= 0 AND `sys/id` != "CLS-3"',
      ]) {
        const expected = query.includes('CLS-3') ? 9 : 10
        for (const limit of [1, 3, 50]) {
          const result = await search.run(query, { sort, limit })
          expect({ query, limit, total: result.total }).toEqual({ query, limit, total: expected })
          expect(result.rows[0]?.object.shortId).toBe('CLS-12')
        }
        expect((await search.run(query, { sort, limit: 0 })).total).toBe(expected)
        expect(
          (await search.run(query, { sort, limit: 2, offset: 8 })).rows.map(
            (row) => row.object.shortId,
          ),
        ).toEqual(expected === 10 ? ['CLS-3', 'CLS-2'] : ['CLS-2'])
        expect((await search.run(query, { sort, includeTrashed: true, limit: 1 })).total).toBe(
          expected + 2,
        )
        expect((await search.run(query, { sort, kinds: ['run', 'model'], limit: 1 })).total).toBe(
          expected + 1,
        )
        expect(
          (
            await search.run(query, {
              sort: { path: 'sys/creation_time', direction: 'desc' },
              limit: 1,
            })
          ).total,
        ).toBe(expected)
      }
      await store.close()
    })

    it('filters on the sys fields kept as object columns', async () => {
      const { store, project, search } = await setup()
      const a = await createRun(store, project.id, T0 + 1000, { customRunId: 'exp-a' })
      const b = await createRun(store, project.id, T0 + 2000)
      await store.objects.markInactive(T0 + 1500)
      await store.objects.ping(b.id, T0 + 9000)
      await write(
        store,
        a.id,
        [{ op: 'assignString', path: 'notes', value: 'x'.repeat(100) }],
        T0 + 3000,
      )

      expect(await search.set('`sys/id`:string = "CLS-1"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/id` CONTAINS "S-2"')).toEqual(['CLS-2'])
      expect(await search.set('`sys/custom_run_id`:string = "exp-a"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/custom_run_id` EXISTS')).toEqual(['CLS-1'])
      expect(await search.set('`sys/custom_run_id` != "exp-a"')).toEqual(['CLS-2'])
      expect(await search.set('`sys/creation_time`:datetime > "2026-01-01T00:00:01.500Z"')).toEqual(
        ['CLS-2'],
      )
      expect(await search.set(`\`sys/creation_time\`:datetime <= ${T0 + 1000}`)).toEqual(['CLS-1'])
      expect(await search.set('`sys/creation_time` >= "2026-01-01T00:00:01"')).toEqual([
        'CLS-1',
        'CLS-2',
      ])
      expect(
        await search.set('`sys/modification_time`:datetime >= "2026-01-01T00:00:03Z"'),
      ).toEqual(['CLS-1'])
      expect(await search.set('`sys/ping_time`:datetime > "2026-01-01T00:00:05Z"')).toEqual([
        'CLS-2',
      ])
      expect(await search.set('`sys/state`:experimentState = running')).toEqual(['CLS-2'])
      expect(await search.set('`sys/state`:runState = active')).toEqual(['CLS-2'])
      expect(await search.set('`sys/state` = idle')).toEqual(['CLS-1'])
      expect(await search.set('`sys/state`:experimentState != "Running"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/owner`:string = "alice"')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`sys/size`:float > 50')).toEqual(['CLS-1'])
      expect(await search.set('`sys/size`:int > 50.5')).toEqual(['CLS-1'])
      expect(
        await search.set('`sys/running_time`:float >= 0 AND `sys/monitoring_time`:int >= 0'),
      ).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`sys/running_time` > 5')).toEqual(['CLS-2'])
      // A type other than the column's matches nothing; its negation matches everything.
      expect(await search.set('`sys/id`:float = 1')).toEqual([])
      expect(await search.set('NOT `sys/id`:float = 1')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`sys/visibility` EXISTS')).toEqual([])
      const projectRows = await search.ids('`sys/visibility`:string = "private"', {
        kinds: ['project'],
      })
      expect(projectRows).toHaveLength(1)
      await store.close()
    })

    it('treats a path no object has as false and its negated forms as true', async () => {
      const { store, search } = await setup(2)
      expect(await search.set('`nothing/here`:float > 1')).toEqual([])
      expect(await search.set('`nothing/here` EXISTS')).toEqual([])
      expect(await search.set('`nothing/here` NOT EXISTS')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`nothing/here`:float != 1')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`nothing/here`:stringSet NOT CONTAINS "x"')).toEqual([
        'CLS-1',
        'CLS-2',
      ])
      expect(await search.set('NOT (`nothing/here`:string MATCHES "x")')).toEqual([
        'CLS-1',
        'CLS-2',
      ])
      expect(await search.set('`nothing/here`:float > 1 OR `sys/id` = "CLS-1"')).toEqual(['CLS-1'])
      // Errors in the query are reported even for paths that do not exist.
      await expectQueryError(search, '`nothing/here`:stringSet > 1', 0)
      await store.close()
    })

    it('compares int and float fields as numbers; a :float condition matches int fields', async () => {
      const { store, runs, search } = await setup(4)
      await write(store, runs[0]!.id, [{ op: 'assignFloat', path: 'x', value: 1.5 }], NOW)
      await write(store, runs[1]!.id, [{ op: 'assignInt', path: 'x', value: 2 }], NOW)
      await write(store, runs[2]!.id, [{ op: 'assignString', path: 'x', value: '3' }], NOW)
      expect(await search.set('`x`:float > 1')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`x`:int >= 2')).toEqual(['CLS-2'])
      expect(await search.set('`x`:float = 2')).toEqual(['CLS-2'])
      expect(await search.set('`x`:int < 2')).toEqual(['CLS-1'])
      expect(await search.set('`x`:float = "1.5"')).toEqual(['CLS-1'])
      expect(await search.set('x > 1')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('x = 2')).toEqual(['CLS-2'])
      expect(await search.set('x = "3"')).toEqual(['CLS-3'])
      expect(await search.set('`x`:string = "3"')).toEqual(['CLS-3'])
      expect(await search.set('`x`:float != 2')).toEqual(['CLS-1', 'CLS-3', 'CLS-4'])
      await store.close()
    })

    it('compares bools, datetimes and strings', async () => {
      const { store, runs, search } = await setup(3)
      const [a, b, c] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]]
      await write(
        store,
        a.id,
        [
          { op: 'assignBool', path: 'flag', value: true },
          { op: 'assignDatetime', path: 'when', value: '2026-03-05T12:00:00.000Z' },
          { op: 'assignString', path: 'name', value: 'alpha' },
        ],
        NOW,
      )
      await write(
        store,
        b.id,
        [
          { op: 'assignBool', path: 'flag', value: false },
          { op: 'assignDatetime', path: 'when', value: '2026-03-06T00:00:00.000Z' },
          { op: 'assignString', path: 'name', value: 'beta' },
        ],
        NOW,
      )
      await write(store, c.id, [{ op: 'assignString', path: 'when', value: '2026-03-05' }], NOW)

      expect(await search.set('`flag`:bool = true')).toEqual(['CLS-1'])
      expect(await search.set('`flag`:bool = False')).toEqual(['CLS-2'])
      expect(await search.set('`flag`:bool = "true"')).toEqual(['CLS-1'])
      expect(await search.set('flag = true')).toEqual(['CLS-1'])
      expect(await search.set('flag = false')).toEqual(['CLS-2'])
      expect(await search.set('flag != true')).toEqual(['CLS-2', 'CLS-3'])

      expect(await search.set('`when`:datetime > "2026-03-05T12:00:00Z"')).toEqual(['CLS-2'])
      expect(await search.set('`when`:datetime >= "2026-03-05T12:00:00Z"')).toEqual([
        'CLS-1',
        'CLS-2',
      ])
      expect(await search.set('`when`:datetime < "2026-03-05T15:00:00+02:00"')).toEqual(['CLS-1'])
      expect(await search.set('`when`:datetime = "2026-03-06"')).toEqual(['CLS-2'])
      expect(await search.set(`\`when\`:datetime = ${Date.parse('2026-03-05T12:00:00Z')}`)).toEqual(
        ['CLS-1'],
      )
      const epoch = Date.parse('2026-03-05T12:00:00Z')
      expect(await search.set(`\`when\`:datetime <= "${epoch}"`)).toEqual(['CLS-1'])
      // Untyped: an ISO date compares with datetime fields as time and with strings as text.
      expect(await search.set('when >= "2026-03-05"')).toEqual(['CLS-1', 'CLS-2', 'CLS-3'])
      expect(await search.set('when > "2026-03-05"')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set(`when < ${Date.parse('2026-03-06T00:00:00Z')}`)).toEqual(['CLS-1'])

      expect(await search.set('`name`:string = "beta"')).toEqual(['CLS-2'])
      expect(await search.set('`name`:string < "b"')).toEqual(['CLS-1'])
      expect(await search.set('name >= "alpha"')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('name = beta')).toEqual(['CLS-2'])
      await store.close()
    })

    it('finds NaN and infinities by none of the comparisons, and by their negations', async () => {
      const { store, runs, search } = await setup(4)
      await write(store, runs[0]!.id, [{ op: 'assignFloat', path: 'v', value: 'NaN' }], NOW)
      await write(store, runs[1]!.id, [{ op: 'assignFloat', path: 'v', value: 'Infinity' }], NOW)
      await write(store, runs[2]!.id, [{ op: 'assignFloat', path: 'v', value: '-Infinity' }], NOW)
      await write(store, runs[3]!.id, [{ op: 'assignFloat', path: 'v', value: 1 }], NOW)
      expect(await search.set('`v`:float > 0')).toEqual(['CLS-4'])
      expect(await search.set('`v`:float < 0')).toEqual([])
      expect(await search.set('`v`:float = 1')).toEqual(['CLS-4'])
      expect(await search.set('`v`:float != 1')).toEqual(['CLS-1', 'CLS-2', 'CLS-3'])
      expect(await search.set('v = "NaN"')).toEqual([])
      expect(await search.set('`v` EXISTS')).toEqual(['CLS-1', 'CLS-2', 'CLS-3', 'CLS-4'])
      // Sorting puts them with the objects that lack a value: last.
      expect(await search.ids(null, { sort: { path: 'v', direction: 'desc' } })).toEqual([
        'CLS-4',
        'CLS-3',
        'CLS-2',
        'CLS-1',
      ])
      await expectQueryError(search, '`v`:float > "Infinity"', 0)
      await store.close()
    })

    it('matches string sets with CONTAINS and NOT CONTAINS', async () => {
      const { store, runs, search } = await setup(3)
      await write(
        store,
        runs[0]!.id,
        [{ op: 'addStrings', path: 'sys/tags', values: ['prod', 'resnet'] }],
        NOW,
      )
      await write(
        store,
        runs[1]!.id,
        [{ op: 'addStrings', path: 'sys/tags', values: ['dev'] }],
        NOW,
      )
      expect(await search.set('`sys/tags`:stringSet CONTAINS "prod"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/tags`:stringSet CONTAINS "pro"')).toEqual([])
      expect(await search.set('`sys/tags`:stringSet NOT CONTAINS "prod"')).toEqual([
        'CLS-2',
        'CLS-3',
      ])
      expect(await search.set('`sys/tags` CONTAINS "dev"')).toEqual(['CLS-2'])
      expect(
        await search.set(
          '(`sys/tags`:stringSet CONTAINS "prod") AND (`sys/tags`:stringSet CONTAINS "resnet")',
        ),
      ).toEqual(['CLS-1'])
      expect(
        await search.set(
          '`sys/tags`:stringSet CONTAINS "prod" OR `sys/tags`:stringSet CONTAINS "dev"',
        ),
      ).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`sys/group_tags`:stringSet CONTAINS "prod"')).toEqual([])
      await store.close()
    })

    it('matches strings with CONTAINS as a case-sensitive substring, % and _ taken literally', async () => {
      const { store, runs, search } = await setup(4)
      const names = ['ResNet-50', 'resnet_18', '100% done', 'plain']
      for (const [index, run] of runs.entries()) {
        await write(
          store,
          run.id,
          [{ op: 'assignString', path: 'sys/name', value: names[index]! }],
          NOW,
        )
      }
      expect(await search.set('`sys/name`:string CONTAINS "Net"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/name`:string CONTAINS "net"')).toEqual(['CLS-2'])
      expect(await search.set('`sys/name`:string CONTAINS "_"')).toEqual(['CLS-2'])
      expect(await search.set('`sys/name`:string CONTAINS "%"')).toEqual(['CLS-3'])
      expect(await search.set('`sys/name`:string CONTAINS "0% d"')).toEqual(['CLS-3'])
      expect(await search.set('`sys/name` CONTAINS "-5"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/name`:string NOT CONTAINS "e"')).toEqual(['CLS-4'])
      await store.close()
    })

    it('matches strings with MATCHES as an unanchored regular expression', async () => {
      const { store, runs, search } = await setup(3)
      const names = ['resnet-50', 'my-resnet', 'vit']
      for (const [index, run] of runs.entries()) {
        await write(
          store,
          run.id,
          [{ op: 'assignString', path: 'sys/name', value: names[index]! }],
          NOW,
        )
      }
      expect(await search.set('`sys/name`:string MATCHES "^resnet"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/name`:string MATCHES "resnet"')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('`sys/name`:string MATCHES "-[0-9]+$"')).toEqual(['CLS-1'])
      expect(await search.set('`sys/name` NOT MATCHES "res"')).toEqual(['CLS-3'])
      expect(await search.set('`sys/id`:string MATCHES "^CLS-[12]$"')).toEqual(['CLS-1', 'CLS-2'])
      const unclosed = q('a = 1 AND `sys/name`:string MATCHES "x"') as Extract<
        NqlExpr,
        { kind: 'and' }
      >
      const bad = {
        ...unclosed.items[1]!,
        value: { kind: 'string', value: '(unclosed' },
      } as NqlExpr
      await expectQueryError(search, { kind: 'and', items: [unclosed.items[0]!, bad] }, 10)
      await store.close()
    })

    it('tests presence with EXISTS and NOT EXISTS', async () => {
      const { store, runs, search } = await setup(3)
      await write(store, runs[0]!.id, [{ op: 'assignFloat', path: 'x', value: 1 }], NOW)
      await write(store, runs[1]!.id, [{ op: 'appendFloats', path: 'x2', values: [1] }], NOW)
      expect(await search.set('`x` EXISTS')).toEqual(['CLS-1'])
      expect(await search.set('`x`:float EXISTS')).toEqual(['CLS-1'])
      expect(await search.set('`x`:string EXISTS')).toEqual([])
      expect(await search.set('`x` NOT EXISTS')).toEqual(['CLS-2', 'CLS-3'])
      expect(await search.set('`x2`:floatSeries EXISTS')).toEqual(['CLS-2'])
      expect(await search.set('`sys/name` EXISTS')).toEqual(['CLS-1', 'CLS-2', 'CLS-3'])
      expect(await search.set('`sys/id` NOT EXISTS')).toEqual([])
      await store.close()
    })

    it('lets !=, NOT CONTAINS and NOT MATCHES match objects that lack the field', async () => {
      const { store, runs, search } = await setup(3)
      await write(store, runs[0]!.id, [{ op: 'assignString', path: 's', value: 'abc' }], NOW)
      await write(store, runs[1]!.id, [{ op: 'assignString', path: 's', value: 'xyz' }], NOW)
      expect(await search.set('`s`:string != "abc"')).toEqual(['CLS-2', 'CLS-3'])
      expect(await search.set('`s`:string NOT CONTAINS "b"')).toEqual(['CLS-2', 'CLS-3'])
      expect(await search.set('`s`:string NOT MATCHES "^x"')).toEqual(['CLS-1', 'CLS-3'])
      expect(await search.set('NOT `s`:string = "abc"')).toEqual(['CLS-2', 'CLS-3'])
      await store.close()
    })

    it('combines conditions with AND, OR and NOT', async () => {
      const { store, runs, search } = await setup(4)
      for (const [index, run] of runs.entries()) {
        await write(store, run.id, [{ op: 'assignInt', path: 'n', value: index + 1 }], NOW)
      }
      expect(await search.set('n > 1 AND n < 4')).toEqual(['CLS-2', 'CLS-3'])
      expect(await search.set('n = 1 OR n = 4')).toEqual(['CLS-1', 'CLS-4'])
      expect(await search.set('NOT (n = 1 OR n = 4)')).toEqual(['CLS-2', 'CLS-3'])
      expect(await search.set('(n = 1 OR n = 2) AND NOT n = 2')).toEqual(['CLS-1'])
      expect(await search.set('n >= 2 AND (n = 3 OR `sys/id` = "CLS-4") AND n != 4')).toEqual([
        'CLS-3',
      ])
      expect(await search.set('')).toEqual(['CLS-1', 'CLS-2', 'CLS-3', 'CLS-4'])
      await store.close()
    })

    it('filters float series by last, min, max, average and variance', async () => {
      const { store, runs, search } = await setup(3)
      await write(
        store,
        runs[0]!.id,
        [{ op: 'appendFloats', path: 'loss', values: [4, 2, 3] }],
        NOW,
      )
      await write(
        store,
        runs[1]!.id,
        [{ op: 'appendFloats', path: 'loss', values: [1, 'NaN', 5] }],
        NOW,
      )
      await write(
        store,
        runs[2]!.id,
        [{ op: 'appendFloats', path: 'loss', values: [2, 2, 'NaN'] }],
        NOW,
      )
      expect(await search.set('`loss`:floatSeries > 2.5')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('last(`loss`:floatSeries) = 3')).toEqual(['CLS-1'])
      expect(await search.set('loss < 4')).toEqual(['CLS-1'])
      expect(await search.set('min(`loss`:floatSeries) <= 1')).toEqual(['CLS-2'])
      expect(await search.set('max(loss) >= 4')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('average(`loss`:floatSeries) = 3')).toEqual(['CLS-1', 'CLS-2'])
      expect(await search.set('variance(loss) = 0')).toEqual(['CLS-3'])
      expect(await search.set('variance(loss) > 3')).toEqual(['CLS-2'])
      expect(await search.set('NOT min(loss) > 1')).toEqual(['CLS-2'])
      await store.close()
    })

    it('filters string series by their last value and git refs by commit', async () => {
      const { store, runs, search } = await setup(2)
      await write(
        store,
        runs[0]!.id,
        [
          { op: 'appendStrings', path: 'log', values: ['start', 'epoch 1 done'] },
          { op: 'assignGitRef', path: 'source_code/git', commitId: 'abc123', branch: 'main' },
        ],
        NOW,
      )
      await write(
        store,
        runs[1]!.id,
        [{ op: 'appendStrings', path: 'log', values: ['failed'] }],
        NOW,
      )
      expect(await search.set('`log`:stringSeries CONTAINS "done"')).toEqual(['CLS-1'])
      expect(await search.set('last(log) = "failed"')).toEqual(['CLS-2'])
      expect(await search.set('log = "failed"')).toEqual(['CLS-2'])
      expect(await search.set('`source_code/git`:gitRef = "abc123"')).toEqual(['CLS-1'])
      expect(await search.set('`source_code/git`:gitRef MATCHES "^abc"')).toEqual(['CLS-1'])
      await store.close()
    })

    it('rejects conditions that do not fit the field type, with the condition position', async () => {
      const { store, runs, search } = await setup(1)
      await write(store, runs[0]!.id, [{ op: 'addStrings', path: 'sys/tags', values: ['a'] }], NOW)
      await expectQueryError(search, '`sys/tags`:stringSet > "a"', 0)
      await expectQueryError(search, 'x = 1 AND `sys/tags`:stringSet = "a"', 10)
      await expectQueryError(search, '`lr`:float CONTAINS "1"', 0)
      await expectQueryError(search, '(`lr`:float > 1) OR (`lr`:float MATCHES "1")', 21)
      await expectQueryError(search, '`lr`:float > "high"', 0)
      await expectQueryError(search, '`flag`:bool > 1', 0)
      await expectQueryError(search, '`flag`:bool = 3', 0)
      await expectQueryError(search, '`when`:datetime > "yesterday"', 0)
      await expectQueryError(search, '`sys/state`:experimentState = sleeping', 0)
      await expectQueryError(search, '`sys/state` > running', 0)
      await expectQueryError(search, '`sys/creation_time` CONTAINS "2026"', 0)
      await expectQueryError(search, '`images`:fileSeries = "x"', 0)
      await expectQueryError(search, 'NOT `src`:fileSet CONTAINS "a"', 4)
      const number = { kind: 'number', value: 1, raw: '1' } as const
      await expectQueryError(
        search,
        {
          kind: 'condition',
          field: { path: 'log', type: 'stringSeries', aggregate: 'min' },
          operator: '>',
          value: number,
          position: 7,
        },
        7,
      )
      await expectQueryError(
        search,
        {
          kind: 'condition',
          field: { path: 'x' },
          operator: '>',
          value: { kind: 'bool', value: true },
          position: 3,
        },
        3,
      )
      await expectQueryError(
        search,
        { kind: 'condition', field: { path: 'x', type: 'float' }, operator: '>', position: 5 },
        5,
      )
      await expectQueryError(search, 'x < "abc" AND min(`sys/id`) > 1', 14)
      await expectQueryError(search, '`sys/trashed`:bool > 1', 0)
      const error = await search
        .run('`sys/tags`:stringSet > "a"')
        .catch((caught: unknown) => caught)
      expect(error).toMatchObject({
        name: 'ValidationError',
        statusCode: 400,
        details: { path: 'sys/tags' },
      })
      await store.close()
    })

    it('sorts by a field with objects that lack it last in both directions, ties by creation time', async () => {
      const { store, runs, search } = await setup(5)
      const values = [2, 1, null, 2, 3]
      for (const [index, run] of runs.entries()) {
        const value = values[index]
        if (value !== null && value !== undefined)
          await write(store, run.id, [{ op: 'assignFloat', path: 'score', value }], NOW)
      }
      expect(await search.ids(null, { sort: { path: 'score', direction: 'desc' } })).toEqual([
        'CLS-5',
        'CLS-4',
        'CLS-1',
        'CLS-2',
        'CLS-3',
      ])
      expect(await search.ids(null, { sort: { path: 'score', direction: 'asc' } })).toEqual([
        'CLS-2',
        'CLS-1',
        'CLS-4',
        'CLS-5',
        'CLS-3',
      ])
      expect(await search.ids('score >= 2', { sort: { path: 'score', direction: 'asc' } })).toEqual(
        ['CLS-1', 'CLS-4', 'CLS-5'],
      )
      expect(await search.ids(null, { sort: { path: 'no/such', direction: 'asc' } })).toEqual([
        'CLS-1',
        'CLS-2',
        'CLS-3',
        'CLS-4',
        'CLS-5',
      ])
      // The default is newest first.
      expect(await search.ids(null)).toEqual(['CLS-5', 'CLS-4', 'CLS-3', 'CLS-2', 'CLS-1'])
      expect(
        await search.ids(null, { sort: { path: 'sys/creation_time', direction: 'asc' } }),
      ).toEqual(['CLS-1', 'CLS-2', 'CLS-3', 'CLS-4', 'CLS-5'])
      await store.close()
    })

    it('sorts by strings, sys columns, series summaries and by the type asked for on mixed paths', async () => {
      const { store, runs, search } = await setup(4)
      const [a, b, c, d] = runs as [
        (typeof runs)[0],
        (typeof runs)[0],
        (typeof runs)[0],
        (typeof runs)[0],
      ]
      await write(
        store,
        a.id,
        [
          { op: 'assignString', path: 'sys/name', value: 'beta' },
          { op: 'appendFloats', path: 'loss', values: [5, 1, 2] },
          { op: 'assignFloat', path: 'mixed', value: 10 },
        ],
        NOW,
      )
      await write(
        store,
        b.id,
        [
          { op: 'assignString', path: 'sys/name', value: 'alpha' },
          { op: 'appendFloats', path: 'loss', values: [0.5, 3] },
          { op: 'assignString', path: 'mixed', value: 'zeta' },
        ],
        NOW,
      )
      await write(
        store,
        c.id,
        [
          { op: 'assignString', path: 'sys/name', value: 'gamma' },
          { op: 'assignInt', path: 'mixed', value: 2 },
        ],
        NOW,
      )
      await write(
        store,
        d.id,
        [
          { op: 'assignString', path: 'sys/name', value: 'Delta' },
          { op: 'appendFloats', path: 'loss', values: ['NaN'] },
          { op: 'assignString', path: 'mixed', value: 'eta' },
        ],
        NOW,
      )
      await store.objects.markInactive(T0 + 2500)

      expect(await search.ids(null, { sort: { path: 'sys/name', direction: 'asc' } })).toEqual([
        'CLS-4',
        'CLS-2',
        'CLS-1',
        'CLS-3',
      ])
      expect(await search.ids(null, { sort: { path: 'sys/id', direction: 'desc' } })).toEqual([
        'CLS-4',
        'CLS-3',
        'CLS-2',
        'CLS-1',
      ])
      expect(await search.ids(null, { sort: { path: 'sys/state', direction: 'asc' } })).toEqual([
        'CLS-3',
        'CLS-4',
        'CLS-1',
        'CLS-2',
      ])
      // last (the default), min, max, average; a series without finite values has none.
      expect(await search.ids(null, { sort: { path: 'loss', direction: 'desc' } })).toEqual([
        'CLS-2',
        'CLS-1',
        'CLS-4',
        'CLS-3',
      ])
      expect(
        await search.ids(null, { sort: { path: 'loss', direction: 'asc', aggregate: 'min' } }),
      ).toEqual(['CLS-2', 'CLS-1', 'CLS-3', 'CLS-4'])
      expect(
        await search.ids(null, { sort: { path: 'loss', direction: 'desc', aggregate: 'max' } }),
      ).toEqual(['CLS-1', 'CLS-2', 'CLS-4', 'CLS-3'])
      expect(
        await search.ids(null, { sort: { path: 'loss', direction: 'asc', aggregate: 'average' } }),
      ).toEqual(['CLS-2', 'CLS-1', 'CLS-3', 'CLS-4'])
      expect(
        await search.ids(null, {
          sort: { path: 'loss', direction: 'desc', aggregate: 'variance' },
        }),
      ).toEqual(['CLS-1', 'CLS-2', 'CLS-4', 'CLS-3'])
      // A path with several types: numbers first, then text, unless a type is asked for.
      expect(await search.ids(null, { sort: { path: 'mixed', direction: 'asc' } })).toEqual([
        'CLS-3',
        'CLS-1',
        'CLS-4',
        'CLS-2',
      ])
      expect(await search.ids(null, { sort: { path: 'mixed', direction: 'desc' } })).toEqual([
        'CLS-1',
        'CLS-3',
        'CLS-2',
        'CLS-4',
      ])
      expect(
        await search.ids(null, { sort: { path: 'mixed', direction: 'asc', type: 'string' } }),
      ).toEqual(['CLS-4', 'CLS-2', 'CLS-1', 'CLS-3'])
      expect(
        await search.ids(null, { sort: { path: 'mixed', direction: 'desc', type: 'float' } }),
      ).toEqual(['CLS-1', 'CLS-3', 'CLS-4', 'CLS-2'])
      expect(
        await search.ids(null, { sort: { path: 'mixed', direction: 'asc', type: 'bool' } }),
      ).toEqual(['CLS-1', 'CLS-2', 'CLS-3', 'CLS-4'])
      await store.close()
    })

    it('pages through a sorted result without gaps or repeats', async () => {
      const { store, runs, search } = await setup(37)
      for (const [index, run] of runs.entries()) {
        if (index % 3 !== 0)
          await write(store, run.id, [{ op: 'assignInt', path: 'bucket', value: index % 4 }], NOW)
      }
      for (const [sort, query] of [
        [{ path: 'bucket', direction: 'desc' }, null],
        [{ path: 'bucket', direction: 'asc' }, null],
        [{ path: 'bucket', direction: 'asc' }, '`sys/id` != "CLS-5"'],
        [{ path: 'bucket', direction: 'desc', type: 'int' }, '`bucket`:int >= 1'],
        [{ path: 'sys/creation_time', direction: 'desc' }, null],
        [{ path: 'sys/name', direction: 'asc' }, null],
      ] as const) {
        const all = await search.ids(query, { sort })
        for (const limit of [1, 4, 7]) {
          const pages: string[] = []
          for (let offset = 0; offset < all.length + limit; offset += limit) {
            const page = await search.run(query, { sort, limit, offset })
            expect(page.total).toBe(all.length)
            pages.push(...page.rows.map((row) => row.object.shortId))
          }
          expect(pages).toEqual(all)
        }
      }
      // 24 runs have a bucket; the 13 without follow, newest first.
      expect(
        await search.ids(null, {
          sort: { path: 'bucket', direction: 'desc' },
          limit: 3,
          offset: 24,
        }),
      ).toEqual(['CLS-37', 'CLS-34', 'CLS-31'])
      expect(
        await search.ids(null, {
          sort: { path: 'bucket', direction: 'desc' },
          limit: 3,
          offset: 26,
        }),
      ).toEqual(['CLS-31', 'CLS-28', 'CLS-25'])
      expect(
        await search.ids(null, {
          sort: { path: 'bucket', direction: 'desc' },
          limit: 3,
          offset: 22,
        }),
      ).toEqual(['CLS-9', 'CLS-5', 'CLS-37'])
      await store.close()
    })

    it('reads every page of a field order alike, with long ties and objects the search leaves out', async () => {
      const { store, project, runs, search } = await setup(160)
      const { object: model } = await store.objects.create({
        projectId: project.id,
        kind: 'model',
        owner: 'alice',
        now: T0,
        modelKey: 'MOD',
      })
      // 100 runs share one key: a tie longer than a deep page looks back over for its start.
      const keyOf = (index: number) => (index % 9 === 8 ? null : index < 100 ? 1 : index % 7)
      for (const [index, run] of runs.entries()) {
        const key = keyOf(index)
        if (key === null) continue
        await write(
          store,
          run.id,
          [
            { op: 'assignFloat', path: 'k', value: key },
            { op: 'assignString', path: 's', value: `v${key}` },
          ],
          NOW,
        )
      }
      await write(
        store,
        model.id,
        [
          { op: 'assignFloat', path: 'k', value: 3 },
          { op: 'assignString', path: 's', value: 'v3' },
        ],
        NOW,
      )
      const trashed = new Set([3, 101, 120, 125])
      await store.objects.trash(
        project.id,
        [...trashed].map((index) => runs[index]!.id),
        NOW,
      )

      for (const includeTrashed of [false, true]) {
        for (const [path, direction] of [
          ['k', 'desc'],
          ['k', 'asc'],
          ['s', 'asc'],
        ] as const) {
          const sign = direction === 'desc' ? -1 : 1
          const value = (index: number) => {
            const key = keyOf(index)
            return key === null ? null : path === 'k' ? key : `v${key}`
          }
          const expected = runs
            .map((run, index) => ({ run, index }))
            .filter(({ index }) => includeTrashed || !trashed.has(index))
            .sort((a, b) => {
              const x = value(a.index)
              const y = value(b.index)
              if (x !== y) {
                if (x === null) return 1
                if (y === null) return -1
                return x < y ? -sign : sign
              }
              return (a.run.createdAt - b.run.createdAt) * sign
            })
            .map(({ run }) => run.shortId)
          const sort = { path, direction }
          for (const limit of [7, 50]) {
            const pages: string[] = []
            for (let offset = 0; offset < expected.length + limit; offset += limit) {
              const page = await search.run(null, { sort, limit, offset, includeTrashed })
              expect(page.total).toBe(expected.length)
              pages.push(...page.rows.map((row) => row.object.shortId))
            }
            expect({ path, direction, includeTrashed, limit, pages }).toEqual({
              path,
              direction,
              includeTrashed,
              limit,
              pages: expected,
            })
          }
        }
      }
      await store.close()
    })

    it('validates the limit and the offset', async () => {
      const { store, search } = await setup(1)
      await expect(search.run(null, { limit: -1 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'limit' },
      })
      await expect(search.run(null, { limit: LIMITS.maxSearchLimit + 1 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      await expect(search.run(null, { limit: 1.5 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      await expect(search.run(null, { offset: -1 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { field: 'offset' },
      })
      expect((await search.run(null, { limit: LIMITS.maxSearchLimit })).total).toBe(1)
      await store.close()
    })

    it('matches hostile values literally', async () => {
      const { store, project, runs, search } = await setup(6)
      const long = 'ab%_'.repeat(LIMITS.maxStringLength / 4)
      const values = [
        `'; DROP TABLE objects; --`,
        `it's "quoted" \\ back`,
        'ünïcødé ✓ 🚀 名前',
        long,
        'x'.repeat(20_000),
        '%_%',
      ]
      for (const [index, run] of runs.entries()) {
        await write(
          store,
          run.id,
          [
            { op: 'assignString', path: 'text', value: values[index]! },
            { op: 'addStrings', path: 'sys/tags', values: [values[index]!] },
          ],
          NOW,
        )
      }
      for (const [index, value] of values.entries()) {
        const expected = [`CLS-${index + 1}`]
        const condition = (operator: '=' | 'CONTAINS', type: 'string' | 'stringSet'): NqlExpr => ({
          kind: 'condition',
          field: { path: type === 'string' ? 'text' : 'sys/tags', type },
          operator,
          value: { kind: 'string', value },
          position: 0,
        })
        expect(await search.set(condition('=', 'string'))).toEqual(expected)
        expect(await search.set(condition('CONTAINS', 'stringSet'))).toEqual(expected)
        if (index !== 4) expect(await search.set(condition('CONTAINS', 'string'))).toEqual(expected)
      }
      expect(await search.set('`text`:string = "\'; DROP TABLE objects; --"')).toEqual(['CLS-1'])
      expect(await search.set('`text`:string CONTAINS "DROP TABLE"')).toEqual(['CLS-1'])
      expect(await search.set('`text`:string MATCHES "名前$"')).toEqual(['CLS-3'])
      expect(await search.set('`text`:string CONTAINS "%_%"')).toEqual(['CLS-6'])
      expect(await search.set('`text`:string CONTAINS "%_a"')).toEqual(['CLS-4'])
      expect(await search.set('`text`:string CONTAINS "x"')).toEqual(['CLS-5'])
      expect(
        await search.set({
          kind: 'condition',
          field: { path: `'; DROP TABLE objects; --` },
          operator: 'EXISTS',
          position: 0,
        }),
      ).toEqual([])
      expect(await store.objects.get(project.id, 'CLS-1')).not.toBeNull()
      expect((await search.run(null)).total).toBe(6)
      await store.close()
    })

    it('compiles and runs a query nested 64 levels deep', async () => {
      const { store, runs, search } = await setup(3)
      for (const [index, run] of runs.entries()) {
        await write(store, run.id, [{ op: 'assignInt', path: 'n', value: index }], NOW)
      }
      let text = 'n >= 0'
      for (let depth = 0; depth < LIMITS.maxQueryDepth; depth++)
        text = depth % 2 === 1 ? `(${text} AND n < 2)` : `NOT ${text}`
      expect(await search.set(text)).toEqual(['CLS-1', 'CLS-2'])
      let expr: NqlExpr = q('n = 1')!
      for (let depth = 0; depth < 64; depth++) {
        expr = depth % 2 === 0 ? { kind: 'not', expr } : { kind: 'or', items: [expr, q('n = 5')!] }
      }
      expect(await search.set(expr)).toEqual(['CLS-2'])
      await store.close()
    })

    it('runs a query that joins thousands of conditions, and refuses one too large for a statement', async () => {
      const { store, runs, search } = await setup(3)
      for (const [index, run] of runs.entries()) {
        await write(store, run.id, [{ op: 'assignInt', path: 'n', value: index * 1000 }], NOW)
      }
      const text = Array.from({ length: 3000 }, (_, i) => `n = ${i}`).join(' OR ')
      expect(await search.set(text)).toEqual(['CLS-1', 'CLS-2', 'CLS-3'])
      expect(await search.set(`NOT (${text}) OR n = 2000`)).toEqual(['CLS-3'])
      const ranges = Array.from({ length: 2000 }, (_, i) => `n > ${1500 + i}`).join(' OR ')
      expect(await search.set(ranges)).toEqual(['CLS-3'])
      const mixed = Array.from({ length: 1200 }, (_, i) => `(n = ${i} AND \`sys/id\` != "CLS-1")`)
      expect(await search.set(mixed.join(' OR '))).toEqual(['CLS-2'])
      const huge: NqlExpr = {
        kind: 'or',
        items: Array.from({ length: 40_000 }, (_, i) => ({
          kind: 'condition' as const,
          field: { path: 'n', type: 'int' as const },
          operator: '=' as const,
          value: { kind: 'number' as const, value: i, raw: String(i) },
          position: 0,
        })),
      }
      await expect(search.run(huge)).rejects.toMatchObject({ code: 'NQL_SYNTAX_ERROR' })
      await store.close()
    })

    it('agrees with a brute-force filter and sort over random runs', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const random = seededRandom(20260101)
      const model: ModelRun[] = []
      const tagPool = ['a', 'b', 'c', 'd']
      for (let n = 1; n <= 240; n++) {
        const run = await createRun(store, project.id, T0 + n * 10)
        const fields = new Map<string, ModelValue>()
        const operations: unknown[] = []
        const pick = (chance: number) => random() < chance
        if (pick(0.85)) {
          const value = pick(0.05) ? 'NaN' : Math.round(random() * 20) / 10
          operations.push({ op: 'assignFloat', path: 'p/a', value })
          fields.set('p/a', { type: 'float', value: value === 'NaN' ? Number.NaN : value })
        }
        if (pick(0.7)) {
          const value = Math.floor(random() * 10)
          operations.push({ op: 'assignInt', path: 'p/b', value })
          fields.set('p/b', { type: 'int', value })
        }
        if (pick(0.7)) {
          const value = `value-${Math.floor(random() * 12)}`
          operations.push({ op: 'assignString', path: 'p/c', value })
          fields.set('p/c', { type: 'string', value })
        }
        if (pick(0.6)) {
          const value = pick(0.5)
          operations.push({ op: 'assignBool', path: 'p/d', value })
          fields.set('p/d', { type: 'bool', value: value ? 1 : 0 })
        }
        if (pick(0.6)) {
          const asNumber = pick(0.5)
          const value = asNumber ? Math.floor(random() * 5) : `m${Math.floor(random() * 5)}`
          operations.push(
            asNumber
              ? { op: 'assignFloat', path: 'p/mixed', value }
              : { op: 'assignString', path: 'p/mixed', value },
          )
          fields.set(
            'p/mixed',
            asNumber
              ? { type: 'float', value: value as number }
              : { type: 'string', value: value as string },
          )
        }
        const tags = tagPool.filter(() => pick(0.4))
        if (tags.length > 0) operations.push({ op: 'addStrings', path: 'sys/tags', values: tags })
        let series: number[] = []
        if (pick(0.6)) {
          series = Array.from(
            { length: 1 + Math.floor(random() * 4) },
            () => Math.round(random() * 100) / 10,
          )
          operations.push({ op: 'appendFloats', path: 'm/loss', values: series })
        }
        if (operations.length > 0) await write(store, run.id, operations, NOW)
        model.push({
          shortId: run.shortId,
          createdAt: run.createdAt,
          fields,
          tags: new Set(tags),
          series,
        })
      }
      const search = searcher(store, project.id)

      const queries = [
        '`p/a`:float > 1',
        '`p/a`:float <= 0.5 OR `p/b`:int = 3',
        '`p/a`:float != 1',
        'NOT `p/a`:float >= 1 AND `p/c`:string = "value-3"',
        '`p/b`:int > 4 AND `sys/tags`:stringSet CONTAINS "a"',
        '`sys/tags`:stringSet NOT CONTAINS "b" AND `p/d`:bool = true',
        '`p/c`:string CONTAINS "-1"',
        '`p/c`:string MATCHES "^value-[0-3]$" OR `p/d` NOT EXISTS',
        'p/mixed > 2',
        'p/mixed = "m1" OR p/mixed = 1',
        '`p/mixed`:float < 3 AND `p/a` EXISTS',
        'last(`m/loss`:floatSeries) > 5',
        'min(`m/loss`:floatSeries) < 2 AND max(`m/loss`:floatSeries) > 8',
        'average(m/loss) >= 5',
        '`sys/id`:string > "CLS-2" AND (`p/b`:int < 3 OR `sys/tags`:stringSet CONTAINS "d")',
        '`sys/creation_time`:datetime > "2026-01-01T00:00:01Z"',
      ]
      for (const text of queries) {
        const expr = q(text)
        const expected = model
          .filter((run) => evaluate(expr, run))
          .map((run) => run.shortId)
          .sort(byNumber)
        expect({ query: text, ids: await search.set(text) }).toEqual({ query: text, ids: expected })
      }

      const sorts: {
        path: string
        direction: 'asc' | 'desc'
        key: (run: ModelRun) => number | string | null
      }[] = [
        { path: 'p/a', direction: 'desc', key: (run) => finiteNumber(run.fields.get('p/a')) },
        { path: 'p/a', direction: 'asc', key: (run) => finiteNumber(run.fields.get('p/a')) },
        { path: 'p/c', direction: 'asc', key: (run) => text(run.fields.get('p/c')) },
        { path: 'm/loss', direction: 'desc', key: (run) => run.series.at(-1) ?? null },
      ]
      for (const sort of sorts) {
        for (const text of [null, '`p/b`:int >= 5', '`sys/tags`:stringSet CONTAINS "c"']) {
          const expr = text === null ? null : q(text)
          const expected = model
            .filter((run) => evaluate(expr, run))
            .sort((x, y) => compareRuns(x, y, sort.key, sort.direction))
            .map((run) => run.shortId)
          const pages: string[] = []
          for (let offset = 0; offset < expected.length; offset += 25) {
            const page = await search.run(text, {
              sort: { path: sort.path, direction: sort.direction },
              limit: 25,
              offset,
            })
            expect(page.total).toBe(expected.length)
            pages.push(...page.rows.map((row) => row.object.shortId))
          }
          expect({ sort: `${sort.path} ${sort.direction}`, query: text, ids: pages }).toEqual({
            sort: `${sort.path} ${sort.direction}`,
            query: text,
            ids: expected,
          })
        }
      }
      await store.close()
    })
  })
}

// BRUTE FORCE MODEL

type ModelValue =
  { type: 'float' | 'int' | 'bool'; value: number } | { type: 'string'; value: string }

interface ModelRun {
  shortId: string
  createdAt: number
  fields: Map<string, ModelValue>
  tags: Set<string>
  series: number[]
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function finiteNumber(value: ModelValue | undefined): number | null {
  return value !== undefined && value.type !== 'string' && Number.isFinite(value.value)
    ? value.value
    : null
}

function text(value: ModelValue | undefined): string | null {
  return value?.type === 'string' ? value.value : null
}

function compareRuns(
  x: ModelRun,
  y: ModelRun,
  key: (run: ModelRun) => number | string | null,
  direction: 'asc' | 'desc',
): number {
  const a = key(x)
  const b = key(y)
  if (a === null || b === null) {
    if (a !== b) return a === null ? 1 : -1
  } else if (a !== b) {
    return (a < b ? -1 : 1) * (direction === 'asc' ? 1 : -1)
  }
  return (x.createdAt - y.createdAt) * (direction === 'asc' ? 1 : -1)
}

/** The semantics of docs/nql.md, for the subset the random queries use, evaluated in memory. */
function evaluate(expr: NqlExpr | null, run: ModelRun): boolean {
  if (expr === null) return true
  switch (expr.kind) {
    case 'and':
      return expr.items.every((item) => evaluate(item, run))
    case 'or':
      return expr.items.some((item) => evaluate(item, run))
    case 'not':
      return !evaluate(expr.expr, run)
    case 'condition':
      break
  }
  const negated: Record<string, string> = {
    '!=': '=',
    'NOT CONTAINS': 'CONTAINS',
    'NOT MATCHES': 'MATCHES',
    'NOT EXISTS': 'EXISTS',
  }
  const operator = negated[expr.operator] ?? expr.operator
  const positive = evaluatePositive(expr.field, operator, expr.value, run)
  return negated[expr.operator] === undefined ? positive : !positive
}

function evaluatePositive(
  field: NonNullable<Extract<NqlExpr, { kind: 'condition' }>['field']>,
  operator: string,
  value: Extract<NqlExpr, { kind: 'condition' }>['value'],
  run: ModelRun,
): boolean {
  const compare = (a: number | string, b: number | string): boolean => {
    switch (operator) {
      case '=':
        return a === b
      case '<':
        return a < b
      case '<=':
        return a <= b
      case '>':
        return a > b
      case '>=':
        return a >= b
      default:
        throw new Error(`model cannot compare with ${operator}`)
    }
  }
  const wanted =
    value === undefined
      ? undefined
      : value.kind === 'number' || value.kind === 'bool'
        ? Number(value.value)
        : value.value
  if (field.path === 'sys/id') return compare(run.shortId, wanted as string)
  if (field.path === 'sys/creation_time')
    return compare(run.createdAt, Date.parse(wanted as string))
  if (field.path === 'sys/tags') {
    if (operator === 'CONTAINS') return run.tags.has(wanted as string)
    throw new Error('model: tags only with CONTAINS')
  }
  if (field.path === 'm/loss') {
    const finite = run.series.filter((point) => Number.isFinite(point))
    if (operator === 'EXISTS') return run.series.length > 0
    if (finite.length === 0) return false
    const summary: Record<string, number> = {
      last: run.series.at(-1)!,
      min: Math.min(...finite),
      max: Math.max(...finite),
      average: finite.reduce((sum, point) => sum + point, 0) / finite.length,
    }
    return compare(summary[field.aggregate ?? 'last']!, wanted as number)
  }
  const stored = run.fields.get(field.path)
  if (operator === 'EXISTS') return stored !== undefined
  if (stored === undefined) return false
  const typeMatches =
    field.type === undefined
      ? value?.kind === 'number'
        ? stored.type === 'float' || stored.type === 'int'
        : value?.kind === 'bool'
          ? stored.type === 'bool'
          : stored.type === 'string' || operator === 'CONTAINS' || operator === 'MATCHES'
      : field.type === 'float' || field.type === 'int'
        ? stored.type === 'float' || stored.type === 'int'
        : stored.type === field.type
  if (!typeMatches) return false
  if (operator === 'CONTAINS')
    return stored.type === 'string' && stored.value.includes(wanted as string)
  if (operator === 'MATCHES')
    return stored.type === 'string' && new RegExp(wanted as string).test(stored.value)
  if (stored.type !== 'string' && !Number.isFinite(stored.value)) return false
  return compare(stored.value, wanted as number | string)
}
