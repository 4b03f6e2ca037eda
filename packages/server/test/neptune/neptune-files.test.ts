import { gzipSync } from 'node:zlib'
import tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../test-app.js'
import { attributes, createRun, neptuneSession, type NeptuneSession } from './neptune-session.js'

async function tarGz(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack()
  for (const [name, content] of Object.entries(files)) pack.entry({ name }, content)
  pack.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of pack) chunks.push(chunk as Buffer)
  return gzipSync(Buffer.concat(chunks))
}

describe('Neptune uploads and downloads', () => {
  let t: TestApp
  let session: NeptuneSession
  let run: { id: string; shortId: string }
  beforeAll(async () => {
    t = await createTestApp()
    session = await neptuneSession(t)
    run = await createRun(session)
  })
  afterAll(async () => {
    await t.close()
  })

  const storage = '/api/leaderboard/v1/attributes/storage'

  it('stores a raw single upload and serves it under one quoted file name', async () => {
    const upload = await session.call({
      method: 'POST',
      url: `${storage}/file/upload?experimentIdentifier=${run.id}&attribute=model/weights&ext=pt`,
      payload: Buffer.from('weights!'),
    })
    expect(upload.statusCode).toBe(200)
    expect(upload.json()).toEqual({ errors: [] })
    const download = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/attributes/download?experimentId=${run.id}&attribute=model/weights`,
    })
    expect(download.body).toBe('weights!')
    expect(download.headers['content-disposition']).toBe('attachment; filename="weights.pt"')
    const file = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/attributes/files?experimentId=${run.id}&attribute=model/weights`,
    })
    expect(file.json()).toMatchObject({ name: 'weights', ext: 'pt', size: 8 })
  })

  it('assembles a multipart upload from its parts, and a retried finish changes nothing', async () => {
    const target = `experimentIdentifier=${run.id}&attribute=big`
    const start = await session.call({
      method: 'POST',
      url: `${storage}/file/upload/start?${target}&ext=bin&totalLength=10`,
    })
    const { uploadId } = start.json() as { uploadId: string }
    for (const [index, part] of ['01234', '56789'].entries()) {
      const response = await session.call({
        method: 'POST',
        url: `${storage}/file/upload/part?${target}&uploadId=${uploadId}&uploadPartIdx=${index}`,
        payload: Buffer.from(part),
        headers: { 'x-range': `bytes=${index * 5}-${index * 5 + 4}/10` },
      })
      expect(response.json()).toEqual({ errors: [] })
    }
    for (let attempt = 0; attempt < 2; attempt++) {
      const finish = await session.call({
        method: 'POST',
        url: `${storage}/file/upload/finish?${target}&uploadId=${uploadId}`,
      })
      expect(finish.json()).toEqual({ errors: [] })
    }
    const download = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/attributes/download?experimentId=${run.id}&attribute=big`,
    })
    expect(download.body).toBe('0123456789')
  })

  it('asks the client to restart when a part is shorter than its range', async () => {
    const target = `experimentIdentifier=${run.id}&attribute=short`
    const start = await session.call({
      method: 'POST',
      url: `${storage}/file/upload/start?${target}&ext=bin&totalLength=10`,
    })
    const { uploadId } = start.json() as { uploadId: string }
    const response = await session.call({
      method: 'POST',
      url: `${storage}/file/upload/part?${target}&uploadId=${uploadId}&uploadPartIdx=0`,
      payload: Buffer.from('012'),
      headers: { 'x-range': 'bytes=0-4/10' },
    })
    expect(response.statusCode).toBe(400)
    expect(response.body).toContain('Length of stream does not match given range')
  })

  it('merges or resets file sets from tar.gz packages and lists folders', async () => {
    const url = (reset: string) =>
      `/api/leaderboard/v1/attributes/uploadFileSetTar?experimentId=${run.id}&attribute=data&reset=${reset}`
    const upload = async (reset: string, files: Record<string, string>) =>
      session.call({
        method: 'POST',
        url: url(reset),
        payload: await tarGz(files),
        headers: { 'content-type': 'application/octet-stream' },
      })
    expect((await upload('True', { 'a.txt': 'A', 'sub/b.txt': 'BB' })).json()).toEqual({
      errors: [],
    })
    await upload('False', { 'c.txt': 'CCC' })
    const ls = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/attributes/ls?experimentId=${run.id}&attribute=data&path=`,
    })
    const entries = ls.json() as { name: string; size: number; fileType: string; mtime: string }[]
    expect(entries.map(({ name, size, fileType }) => ({ name, size, fileType }))).toEqual([
      { name: 'a.txt', size: 1, fileType: 'file' },
      { name: 'c.txt', size: 3, fileType: 'file' },
      { name: 'sub', size: 2, fileType: 'directory' },
    ])
    await upload('True', { 'only.txt': 'O' })
    expect((await attributes(session, run.id)).get('data')).toMatchObject({
      type: 'fileSet',
      fileSetProperties: { size: 1 },
    })
  })

  it('prepares a zip download at once and serves it with a .zip name', async () => {
    await session.call({
      method: 'POST',
      url: `${storage}/fileset/upload?experimentIdentifier=${run.id}&attribute=src&subPath=dir/main.py`,
      payload: Buffer.from('print(1)'),
    })
    const prepared = await session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/attributes/downloadFileSetZipRequest?experimentId=${run.id}&attribute=src`,
    })
    const { id, downloadUrl } = prepared.json() as { id: string; downloadUrl: string }
    const again = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/download/downloadRequest?id=${id}`,
    })
    expect(again.json()).toEqual({ id, downloadUrl })
    const zip = await session.call({
      method: 'GET',
      url: new URL(downloadUrl).pathname + new URL(downloadUrl).search,
    })
    expect(zip.headers['content-disposition']).toBe('attachment; filename="src.zip"')
    expect(zip.rawPayload.subarray(0, 2).toString()).toBe('PK')
    expect(zip.rawPayload.includes(Buffer.from('dir/main.py'))).toBe(true)
    expect(zip.rawPayload.includes(Buffer.from('dir/'))).toBe(true)
  })

  it('stores logged images and serves each with its content type', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    )
    await session.call({
      method: 'POST',
      url: `/api/leaderboard/v1/attributes/operations?experimentId=${run.id}`,
      payload: [
        {
          path: 'images',
          logImages: {
            entries: [{ value: { data: png.toString('base64') }, timestampMilliseconds: 1 }],
          },
        },
      ],
    })
    const count = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/attributes/series/image?experimentId=${run.id}&attribute=images&limit=1&offset=0`,
    })
    expect(count.json()).toMatchObject({ totalItemCount: 1 })
    const image = await session.call({
      method: 'GET',
      url: `/api/leaderboard/v1/attributes/series/image/single?experimentId=${run.id}&attribute=images&index=0`,
    })
    expect(image.headers['content-type']).toBe('image/png')
    expect(image.rawPayload.equals(png)).toBe(true)
  })
})
