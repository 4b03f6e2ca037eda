import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../test-app.js'
import { attributes, createRun, neptuneSession, type NeptuneSession } from './neptune-session.js'

describe('Neptune containers and operations', () => {
  let t: TestApp
  let session: NeptuneSession
  beforeAll(async () => {
    t = await createTestApp()
    session = await neptuneSession(t)
  })
  afterAll(async () => {
    await t.close()
  })

  const operations = (id: string, body: unknown) =>
    session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/attributes/operations?experimentId=${id}`,
      payload: body as object,
    })

  it('returns the same run for the same custom run id', async () => {
    const first = await createRun(session, { customId: 'job-7' })
    const second = await createRun(session, { customId: 'job-7' })
    expect(second.id).toBe(first.id)
    const listed = await attributes(session, first.id)
    expect(listed.get('sys/custom_run_id')).toMatchObject({
      stringProperties: { value: 'job-7' },
    })
  })

  it('finds a container by UUID and by workspace/project/SYS-ID, and reports a missing one', async () => {
    const run = await createRun(session)
    for (const ref of [run.id, `team/vision/${run.shortId}`]) {
      const response = await session.call({
        method: 'GET',
        url: `/api/leaderboard/v1/experiments?experimentId=${encodeURIComponent(ref)}`,
      })
      expect(response.json()).toMatchObject({
        id: run.id,
        shortId: run.shortId,
        type: 'run',
        organizationName: 'team',
        projectName: 'vision',
        trashed: false,
      })
    }
    const missing = await session.call({
      method: 'GET',
      url: '/api/leaderboard/v1/experiments?experimentId=team/vision/VISION-999',
    })
    expect(missing.statusCode).toBe(404)
    expect(missing.json()).toMatchObject({ errorType: 'EXPERIMENT_NOT_FOUND' })
  })

  it('stores git information given at creation as source_code/git', async () => {
    const run = await createRun(session, {
      gitInfo: {
        commit: { commitId: 'abc123', message: 'fix', commitDate: '2024-01-02T03:04:05.000Z' },
        repositoryDirty: true,
        currentBranch: 'main',
        remotes: ['origin'],
      },
    })
    expect((await attributes(session, run.id)).get('source_code/git')).toMatchObject({
      type: 'gitRef',
      gitRefProperties: {
        commit: { commitId: 'abc123', commitDate: '2024-01-02T03:04:05.000Z' },
        repositoryDirty: true,
      },
    })
  })

  it('creates models with unique keys and numbered versions carrying model id and stage', async () => {
    const model = await session.call({
      method: 'POST',
      url: '/api/leaderboard/v1/experiments',
      payload: { projectIdentifier: session.projectId, type: 'model', key: 'DET' },
    })
    expect(model.json()).toMatchObject({ shortId: 'VISION-DET', type: 'model' })
    const again = await session.call({
      method: 'POST',
      url: '/api/leaderboard/v1/experiments',
      payload: { projectIdentifier: session.projectId, type: 'model', key: 'DET' },
    })
    expect(again.statusCode).toBe(409)
    const version = await createRun(session, {
      type: 'modelVersion',
      parentId: (model.json() as { id: string }).id,
    })
    expect(version.shortId).toBe('VISION-DET-1')
    const listed = await attributes(session, version.id)
    expect(listed.get('sys/model_id')).toMatchObject({ stringProperties: { value: 'VISION-DET' } })
    expect(listed.get('sys/stage')).toMatchObject({ stringProperties: { value: 'none' } })
  })

  it('applies the client operations in order and lists the fields with their properties', async () => {
    const run = await createRun(session)
    const response = await operations(run.id, [
      { path: 'p/f', assignFloat: { value: 0.5 } },
      { path: 'p/i', assignInt: { value: 7 } },
      { path: 'p/b', assignBool: { value: true } },
      { path: 'p/s', assignString: { value: 'x' } },
      { path: 'p/d', assignDatetime: { valueMilliseconds: 1_700_000_000_123 } },
      { path: 'loss', clearFloatSeries: {} },
      {
        path: 'loss',
        logFloats: {
          entries: [
            { value: 3, timestampMilliseconds: 1_700_000_000_000 },
            { value: 1, step: 5, timestampMilliseconds: 1_700_000_000_100 },
          ],
        },
      },
      { path: 'loss', configFloatSeries: { min: 0, max: 10, unit: '%' } },
      {
        path: 'log',
        logStrings: { entries: [{ value: 'hi', step: null, timestampMilliseconds: 1 }] },
      },
      { path: 'sys/tags', insertStrings: { values: ['a', 'b'] } },
      { path: 'sys/tags', removeStrings: { values: ['a'] } },
      { path: 'gone', assignInt: { value: 1 } },
      { path: 'gone', deleteAttribute: {} },
    ])
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual([])
    const listed = await attributes(session, run.id)
    expect(listed.get('p/f')).toMatchObject({ type: 'float', floatProperties: { value: 0.5 } })
    expect(listed.get('p/i')).toMatchObject({ type: 'int', intProperties: { value: 7 } })
    expect(listed.get('p/d')).toMatchObject({
      datetimeProperties: { value: '2023-11-14T22:13:20.123Z' },
    })
    expect(listed.get('loss')).toMatchObject({
      type: 'floatSeries',
      floatSeriesProperties: { last: 1, lastStep: 5, config: { min: 0, max: 10, unit: '%' } },
    })
    expect(listed.get('sys/tags')).toMatchObject({ stringSetProperties: { values: ['b'] } })
    expect(listed.get('sys/state')).toMatchObject({
      type: 'experimentState',
      experimentStateProperties: { value: 'running' },
    })
    expect(listed.has('gone')).toBe(false)

    const page = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/attributes/series/float?experimentId=${run.id}&attribute=loss&limit=1&offset=1`,
    })
    expect(page.json()).toEqual({
      totalItemCount: 2,
      values: [{ step: 5, timestampMillis: 1_700_000_000_100, value: 1 }],
    })
  })

  it('reports bad operations one by one and applies the rest', async () => {
    const run = await createRun(session)
    const response = await operations(run.id, [
      { path: 'x', assignFloat: { value: 1 } },
      { path: 'x', assignString: { value: 'conflict' } },
      { path: 'y', somethingNew: { value: 1 } },
      { path: 'labels', insertStrings: { values: ['a'] } },
      { path: 'sys/id', assignString: { value: 'HACK-1' } },
      { path: 's', logFloats: { entries: [{ value: 1, step: 2, timestampMilliseconds: 1 }] } },
      { path: 's', logFloats: { entries: [{ value: 1, step: 1, timestampMilliseconds: 2 }] } },
      { path: 'z', assignInt: { value: 3 } },
    ])
    expect(response.statusCode).toBe(200)
    const errors = response.json() as { errorType: string; errorDescription: string }[]
    expect(errors).toHaveLength(5)
    expect(errors.map((error) => error.errorType)).toContain('logSeriesValueError')
    expect(errors[1]!.errorDescription).toMatch(/somethingNew/)
    const listed = await attributes(session, run.id)
    expect(listed.get('z')).toMatchObject({ intProperties: { value: 3 } })
    expect(listed.has('labels')).toBe(false)
    expect(listed.get('sys/id')).toMatchObject({ stringProperties: { value: run.shortId } })
  })

  it('refuses writes to a project over its storage limit before applying any', async () => {
    const project = await t.store.projects.get('team', 'vision')
    const run = await createRun(session)
    await t.store.projects.update(project!.id, { storageLimitBytes: 1 })
    try {
      const response = await operations(run.id, [{ path: 'a', assignInt: { value: 1 } }])
      expect(response.statusCode).toBe(422)
      expect(response.json()).toMatchObject({ errorType: 'PROJECT_LIMITS_EXCEEDED' })
      expect((await attributes(session, run.id)).has('a')).toBe(false)
    } finally {
      await t.store.projects.update(project!.id, { storageLimitBytes: null })
    }
  })

  it('records a notebook checkpoint and references it from the run started there', async () => {
    const { notebook } = await t.store.notebooks.ensure({
      projectId: session.projectId,
      name: 'explore.ipynb',
      owner: 'admin',
      now: Date.now(),
    })
    const checkpoint = await session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/notebooks/${notebook.id}/checkpoints2`,
      payload: { path: 'notebooks/explore.ipynb' },
    })
    expect(checkpoint.statusCode).toBe(200)
    const { id: checkpointId } = checkpoint.json() as { id: string }
    const run = await createRun(session, { notebookId: notebook.id, checkpointId })
    const field = await t.store.fields.get(run.id, 'source_code/notebook')
    expect(field?.value).toMatchObject({ notebookId: notebook.id, checkpointId })
    // The client cannot read notebook references, so the attribute list leaves them out.
    expect((await attributes(session, run.id)).has('source_code/notebook')).toBe(false)

    const missing = await session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/notebooks/${run.id}/checkpoints2`,
      payload: { path: 'x.ipynb' },
    })
    expect(missing.statusCode).toBe(404)
  })

  it('lists the project object with the project UUID and exactly its sys fields', async () => {
    const listed = await attributes(session, session.projectId)
    const sys = [...listed.keys()].filter((name) => name.startsWith('sys/')).sort()
    expect(sys).toEqual(
      [
        'creation_time',
        'group_tags',
        'id',
        'modification_time',
        'monitoring_time',
        'name',
        'ping_time',
        'running_time',
        'size',
        'state',
        'tags',
        'visibility',
      ].map((name) => `sys/${name}`),
    )
  })
})
