import { NereidError, type Project, type Workspace } from '@nereid/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store, WorkspaceRole } from '@nereid/store'
import type { Principal, ProjectRoles, TokenService } from '../services/token-service.js'
import {
  authenticationRequired,
  authorizeProject,
  authorizeWorkspace,
} from '../services/project-access.js'
import { SessionService } from '../services/session-service.js'

/**
 * What a route needs from its caller. Every route declares one in `config.permission`;
 * registering a route without it fails at start-up, and a test walks all routes.
 * - public: anyone, no credentials (health, OpenAPI document, sign-in, Swagger specs).
 * - authenticated: any valid credentials. Routes that address projects some other way (the
 *   Neptune protocol names them in query strings) check access with `authorizeProject`.
 * - project:read / project:write / project:admin: the viewer, contributor or owner role in the
 *   project named by the route's `:workspace/:project` parameters (loaded into
 *   `request.project`). project:read also lets anonymous callers read public projects.
 * - workspace:read / workspace:admin: membership, or the owner or admin role, in the workspace
 *   named by `:workspace` (loaded into `request.workspace`).
 * - admin: a server administrator.
 */
export type Permission =
  | 'public'
  | 'authenticated'
  | 'project:read'
  | 'project:write'
  | 'project:admin'
  | 'workspace:read'
  | 'workspace:admin'
  | 'admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission
  }
  interface FastifyRequest {
    /** Null only on public routes and on anonymous reads of public projects. */
    principal: Principal | null
    project: Project | null
    workspace: { workspace: Workspace; role: WorkspaceRole } | null
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
 * invalid. API tokens and session cookies are built in; others (Neptune JWTs) are added with
 * `AuthRegistry.addResolver`.
 */
export type CredentialResolver = (request: FastifyRequest) => Promise<Principal | null>

export interface AuthRegistry {
  readonly routes: RouteEntry[]
  readonly sessions: SessionService
  addResolver(resolver: CredentialResolver): void
  /** The request's principal, or null without credentials (for routes that take both). */
  identify(request: FastifyRequest): Promise<Principal | null>
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
  const sessions = new SessionService(store, app.nereid.config, now)
  app.decorateRequest('principal', null)
  app.decorateRequest('project', null)
  app.decorateRequest('workspace', null)

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

  // onRequest: before any body is read or validated, so an unauthorised caller learns nothing
  // about a route's input and costs no parsing.
  app.addHook('onRequest', async (request, reply) => {
    const permission = request.routeOptions.config.permission
    if (permission === undefined || permission === 'public') return
    if (request.headers.upgrade) {
      // A refused WebSocket upgrade is answered on a socket the HTTP server no longer tracks;
      // end it once the answer is out, or it stays open and holds up shutdown.
      reply.raw.once('finish', () => {
        if (reply.raw.statusCode >= 400) request.raw.socket?.destroy()
      })
    }
    const params = request.params as { workspace?: string; project?: string }
    const projectScoped =
      permission === 'project:read' ||
      permission === 'project:write' ||
      permission === 'project:admin'
    if (projectScoped) {
      if (!params.workspace || !params.project) {
        throw new Error(`route ${request.routeOptions.url} has no :workspace/:project`)
      }
      const name = `${params.workspace}/${params.project}`
      const needed =
        permission === 'project:read' ? 'read' : permission === 'project:write' ? 'write' : 'admin'
      const apiToken = apiTokenOf(request, tokens)
      let principal: Principal | null
      let project: Project | null
      let roles: ProjectRoles | undefined
      if (apiToken !== null) {
        // The token, the project and the caller's roles there in one statement (the
        // resolvers added before the token's own pass API tokens on).
        ;({ principal, project, roles } = await tokens.authenticateForProject(
          apiToken,
          now(),
          params.workspace,
          params.project,
        ))
      } else {
        // The project is read while the credentials are checked (on PostgreSQL on a second
        // connection: one round trip less). Nothing of it is used, or can show in an answer,
        // before the caller is known.
        const projectRead = store.projects.get(params.workspace, params.project)
        projectRead.catch(() => undefined)
        principal = await identify(request)
        if (principal) sessions.checkCsrf(request, principal)
        project = await projectRead
      }
      request.principal = principal
      request.project = await authorizeProject(store, principal, project, needed, name, roles)
      return
    }
    const principal = await identify(request)
    request.principal = principal
    if (principal) sessions.checkCsrf(request, principal)
    if (!principal) throw authenticationRequired()
    if (permission === 'admin' && !principal.user.isAdmin) {
      throw new NereidError('FORBIDDEN', 'this needs a server administrator')
    }
    if (permission === 'workspace:read' || permission === 'workspace:admin') {
      if (!params.workspace) throw new Error(`route ${request.routeOptions.url} has no :workspace`)
      request.workspace = await authorizeWorkspace(
        store,
        principal,
        params.workspace,
        permission === 'workspace:read' ? 'read' : 'admin',
      )
    }
  })

  async function identify(request: FastifyRequest): Promise<Principal | null> {
    for (const resolve of resolvers) {
      const principal = await resolve(request)
      if (principal) return principal
    }
    if (request.headers.authorization) {
      throw new NereidError(
        'AUTH_REQUIRED',
        'the Authorization header must be "Bearer <API token>"',
      )
    }
    return null
  }

  resolvers.push(apiTokenResolver(tokens, now), (request) => sessions.resolve(request))
  return {
    routes,
    sessions,
    identify,
    addResolver(resolver) {
      // Added resolvers go first: they recognise their own credential shapes and pass the
      // rest on.
      resolvers.unshift(resolver)
    },
  }
}

/** `Authorization: Bearer <API token>` (base64 JSON in the Neptune token format). */
function apiTokenResolver(tokens: TokenService, now: () => number): CredentialResolver {
  return async (request) => {
    const header = request.headers.authorization
    if (!header) return null
    const match = BEARER.exec(header)
    if (!match) return null
    return tokens.authenticate(match[1]!, now())
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** The request's API token, when it carries one of that shape (known or not). */
function apiTokenOf(request: FastifyRequest, tokens: TokenService): string | null {
  const match = BEARER.exec(request.headers.authorization ?? '')
  return match && tokens.recognizes(match[1]!) ? match[1]! : null
}
