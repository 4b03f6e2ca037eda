import { NereidError, type Project } from '@nereid/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store } from '@nereid/store'
import type { Principal, TokenService } from '../services/token-service.js'

/**
 * What a route needs from its caller. Every route declares one in `config.permission`;
 * registering a route without it fails at start-up, and a test walks all routes.
 * - public: anyone, no credentials (health, OpenAPI document).
 * - authenticated: any valid token.
 * - project:read / project:write: access to the project named by the route's
 *   `:workspace/:project` parameters (the project is loaded into `request.project`).
 * - admin: a server administrator.
 */
export type Permission = 'public' | 'authenticated' | 'project:read' | 'project:write' | 'admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission
  }
  interface FastifyRequest {
    principal: Principal | null
    project: Project | null
  }
}

export interface RouteEntry {
  method: string
  url: string
  permission: Permission
}

/** Installs authentication; returns the live list of registered routes with their permissions. */
export function registerAuth(
  app: FastifyInstance,
  store: Store,
  tokens: TokenService,
  now: () => number,
): RouteEntry[] {
  const routes: RouteEntry[] = []
  app.decorateRequest('principal', null)
  app.decorateRequest('project', null)

  app.addHook('onRoute', (route) => {
    const permission = (route.config as { permission?: Permission } | undefined)?.permission
    if (permission === undefined) {
      throw new Error(
        `route ${String(route.method)} ${route.url} declares no permission (config.permission)`,
      )
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, permission })
    }
  })

  // onRequest: before any body is read or validated, so an anonymous caller learns nothing
  // about a route's input and costs no parsing.
  app.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission
    if (permission === undefined || permission === 'public') return
    request.principal = await authenticate(request, tokens, now())
    if (permission === 'admin' && !request.principal.user.isAdmin) {
      throw new NereidError('FORBIDDEN', 'this needs a server administrator')
    }
    if (permission === 'project:read' || permission === 'project:write') {
      request.project = await loadProject(request, store, request.principal)
    }
  })
  return routes
}

async function authenticate(
  request: FastifyRequest,
  tokens: TokenService,
  now: number,
): Promise<Principal> {
  const header = request.headers.authorization
  if (!header) {
    throw new NereidError('AUTH_REQUIRED', 'send an API token as "Authorization: Bearer <token>"')
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match)
    throw new NereidError('AUTH_REQUIRED', 'the Authorization header must be "Bearer <token>"')
  return tokens.authenticate(match[1]!, now)
}

async function loadProject(
  request: FastifyRequest,
  store: Store,
  principal: Principal,
): Promise<Project> {
  const params = request.params as { workspace?: string; project?: string }
  if (!params.workspace || !params.project)
    throw new Error(`route ${request.routeOptions.url} has no :workspace/:project`)
  const project = await store.projects.get(params.workspace, params.project)
  // A project the caller may not see is answered exactly like one that does not exist.
  if (!project || !(await canAccess(store, principal, project))) {
    throw new NereidError(
      'PROJECT_NOT_FOUND',
      `project "${params.workspace}/${params.project}" not found`,
      {
        project: `${params.workspace}/${params.project}`,
      },
    )
  }
  return project
}

async function canAccess(store: Store, principal: Principal, project: Project): Promise<boolean> {
  if (principal.user.isAdmin) return true
  return (await store.workspaces.memberRole(project.workspaceId, principal.user.id)) !== null
}
