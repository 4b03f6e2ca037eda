import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../test-app.js'
import { createRun, neptuneSession, type NeptuneSession } from './neptune-session.js'

describe('Neptune tables and trash', () => {
  let t: TestApp
  let session: NeptuneSession
  const runs: { id: string; shortId: string }[] = []
  beforeAll(async () => {
    t = await createTestApp()
    session = await neptuneSession(t)
    for (const [accuracy, tag] of [
      [0.5, 'a'],
      [0.9, 'b'],
      [0.7, 'b'],
    ] as const) {
      const run = await createRun(session)
      await session.call({
        method: 'POST',
        url: `/api/leaderboard/v1/attributes/operations?experimentId=${run.id}`,
        payload: [
          { path: 'accuracy', assignFloat: { value: accuracy } },
          { path: 'sys/tags', insertStrings: { values: [tag] } },
        ],
      })
      runs.push(run)
    }
  })
  afterAll(async () => {
    await t.close()
  })

  const search = (params: object, type = 'run') =>
    session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/leaderboard/entries/search?projectIdentifier=${session.projectId}&type=${type}`,
      payload: params,
    })

  it('filters with NQL, sorts by a typed column, pages and returns only the asked columns', async () => {
    const response = await search({
      query: { query: '((`accuracy`:float > 0.6) AND (`sys/trashed`:bool = false))' },
      sorting: {
        dir: 'ascending',
        aggregationMode: 'none',
        sortBy: { name: 'accuracy', type: 'float' },
      },
      attributeFilters: [{ path: 'accuracy' }, { path: 'sys/id' }],
      pagination: { limit: 1, offset: 1 },
    })
    const body = response.json() as {
      matchingItemCount: number
      entries: { experimentId: string; attributes: { name: string }[] }[]
    }
    expect(body.matchingItemCount).toBe(2)
    expect(body.entries.map((entry) => entry.experimentId)).toEqual([runs[1]!.id])
    expect(body.entries[0]!.attributes.map((attribute) => attribute.name).sort()).toEqual([
      'accuracy',
      'sys/id',
    ])
  })

  it('answers a syntax error with 400 and the title the client looks for', async () => {
    const response = await search({ query: { query: 'key: float = (-_-)' } })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ title: 'Syntax error' })
  })

  it('lists the types of matching attribute names, system columns included', async () => {
    const response = await session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/leaderboard/attributes/search?projectIdentifier=${session.projectId}&search=creation_time&type=run`,
      payload: {},
    })
    expect(response.json()).toEqual({ entries: [{ name: 'sys/creation_time', type: 'datetime' }] })
  })

  it('trashes by qualified name, hides trashed runs from the default filter and empties the trash', async () => {
    const project = 'team/vision'
    const trashed = await session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/experiments/trash?projectIdentifier=${project}`,
      payload: [`${project}/${runs[0]!.shortId}`, `${project}/VISION-404`],
    })
    expect(trashed.json()).toMatchObject({
      updatedExperimentIdentifiers: [`${project}/${runs[0]!.shortId}`],
      errors: [{ experimentIdentifier: `${project}/VISION-404`, reason: 'NOT_EXISTS' }],
    })
    const visible = await search({ query: { query: '(`sys/trashed`:bool = false)' } })
    expect((visible.json() as { matchingItemCount: number }).matchingItemCount).toBe(2)
    const all = await search({ query: { query: '' } })
    expect((all.json() as { matchingItemCount: number }).matchingItemCount).toBe(3)

    const emptied = await session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/experiments/trash/deleteAll?projectIdentifier=${project}`,
    })
    expect(emptied.json()).toMatchObject({
      updatedExperimentIdentifiers: [`${project}/${runs[0]!.shortId}`],
    })
    expect(await t.store.objects.getById(runs[0]!.id)).toBeNull()
  })

  it('answers trash calls for an unknown project with 404', async () => {
    const response = await session.call({
      method: 'POST',
      url: '/api/leaderboard/v1/experiments/trash?projectIdentifier=team/nothing',
      payload: ['team/nothing/X-1'],
    })
    expect(response.statusCode).toBe(404)
  })
})
