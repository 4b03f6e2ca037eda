import type { Project } from '@nereid/core'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { buildApp } from '../src/app.js'
import type { Permission, RouteEntry } from '../src/plugins/auth.js'
import { addPerson, type Person } from './security-fixtures.js'
import { createTestApp, type TestApp } from './test-app.js'

/**
 * Walks every registered route (native API, Neptune protocol, web API) and proves its declared
 * permission holds: without credentials it answers 401 (except public routes, and reads of a
 * public project); callers from another workspace or with too small a role are refused with
 * 403 or 404; the right role gets through. A route added without a permission cannot even be
 * registered.
 */

const PERMISSIONS: Permission[] = [
  'public',
  'authenticated',
  'project:read',
  'project:write',
  'project:admin',
  'workspace:read',
  'workspace:admin',
  'admin',
]

/**
 * 'authenticated' routes that act on the caller's own account or list only what the caller may
 * see, rather than addressing a project or workspace. Every other 'authenticated' route must
 * refuse a caller from another workspace. A new account-scoped route goes here, with a reason.
 */
const ACCOUNT_SCOPED = new Set([
  'GET /api/v1/workspaces', // the caller's workspaces
  'GET /api/v1/auth/session', // the caller
  'POST /api/v1/auth/password', // the caller's password
  'GET /api/v1/tokens', // the caller's tokens
  'POST /api/v1/tokens',
  'DELETE /api/v1/tokens/:tokenId',
  'POST /api/v1/tokens/:tokenId/rotate',
  'POST /api/v1/invitations/accept', // addressed by a secret link, not by name
  'GET /api/backend/v1/projects', // Neptune: the projects the caller may see
  'GET /api/backend/v1/myOrganizations', // Neptune: the caller's workspaces
  'GET /api/leaderboard/v1/download/downloadRequest', // Neptune: a download prepared for the caller
])

/**
 * Routes that delete the project they address. Let through, they would delete `vision` from
 * under the routes walked after them, so the right role is proven on a project of its own.
 */
const PROJECT_DELETING = new Set([
  'DELETE /api/v1/projects/:workspace/:project',
  'DELETE /api/backend/v1/projects', // Neptune: management.delete_project
])

/** Codes that mean "the caller may not do this here". */
const DENIED = new Set([
  'AUTH_REQUIRED',
  'TOKEN_INVALID',
  'FORBIDDEN',
  'CSRF_TOKEN_INVALID',
  'PROJECT_NOT_FOUND',
  'WORKSPACE_NOT_FOUND',
])

interface Target {
  project: Project
  runId: string
  runShortId: string
  notebookId: string
}

function errorCode(response: LightMyRequestResponse): string | null {
  try {
    const body = response.json() as { error?: { code?: string } }
    return body.error?.code ?? null
  } catch {
    return null
  }
}

function denied(response: LightMyRequestResponse, objectAddressed: boolean): boolean {
  const code = errorCode(response)
  if (response.statusCode === 401 || response.statusCode === 403) return true
  if (code !== null && DENIED.has(code)) return true
  // Neptune calls name containers by UUID; an invisible one is reported as missing (some
  // calls answer a bare 404 and say nothing at all).
  return (
    objectAddressed &&
    (code === 'OBJECT_NOT_FOUND' || (response.statusCode === 404 && code === null))
  )
}

/** A request for `route` that names `target` wherever the route takes a name or an id. */
function requestFor(route: RouteEntry, target: Target) {
  const { project } = target
  const url = route.url
    .replace(':workspace', project.workspaceName)
    .replace(':project', project.name)
    .replace(':object', target.runShortId)
    .replace(':projectId', project.id)
    .replace(':runId', target.runId)
    .replace(':notebookId', target.notebookId)
    .replace(':organizationIdentifier', project.workspaceName)
    .replace(/:[a-zA-Z]+/g, 'x')
    .replace('*', 'x')
  const query = new URLSearchParams({
    projectIdentifier: `${project.workspaceName}/${project.name}`,
    organizationIdentifier: project.workspaceName,
    experimentId: target.runId,
    experimentIdentifier: target.runId,
    attribute: 'x',
    path: 'x',
  })
  return {
    method: route.method as 'GET',
    url: `${url}?${query}`,
    ...(route.method === 'GET' || route.method === 'DELETE'
      ? {}
      : {
          payload: {
            projectIdentifier: `${project.workspaceName}/${project.name}`,
            organizationIdentifier: project.workspaceName,
            organizationId: project.workspaceName,
          },
        }),
  }
}

/**
 * WebSocket routes answer plain HTTP with 404 once the caller is authenticated; their access
 * check runs when the socket opens, so they are proven over a real socket below.
 */
const WEBSOCKETS = new Set(['GET /api/notifications/v1/runs/:projectId/:runId/signal'])

/** Opens a WebSocket and reports how it ends: `open` when it stays open, else the close code. */
async function openSocket(url: string, token: string | null): Promise<string> {
  const socket = new WebSocket(url, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  })
  const outcome = await new Promise<string>((resolve) => {
    socket.on('unexpected-response', (request, response) => {
      request.destroy()
      resolve(`http ${response.statusCode}`)
    })
    socket.on('error', (error) => resolve(`error ${error.message}`))
    socket.on('close', (code) => resolve(`closed ${code}`))
    socket.on('open', () => setTimeout(() => resolve('open'), 300))
  })
  socket.terminate()
  return outcome
}

const describeRoute = (route: RouteEntry) => `${route.method} ${route.url} (${route.permission})`

describe('route permissions', () => {
  let t: TestApp
  let vision: Target
  let open: Target
  let people: Record<
    'outsider' | 'wsMember' | 'wsAdmin' | 'viewer' | 'contributor' | 'projectOwner',
    Person
  >
  let admin: Person

  async function target(project: Project): Promise<Target> {
    const { object: run } = await t.store.objects.create({
      projectId: project.id,
      kind: 'run',
      owner: 'admin',
      now: Date.now(),
    })
    const { notebook } = await t.store.notebooks.ensure({
      projectId: project.id,
      name: 'analysis.ipynb',
      owner: 'admin',
      now: Date.now(),
    })
    return { project, runId: run.id, runShortId: run.shortId, notebookId: notebook.id }
  }

  beforeAll(async () => {
    t = await createTestApp()
    const team = (await t.store.workspaces.getByName('team'))!
    vision = await target((await t.store.projects.get('team', 'vision'))!)
    open = await target(
      await t.store.projects.create({
        workspaceId: team.id,
        name: 'open',
        key: 'OPEN',
        visibility: 'public',
        owner: 'admin',
        now: Date.now(),
      }),
    )
    await t.store.workspaces.create({ name: 'other', now: Date.now() })
    const member = (role: 'member' | 'admin') => ({ name: 'team', role })
    people = {
      outsider: await addPerson(t, 'outsider', { workspace: { name: 'other', role: 'owner' } }),
      wsMember: await addPerson(t, 'ws-member', { workspace: member('member') }),
      wsAdmin: await addPerson(t, 'ws-admin', { workspace: member('admin') }),
      viewer: await addPerson(t, 'viewer', {
        workspace: member('member'),
        project: { project: vision.project, role: 'viewer' },
      }),
      contributor: await addPerson(t, 'contributor', {
        workspace: member('member'),
        project: { project: vision.project, role: 'contributor' },
      }),
      projectOwner: await addPerson(t, 'project-owner', {
        workspace: member('member'),
        project: { project: vision.project, role: 'owner' },
      }),
    }
    admin = {
      ...people.outsider,
      token: t.token,
      call: (options) => t.call(options),
    }
  })
  afterAll(async () => {
    await t.close()
  })

  const routes = () => t.app.routeTable.filter((route) => route.url !== '/' && route.url !== '/*')
  const httpRoutes = () => routes().filter((r) => !WEBSOCKETS.has(`${r.method} ${r.url}`))

  it('knows every route with a permission from the known set', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(60)
    for (const route of t.app.routeTable)
      expect(PERMISSIONS, describeRoute(route)).toContain(route.permission)
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

  it('answers 401 without credentials on every non-public route of a private project', async () => {
    const failures: string[] = []
    for (const route of routes().filter((r) => r.permission !== 'public')) {
      const response = await t.app.inject(requestFor(route, vision))
      if (response.statusCode !== 401 || errorCode(response) !== 'AUTH_REQUIRED')
        failures.push(
          `${describeRoute(route)} → ${response.statusCode} ${response.body.slice(0, 120)}`,
        )
    }
    expect(failures).toEqual([])
  })

  it('lets anyone read a public project without signing in, and nothing more', async () => {
    const failures: string[] = []
    for (const route of routes().filter((r) => r.permission.startsWith('project:'))) {
      const response = await t.app.inject(requestFor(route, open))
      const refused = denied(response, false)
      if (route.permission === 'project:read' ? refused : response.statusCode !== 401)
        failures.push(
          `${describeRoute(route)} → ${response.statusCode} ${response.body.slice(0, 120)}`,
        )
    }
    expect(failures).toEqual([])
  })

  it('refuses callers from another workspace with 403 or 404', async () => {
    const failures: string[] = []
    for (const route of httpRoutes()) {
      if (route.permission === 'public') continue
      if (ACCOUNT_SCOPED.has(`${route.method} ${route.url}`)) continue
      const response = await people.outsider.call(requestFor(route, vision))
      const refused = denied(response, route.permission === 'authenticated')
      const expected =
        route.permission === 'admin'
          ? response.statusCode === 403
          : route.permission.startsWith('project:')
            ? errorCode(response) === 'PROJECT_NOT_FOUND'
            : route.permission.startsWith('workspace:')
              ? errorCode(response) === 'WORKSPACE_NOT_FOUND'
              : refused && response.statusCode !== 401
      if (!expected)
        failures.push(
          `${describeRoute(route)} → ${response.statusCode} ${response.body.slice(0, 120)}`,
        )
    }
    expect(failures).toEqual([])
  })

  it('refuses callers whose role is too small', async () => {
    const tooSmall: Partial<Record<Permission, [Person, number, string]>> = {
      'project:read': [people.wsMember, 404, 'PROJECT_NOT_FOUND'], // private: no role, no project
      'project:write': [people.viewer, 403, 'FORBIDDEN'],
      'project:admin': [people.contributor, 403, 'FORBIDDEN'],
      'workspace:admin': [people.wsMember, 403, 'FORBIDDEN'],
      admin: [people.wsAdmin, 403, 'FORBIDDEN'],
    }
    const failures: string[] = []
    for (const route of routes()) {
      const check = tooSmall[route.permission]
      if (!check) continue
      const [person, status, code] = check
      const response = await person.call(requestFor(route, vision))
      if (response.statusCode !== status || errorCode(response) !== code)
        failures.push(
          `${describeRoute(route)} as ${person.user.username} → ${response.statusCode} ${response.body.slice(0, 120)}`,
        )
    }
    expect(failures).toEqual([])
  })

  it('lets the right role through', async () => {
    const enough: Record<Exclude<Permission, 'public'>, Person> = {
      'project:read': people.viewer,
      'project:write': people.contributor,
      'project:admin': people.projectOwner,
      'workspace:read': people.wsMember,
      'workspace:admin': people.wsAdmin,
      admin,
      authenticated: people.projectOwner,
    }
    // 'authenticated' routes that check a workspace role themselves.
    const overrides: Record<string, Person> = {
      'POST /api/backend/v1/invitations/organization': people.wsAdmin,
    }
    const failures: string[] = []
    let doomed = 0
    for (const route of httpRoutes()) {
      if (route.permission === 'public') continue
      const person = overrides[`${route.method} ${route.url}`] ?? enough[route.permission]
      let project = vision
      if (PROJECT_DELETING.has(`${route.method} ${route.url}`)) {
        const team = (await t.store.workspaces.getByName('team'))!
        doomed += 1
        project = await target(
          await t.store.projects.create({
            workspaceId: team.id,
            name: `doomed-${doomed}`,
            key: `DOOM${doomed}`,
            owner: 'admin',
            now: Date.now(),
          }),
        )
        await t.store.members.setProjectRole({
          projectId: project.project.id,
          userId: people.projectOwner.user.id,
          role: 'owner',
          now: Date.now(),
        })
      }
      const response = await person.call(requestFor(route, project))
      if (denied(response, route.permission === 'authenticated') || response.statusCode >= 500)
        failures.push(
          `${describeRoute(route)} as ${person.user.username} → ${response.statusCode} ${response.body.slice(0, 120)}`,
        )
    }
    expect(failures).toEqual([])
  })

  it('checks WebSocket routes when the socket opens', async () => {
    const sockets = routes().filter((r) => WEBSOCKETS.has(`${r.method} ${r.url}`))
    expect(sockets.length).toBeGreaterThan(0)
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 })
    const base = address.replace(/^http/, 'ws')
    for (const route of sockets) {
      const url = `${base}${requestFor(route, vision).url}`
      expect(await openSocket(url, null), describeRoute(route)).toBe('http 401')
      expect(await openSocket(url, people.outsider.token), describeRoute(route)).toBe('closed 4404')
      expect(await openSocket(url, people.viewer.token), describeRoute(route)).toBe('open')
    }
  })

  it('never asks for credentials on public routes', async () => {
    const documents = [
      '/api/v1/health',
      '/api/v1/openapi.json',
      '/api/v1/auth/providers',
      '/api/backend/swagger.json',
    ]
    for (const route of t.app.routeTable.filter((r) => r.permission === 'public')) {
      const response = await t.app.inject(requestFor(route, vision))
      expect(response.statusCode, describeRoute(route)).toBeLessThan(500)
      expect(errorCode(response), describeRoute(route)).not.toBe('AUTH_REQUIRED')
      expect(errorCode(response), describeRoute(route)).not.toBe('FORBIDDEN')
    }
    for (const url of documents) {
      if (!t.app.routeTable.some((route) => route.url === url)) continue
      expect((await t.app.inject({ url })).statusCode, url).toBe(200)
    }
  })
})
