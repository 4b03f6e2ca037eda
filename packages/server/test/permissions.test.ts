import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.js'
import { createTestApp, type TestApp } from './test-app.js'

/**
 * Walks every registered route: each declares a permission, and nothing but the public ones
 * answers without credentials.
 */
describe('route permissions', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp()
  })
  afterAll(async () => {
    await t.close()
  })

  it('lists every route with its permission', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(15)
    for (const route of t.app.routeTable)
      expect(route.permission, `${route.method} ${route.url}`).toBeTruthy()
  })

  it('answers 401 without credentials on every non-public route', async () => {
    for (const route of t.app.routeTable.filter((r) => r.permission !== 'public')) {
      const url = route.url
        .replace(/:workspace/g, 'team')
        .replace(/:project/g, 'vision')
        .replace(/:[a-zA-Z]+/g, 'x')
        .replace('*', 'x')
      const response = await t.app.inject({
        method: route.method as 'GET',
        url,
        ...(route.method === 'GET' ? {} : { payload: {} }),
      })
      expect(response.statusCode, `${route.method} ${url}`).toBe(401)
      expect(response.json().error.code).toBe('AUTH_REQUIRED')
    }
  })

  it('answers the public routes without credentials', async () => {
    for (const route of t.app.routeTable.filter(
      (r) => r.permission === 'public' && r.method === 'GET' && !r.url.includes(':'),
    )) {
      const response = await t.app.inject({ url: route.url })
      expect(response.statusCode, route.url).toBe(200)
    }
  })

  it('refuses to register a route without a permission', async () => {
    const app = await buildApp({
      store: t.store,
      blobs: t.app.nereid.blobs,
      config: { publicUrl: 'http://x' },
    })
    expect(() => app.get('/api/v1/unguarded', async () => 'x')).toThrow(/declares no permission/)
    await app.close()
  })
})
