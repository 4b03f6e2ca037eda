import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'

describe('native API', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(async () => {
    await t.close()
  })

  async function newRun(body: Record<string, unknown> = {}) {
    const response = await t.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'run', ...body },
    })
    expect(response.statusCode).toBe(200)
    return response.json().object as { id: string; shortId: string }
  }

  async function ops(run: string, operations: unknown[], extra: Record<string, unknown> = {}) {
    return t.call({
      method: 'POST',
      url: `${P}/objects/${run}/operations`,
      payload: { operations, ...extra },
    })
  }

  it('answers health without credentials', async () => {
    const response = await t.app.inject({ url: '/api/v1/health' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ status: 'ok' })
  })

  it('serves an OpenAPI document of the native routes', async () => {
    const response = await t.app.inject({ url: '/api/v1/openapi.json' })
    expect(response.statusCode).toBe(200)
    const document = response.json()
    expect(document.openapi).toBe('3.0.3')
    expect(Object.keys(document.paths)).toContain(
      '/api/v1/projects/{workspace}/{project}/objects/{object}/operations',
    )
    expect(Object.keys(document.paths)).toContain('/api/v1/projects/{workspace}/{project}/search')
  })

  it('requires a token and names what is wrong with a bad one', async () => {
    const none = await t.app.inject({ url: `${P}` })
    expect(none.statusCode).toBe(401)
    expect(none.json().error.code).toBe('AUTH_REQUIRED')
    const bad = await t.app.inject({ url: `${P}`, headers: { authorization: 'Bearer nonsense' } })
    expect(bad.statusCode).toBe(401)
    expect(bad.json().error.code).toBe('TOKEN_INVALID')
    const forged = Buffer.from(
      JSON.stringify({ api_address: 'http://x', api_key: 'guess' }),
    ).toString('base64')
    const wrong = await t.app.inject({
      url: `${P}`,
      headers: { authorization: `Bearer ${forged}` },
    })
    expect(wrong.json().error.code).toBe('TOKEN_INVALID')
    // Whether a project exists is not told to a caller whose credentials fail.
    for (const url of [
      '/api/v1/projects/team/nope',
      `${P}/objects/VISION-1/series/buckets?path=m`,
    ]) {
      const unknown = await t.app.inject({ url, headers: { authorization: 'Bearer nonsense' } })
      expect(unknown.statusCode, url).toBe(401)
      expect(unknown.json().error.code, url).toBe('TOKEN_INVALID')
    }
  })

  it('creates, lists and gets projects', async () => {
    const created = await t.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/projects',
      payload: { name: 'nlp-models', description: 'text' },
    })
    expect(created.statusCode).toBe(200)
    expect(created.json()).toMatchObject({
      name: 'nlp-models',
      key: 'NLPMODELS',
      workspace: 'team',
      visibility: 'private',
    })
    const listed = await t.call({ url: '/api/v1/workspaces/team/projects' })
    expect(listed.json().projects.map((p: { name: string }) => p.name)).toEqual([
      'nlp-models',
      'vision',
    ])
    const duplicate = await t.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/projects',
      payload: { name: 'vision' },
    })
    expect(duplicate.statusCode).toBe(409)
    expect(duplicate.json().error.code).toBe('PROJECT_EXISTS')
  })

  it('answers an unknown project or object with a 404 naming it', async () => {
    const project = await t.call({ url: '/api/v1/projects/team/nope' })
    expect(project.statusCode).toBe(404)
    expect(project.json().error).toMatchObject({
      code: 'PROJECT_NOT_FOUND',
      message: expect.stringContaining('team/nope'),
    })
    const object = await t.call({ url: `${P}/objects/VISION-404` })
    expect(object.statusCode).toBe(404)
    expect(object.json().error).toMatchObject({
      code: 'OBJECT_NOT_FOUND',
      message: expect.stringContaining('VISION-404'),
    })
  })

  it('creates runs with readable ids and reuses a custom run id', async () => {
    const a = await newRun({ customRunId: 'ddp-1' })
    const b = await t.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'run', customRunId: 'ddp-1' },
    })
    expect(a.shortId).toBe('VISION-1')
    expect(b.json()).toMatchObject({ created: false, object: { id: a.id } })
  })

  it('creates models and versions', async () => {
    const model = await t.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'model', modelKey: 'RES' },
    })
    expect(model.json().object.shortId).toBe('VISION-RES')
    const version = await t.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'modelVersion', modelId: 'VISION-RES' },
    })
    expect(version.json().object.shortId).toBe('VISION-RES-1')
  })

  it('applies a batch and reports invalid operations one by one', async () => {
    const run = await newRun()
    const response = await ops(run.id, [
      { op: 'assignFloat', path: 'params/lr', value: 0.01 },
      { op: 'assignFloat', path: 'bad//path', value: 1 },
      { op: 'appendFloats', path: 'train/loss', values: [0.9, 0.5, 'NaN'] },
      { op: 'appendFloats', path: 'train/loss', values: [0.4], steps: [1] },
      'not an operation',
    ])
    expect(response.statusCode).toBe(200)
    const codes = response
      .json()
      .results.map((r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code))
    expect(codes).toEqual(['ok', 'PATH_INVALID', 'ok', 'STEP_NOT_INCREASING', 'VALIDATION_FAILED'])
    const field = await t.call({ url: `${P}/objects/${run.shortId}/field?path=train/loss` })
    expect(field.json()).toMatchObject({
      type: 'floatSeries',
      value: { count: 3, last: 'NaN', min: 0.5, max: 0.9 },
    })
  })

  it('applies a retried batch once', async () => {
    const run = await newRun()
    const batch = [{ op: 'appendFloats', path: 'm', values: [1, 2, 3] }]
    const first = await ops(run.id, batch, { writer: 'w1', seq: 1 })
    const retry = await ops(run.id, batch, { writer: 'w1', seq: 1 })
    expect(first.json().acknowledgedSeq).toBe(1)
    expect(retry.json().results).toEqual([{ ok: true, duplicate: true }])
    const page = await t.call({ url: `${P}/objects/${run.id}/series?path=m` })
    expect(page.json().total).toBe(3)
  })

  it('acknowledges no sequence number for a batch sent without a writer', async () => {
    const run = await newRun()
    const answer = await ops(run.id, [{ op: 'assignInt', path: 'epochs', value: 3 }])
    expect(answer.json()).toEqual({ results: [{ ok: true }], acknowledgedSeq: null })
  })

  it('rejects malformed JSON and explains the problem', async () => {
    const run = await newRun()
    const response = await t.call({
      method: 'POST',
      url: `${P}/objects/${run.id}/operations`,
      payload: '{"operations": [',
      headers: { 'content-type': 'application/json' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error.code).toBe('MALFORMED_JSON')
  })

  it('rejects a body over the limit with 413 and the limit', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(17 * 1024 * 1024), kind: 'run' })
    const response = await t.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: huge,
      headers: { 'content-type': 'application/json' },
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().error).toMatchObject({
      code: 'BODY_TOO_LARGE',
      details: { limitBytes: expect.any(Number) },
    })
  })

  it('says which field of a request is invalid', async () => {
    const response = await t.call({
      method: 'POST',
      url: `${P}/objects`,
      payload: { kind: 'experiment' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: expect.stringContaining('kind') },
    })
  })

  it('lists the field tree with types and values', async () => {
    const run = await newRun({ name: 'baseline' })
    await ops(run.id, [
      { op: 'assignInt', path: 'params/epochs', value: 3 },
      { op: 'assignDatetime', path: 'data/at', value: 0 },
      { op: 'addStrings', path: 'sys/tags', values: ['x'] },
    ])
    const response = await t.call({ url: `${P}/objects/${run.id}/fields` })
    const fields = Object.fromEntries(
      response.json().fields.map((f: { path: string }) => [f.path, f]),
    )
    expect(fields['params/epochs']).toEqual({
      path: 'params/epochs',
      type: 'int',
      value: { value: 3 },
    })
    expect(fields['data/at'].value.value).toBe('1970-01-01T00:00:00.000Z')
    expect(fields['sys/name'].value.value).toBe('baseline')
    expect(fields['sys/tags'].value.values).toEqual(['x'])
    expect(fields['sys/state'].value.value).toBe('active')
  })

  it('reads series pages and downsampled buckets', async () => {
    const run = await newRun()
    const values = Array.from({ length: 5000 }, (_, i) => (i === 4321 ? 99 : i % 10))
    await ops(run.id, [{ op: 'appendFloats', path: 'loss', values }])
    const page = await t.call({ url: `${P}/objects/${run.id}/series?path=loss&offset=10&limit=3` })
    expect(page.json()).toMatchObject({
      type: 'floatSeries',
      total: 5000,
      steps: [10, 11, 12],
      values: [0, 1, 2],
    })
    const buckets = await t.call({
      url: `${P}/objects/${run.id}/series/buckets?path=loss&buckets=50`,
    })
    const body = buckets.json()
    expect(body.mode).toBe('buckets')
    expect(body.count.reduce((a: number, b: number) => a + b, 0)).toBe(5000)
    expect(Math.max(...body.max)).toBe(99)
    const missing = await t.call({ url: `${P}/objects/${run.id}/series?path=nope` })
    expect(missing.statusCode).toBe(404)
  })

  it('uploads, dedupes and downloads files', async () => {
    const run = await newRun()
    const content = Buffer.from('hello weights')
    const put = await t.call({
      method: 'PUT',
      url: `${P}/objects/${run.id}/files?path=model/weights&name=weights.pt`,
      payload: content,
    })
    expect(put.statusCode).toBe(200)
    const { hash, size } = put.json()
    expect(size).toBe(content.length)
    const blob = await t.call({
      method: 'POST',
      url: `${P}/blobs`,
      payload: content,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(blob.json().hash).toBe(hash)
    const download = await t.call({ url: `${P}/objects/${run.id}/files?path=model/weights` })
    expect(download.statusCode).toBe(200)
    expect(download.rawPayload.equals(content)).toBe(true)
    expect(download.headers['content-disposition']).toContain('filename="weights.pt"')
  })

  it('builds file sets from blobs and zips them', async () => {
    const run = await newRun()
    const a = (
      await t.call({ method: 'POST', url: `${P}/blobs`, payload: Buffer.from('print(1)') })
    ).json()
    const b = (
      await t.call({ method: 'POST', url: `${P}/blobs`, payload: Buffer.from('x = 2') })
    ).json()
    const result = await ops(run.id, [
      {
        op: 'uploadFileSet',
        path: 'source',
        reset: false,
        files: [
          { path: 'main.py', hash: a.hash },
          { path: 'lib/util.py', hash: b.hash },
        ],
      },
    ])
    expect(result.json().results).toEqual([{ ok: true }])
    const listing = await t.call({ url: `${P}/objects/${run.id}/file-sets?path=source` })
    expect(listing.json().files.map((f: { path: string }) => f.path)).toEqual([
      'lib/util.py',
      'main.py',
    ])
    const one = await t.call({ url: `${P}/objects/${run.id}/files?path=source&file=lib/util.py` })
    expect(one.body).toBe('x = 2')
    const zip = await t.call({ url: `${P}/objects/${run.id}/file-sets/zip?path=source` })
    expect(zip.statusCode).toBe(200)
    expect(zip.headers['content-type']).toBe('application/zip')
    expect(zip.rawPayload.subarray(0, 2).toString()).toBe('PK')
  })

  it('trashes, restores and deletes runs, freeing their files', async () => {
    const run = await newRun()
    await t.call({
      method: 'PUT',
      url: `${P}/objects/${run.id}/files?path=f`,
      payload: Buffer.alloc(1000, 7),
    })
    const trashed = await t.call({
      method: 'POST',
      url: `${P}/trash`,
      payload: { objects: [run.shortId] },
    })
    expect(trashed.json()).toEqual({ updated: [run.shortId], errors: [] })
    const restored = await t.call({
      method: 'POST',
      url: `${P}/trash/restore`,
      payload: { objects: [run.shortId] },
    })
    expect(restored.json().updated).toEqual([run.shortId])
    await t.call({ method: 'POST', url: `${P}/trash`, payload: { objects: [run.shortId] } })
    const deleted = await t.call({
      method: 'POST',
      url: `${P}/trash/delete`,
      payload: { objects: [run.shortId] },
    })
    expect(deleted.json()).toMatchObject({ updated: [run.shortId], freedBlobs: 1 })
    expect(deleted.json().freedBytes).toBeGreaterThanOrEqual(1000)
  })

  it('refuses writes and chart reads of a run deleted after its first ones, naming the run', async () => {
    const run = await newRun()
    const batch = [{ op: 'appendFloats', path: 'm', values: [1] }]
    expect((await ops(run.shortId, batch)).statusCode).toBe(200)
    expect((await ops(run.id, batch)).statusCode).toBe(200)
    const chart = `${P}/objects/${run.shortId}/series/buckets?path=m`
    expect((await t.call({ url: chart })).json()).toMatchObject({ mode: 'points', values: [1, 1] })
    const notSeries = await t.call({ url: `${P}/objects/${run.shortId}/series/buckets?path=x` })
    expect(notSeries.json().error.message).toContain(run.shortId)
    await t.call({ method: 'POST', url: `${P}/trash`, payload: { objects: [run.shortId] } })
    const deleted = await t.call({
      method: 'POST',
      url: `${P}/trash/delete`,
      payload: { objects: [run.shortId] },
    })
    expect(deleted.json().updated).toEqual([run.shortId])
    for (const ref of [run.shortId, run.id, run.shortId]) {
      const refused = await ops(ref, batch)
      expect(refused.statusCode).toBe(404)
      expect(refused.json().error).toMatchObject({
        code: 'OBJECT_NOT_FOUND',
        message: `object "${ref}" not found in project "team/vision"`,
      })
    }
    const gone = await t.call({ url: chart })
    expect(gone.statusCode).toBe(404)
    expect(gone.json().error).toMatchObject({
      code: 'OBJECT_NOT_FOUND',
      message: `object "${run.shortId}" not found in project "team/vision"`,
    })
  })

  it('keeps runs active while they ping', async () => {
    const run = await newRun()
    const ping = await t.call({ method: 'POST', url: `${P}/objects/${run.id}/ping` })
    expect(ping.json()).toEqual({ state: 'active' })
  })
})
