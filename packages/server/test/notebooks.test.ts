import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from './test-app.js'

const NOTEBOOK = JSON.stringify({
  cells: [{ cell_type: 'code', source: ['print(1)'] }],
  nbformat: 4,
})
const BASE = '/api/v1/projects/team/vision'

describe('notebooks API', () => {
  let app: TestApp
  afterEach(async () => app?.close())

  async function upload(content: string): Promise<string> {
    const response = await app.call({
      method: 'POST',
      url: `${BASE}/blobs`,
      payload: content,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(response.statusCode).toBe(200)
    return response.json().hash
  }

  it('records checkpoints of a named notebook and serves their content', async () => {
    app = await createTestApp()
    const hash = await upload(NOTEBOOK)
    const made = await app.call({
      method: 'POST',
      url: `${BASE}/notebooks`,
      payload: { name: 'eda' },
    })
    expect(made.statusCode).toBe(200)
    const { notebook, created } = made.json()
    expect(created).toBe(true)
    expect(notebook).toMatchObject({
      name: 'eda',
      checkpointCount: 0,
      shortId: expect.stringMatching(/^VISION-NB/),
    })

    const checkpoint = await app.call({
      method: 'POST',
      url: `${BASE}/notebooks/${notebook.shortId}/checkpoints`,
      payload: { hash, message: 'first', path: 'eda.ipynb' },
    })
    expect(checkpoint.statusCode).toBe(200)
    expect(checkpoint.json()).toMatchObject({
      created: true,
      checkpoint: { number: 1, hash, message: 'first', path: 'eda.ipynb', author: 'admin' },
    })

    const content = await app.call({
      method: 'GET',
      url: `${BASE}/notebooks/eda/checkpoints/1/content`,
    })
    expect(content.statusCode).toBe(200)
    expect(content.headers['content-type']).toContain('application/x-ipynb+json')
    expect(content.headers['content-disposition']).toContain('eda.ipynb')
    expect(createHash('sha256').update(content.rawPayload).digest('hex')).toBe(hash)

    const list = await app.call({ method: 'GET', url: `${BASE}/notebooks` })
    expect(list.json().notebooks).toEqual([
      expect.objectContaining({ name: 'eda', checkpointCount: 1 }),
    ])
    const checkpoints = await app.call({ method: 'GET', url: `${BASE}/notebooks/eda/checkpoints` })
    expect(checkpoints.json().checkpoints.map((c: { number: number }) => c.number)).toEqual([1])
  })

  it('answers a repeated checkpoint of unchanged content with the same checkpoint', async () => {
    app = await createTestApp()
    const hash = await upload(NOTEBOOK)
    const { notebook } = (
      await app.call({ method: 'POST', url: `${BASE}/notebooks`, payload: { name: 'eda' } })
    ).json()
    const url = `${BASE}/notebooks/${notebook.id}/checkpoints`
    const first = (await app.call({ method: 'POST', url, payload: { hash } })).json()
    const again = (await app.call({ method: 'POST', url, payload: { hash } })).json()
    expect(again).toEqual({ ...first, created: false })
    const second = await app.call({
      method: 'POST',
      url,
      payload: { hash: await upload(`${NOTEBOOK} `) },
    })
    expect(second.json().checkpoint.number).toBe(2)
  })

  it('says what is missing: unknown notebooks, checkpoints and content', async () => {
    app = await createTestApp()
    const missing = await app.call({ method: 'GET', url: `${BASE}/notebooks/nope/checkpoints` })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().error.code).toBe('OBJECT_NOT_FOUND')
    await app.call({ method: 'POST', url: `${BASE}/notebooks`, payload: { name: 'eda' } })
    const noCheckpoint = await app.call({
      method: 'GET',
      url: `${BASE}/notebooks/eda/checkpoints/3`,
    })
    expect(noCheckpoint.statusCode).toBe(404)
    expect(noCheckpoint.json().error.code).toBe('CHECKPOINT_NOT_FOUND')
    const unknownBlob = await app.call({
      method: 'POST',
      url: `${BASE}/notebooks/eda/checkpoints`,
      payload: { hash: 'a'.repeat(64) },
    })
    expect(unknownBlob.statusCode).toBe(404)
    expect(unknownBlob.json().error.code).toBe('BLOB_NOT_FOUND')
    const badHash = await app.call({
      method: 'POST',
      url: `${BASE}/notebooks/eda/checkpoints`,
      payload: { hash: 'not-a-hash' },
    })
    expect(badHash.statusCode).toBe(400)
  })
})
