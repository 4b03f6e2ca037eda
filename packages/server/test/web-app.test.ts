import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { createLocalBlobStore, createSqliteStore, type Store } from '@nereid/store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.js'

describe('web app hosting', () => {
  let dir: string
  let store: Store
  let app: FastifyInstance

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nereid-web-'))
    await mkdir(join(dir, 'dist', 'assets'), { recursive: true })
    await writeFile(join(dir, 'dist', 'index.html'), '<!doctype html><title>Nereid</title>')
    await writeFile(join(dir, 'dist', 'favicon.svg'), '<svg/>')
    await writeFile(join(dir, 'dist', 'assets', 'app-1a2b.js'), 'console.log(1)')
    await writeFile(join(dir, 'dist', 'assets', 'app-1a2b.js.gz'), gzipSync('console.log(1)'))
    store = createSqliteStore({ filename: ':memory:' })
    const migrated = await store.migrate()
    if (migrated.error) throw migrated.error
    app = await buildApp({
      store,
      blobs: createLocalBlobStore(join(dir, 'blobs')),
      config: { publicUrl: 'http://localhost:8080' },
      webAppDir: join(dir, 'dist'),
    })
  })
  afterEach(async () => {
    await app.close()
    await store.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('serves the page at / and at every deep link, with a content security policy', async () => {
    for (const url of ['/', '/team/vision', '/team/vision/e/VISION-12/metadata?tab=charts']) {
      const response = await app.inject({ url })
      expect(response.statusCode, url).toBe(200)
      expect(response.headers['content-type']).toContain('text/html')
      expect(response.body).toContain('<title>Nereid</title>')
      expect(response.headers['content-security-policy']).toContain("script-src 'self'")
      expect(response.headers['cache-control']).toBe('no-cache')
    }
  })

  it('serves hashed assets for a year, compressed when the browser accepts it', async () => {
    const plain = await app.inject({ url: '/assets/app-1a2b.js' })
    expect(plain.statusCode).toBe(200)
    expect(plain.body).toBe('console.log(1)')
    expect(plain.headers['content-type']).toContain('text/javascript')
    expect(plain.headers['cache-control']).toContain('immutable')
    const zipped = await app.inject({
      url: '/assets/app-1a2b.js',
      headers: { 'accept-encoding': 'gzip, deflate' },
    })
    expect(zipped.headers['content-encoding']).toBe('gzip')
    expect(zipped.rawPayload.equals(gzipSync('console.log(1)'))).toBe(true)
    expect((await app.inject({ url: '/favicon.svg' })).body).toBe('<svg/>')
  })

  it('answers a missing asset 404 and never leaves the build folder', async () => {
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404)
    const escape = await app.inject({ url: '/assets/..%2f..%2fblobs' })
    expect(escape.statusCode).toBe(404)
  })

  it('leaves unknown API paths to the API: JSON 404, not the page', async () => {
    for (const url of [
      '/api/v1/nothing-here',
      '/api/backend/v1/unknown',
      '/api/leaderboard/v1/unknown',
      '/api/artifacts/unknown',
      '/auth/realms/unknown',
    ]) {
      const response = await app.inject({ url })
      expect(response.statusCode, url).toBe(404)
      expect(response.json().error.code, url).toBe('ROUTE_NOT_FOUND')
    }
    expect((await app.inject({ url: '/api/v1/health' })).json()).toEqual({ status: 'ok' })
  })

  it('explains how to build the app when the build is missing', async () => {
    await rm(join(dir, 'dist', 'index.html'))
    const response = await app.inject({ url: '/team/vision' })
    expect(response.statusCode).toBe(200)
    expect(response.body).toContain('npm run build')
  })
})
