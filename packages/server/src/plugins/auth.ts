import { NereidError, type Project } from '@nereid/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store } from '@nereid/store'
import type { Principal, TokenService } from '../services/token-service.js'
import { authorizeProject } from '../services/project-access.js'

/**
 * What a route needs from its caller. Every route declares one in `config.permission`;
 * registering a route without it fails at start-up, and a test walks all routes.
 * - public: anyone, no credentials (health, OpenAPI document, Swagger specs).
 * - authenticated: any valid credentials. Routes that address projects some other way (the
 *   Neptune protocol names them in query strings) check access with `authorizeProject`.
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

/**
 * Turns a request's credentials into a principal. Returns null when the request carries no
 * credentials of its kind (the next resolver is tried), throws when they are present but
 * invalid. The API-token resolver is built in; others (Neptune JWTs, sessions) are added with
 * `AuthRegistry.addResolver`.
 */
export type CredentialResolver = (request: FastifyRequest) => Promise<Principal | null>

export interface AuthRegistry {
  readonly routes: RouteEntry[]
  addResolver(resolver: CredentialResolver): void
}

/** Installs authentication and authorisation hooks. */
export function registerAuth(
  app: FastifyInstance,
  store: Store,
  tokens: TokenService,
  now: () => number,
): AuthRegistry {
  const routes: RouteEntry[] = []
  const resolvers: CredentialResolver[] = []
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
    request.principal = await authenticate(request, resolvers)
    if (permission === 'admin' && !request.principal.user.isAdmin) {
      throw new NereidError('FORBIDDEN', 'this needs a server administrator')
    }
    if (permission === 'project:read' || permission === 'project:write') {
      const params = request.params as { workspace?: string; project?: string }
      if (!params.workspace || !params.project) {
        throw new Error(`route ${request.routeOptions.url} has no :workspace/:project`)
      }
      const project = await store.projects.get(params.workspace, params.project)
      request.project = await authorizeProject(
        store,
        request.principal,
        project,
        permission === 'project:write' ? 'write' : 'read',
        `${params.workspace}/${params.project}`,
      )
    }
  })

  resolvers.push(apiTokenResolver(tokens, now))
  return {
    routes,
    addResolver(resolver) {
      // Added resolvers go first: they recognise their own credential shapes and pass the
      // rest on.
      resolvers.unshift(resolver)
    },
  }
}

async function authenticate(
  request: FastifyRequest,
  resolvers: CredentialResolver[],
): Promise<Principal> {
  for (const resolve of resolvers) {
    const principal = await resolve(request)
    if (principal) return principal
  }
  throw new NereidError(
    'AUTH_REQUIRED',
    request.headers.authorization
      ? 'the Authorization header must be "Bearer <API token>"'
      : 'send an API token as "Authorization: Bearer <token>"',
  )
}

/** `Authorization: Bearer <API token>` (base64 JSON in the Neptune token format). */
function apiTokenResolver(tokens: TokenService, now: () => number): CredentialResolver {
  return async (request) => {
    const header = request.headers.authorization
    if (!header) return null
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match) return null
    return tokens.authenticate(match[1]!, now())
  }
}
