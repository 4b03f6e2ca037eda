import swagger from '@fastify/swagger'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { BlobStore, Store } from '@nereid/store'
import type { AppDeps } from './app-deps.js'
import { DEFAULT_CONFIG, type ServerConfig } from './config.js'
import { registerAuth, type AuthRegistry, type RouteEntry } from './plugins/auth.js'
import { registerErrorHandler } from './plugins/error-handler.js'
import { fileRoutes } from './routes/files.js'
import { healthRoutes } from './routes/health.js'
import { objectRoutes } from './routes/objects.js'
import { openApiRoutes } from './routes/openapi.js'
import { projectRoutes } from './routes/projects.js'
import { searchRoutes } from './routes/search.js'
import { seriesRoutes } from './routes/series.js'
import { trashRoutes } from './routes/trash.js'
import { neptuneRoutes } from './neptune/neptune-routes.js'
import { workspaceRoutes } from './routes/workspaces.js'
import { importRoutes } from './routes/import.js'
import { viewRoutes } from './routes/views.js'
import { dashboardRoutes } from './routes/dashboards.js'
import { conventionRoutes } from './routes/conventions.js'
import { chartBucketRoutes } from './routes/chart-buckets.js'
import { notebookRoutes } from './routes/notebooks.js'
import { webAppRoutes } from './routes/web-app.js'
import { apiTokenRoutes } from './routes/api-tokens.js'
import { auditRoutes } from './routes/audit.js'
import { authRoutes } from './routes/auth.js'
import { invitationRoutes } from './routes/invitations.js'
import { memberRoutes } from './routes/members.js'
import { oidcRoutes } from './routes/oidc.js'
import { oidcDomainRoutes } from './routes/oidc-domains.js'
import { serviceAccountRoutes } from './routes/service-accounts.js'
import { usageRoutes } from './routes/usage.js'
import { trashUsageRoutes } from './routes/usage-trash.js'
import { userRoutes } from './routes/users.js'
import { BatchParser } from './ingest/batch-parser.js'
import { ObjectIdCache } from './services/object-lookup.js'
import { BlobService } from './services/blob-service.js'
import { TokenService } from './services/token-service.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The services the routes use, for the process that hosts the app (jobs, CLI). */
    nereid: AppDeps
    /** Every registered route with its declared permission. */
    routeTable: readonly RouteEntry[]
    /** Authentication: add credential resolvers (Neptune JWTs, sessions). */
    auth: AuthRegistry
  }
}

export interface BuildAppOptions {
  store: Store
  blobs: BlobStore
  config: Partial<ServerConfig> & Pick<ServerConfig, 'publicUrl'>
  logger?: FastifyServerOptions['logger']
  /** The clock; tests pass their own. */
  now?: () => number
  /** The built web app served at `/`; defaults to the @nereid/web build. */
  webAppDir?: string
  /** Serve HTTPS with this certificate and key (PEM). */
  https?: { cert: Buffer; key: Buffer }
}

/**
 * Builds the HTTP application without listening (Fastify's factory pattern): `main.ts` starts
 * it, tests drive it with `inject()`.
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...options.config }
  const now = options.now ?? Date.now
  const app = Fastify({
    ...(options.https ? { https: options.https } : {}),
    logger: options.logger ?? false,
    bodyLimit: 16 * 1024 * 1024,
    // Operation batches are sent by machines that retry; keep connections around.
    keepAliveTimeout: 65_000,
    // The Neptune client follows no redirects; "/x/" and "/x" must both answer.
    routerOptions: { ignoreTrailingSlash: true },
    // Per-request log lines cost more than a small request at ingestion rates; errors are
    // still logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  })
  const tokens = new TokenService(options.store, config.publicUrl)
  const deps: AppDeps = {
    store: options.store,
    blobs: options.blobs,
    config,
    tokens,
    blobService: new BlobService(options.store, options.blobs, now),
    batchParser: new BatchParser(),
    objectIds: new ObjectIdCache(),
    now,
  }
  app.addHook('onClose', async () => deps.batchParser.close())

  app.decorate('nereid', deps)
  registerErrorHandler(app, app.initialConfig.bodyLimit ?? 16 * 1024 * 1024)
  const auth = registerAuth(app, options.store, tokens, now)
  app.decorate('auth', auth)
  app.decorate('routeTable', auth.routes)
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Nereid native API',
        version: '1',
        description:
          'Metadata store for machine-learning experiments. Authenticate with "Authorization: Bearer <API token>".',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { apiToken: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiToken: [] }],
    },
    hideUntagged: true,
  })

  await app.register(healthRoutes)
  await app.register(openApiRoutes)
  await app.register(workspaceRoutes, deps)
  await app.register(projectRoutes, deps)
  await app.register(objectRoutes, deps)
  await app.register(seriesRoutes, deps)
  await app.register(fileRoutes, deps)
  await app.register(searchRoutes, deps)
  await app.register(trashRoutes, deps)
  await app.register(neptuneRoutes, deps)
  await app.register(importRoutes, deps)
  await app.register(viewRoutes, deps)
  await app.register(dashboardRoutes, deps)
  await app.register(conventionRoutes, deps)
  await app.register(chartBucketRoutes, deps)
  await app.register(notebookRoutes, deps)
  // Accounts and access control (docs/security.md).
  await app.register(authRoutes, deps)
  await app.register(oidcRoutes, deps)
  await app.register(oidcDomainRoutes, deps)
  await app.register(userRoutes, deps)
  await app.register(apiTokenRoutes, deps)
  await app.register(serviceAccountRoutes, deps)
  await app.register(memberRoutes, deps)
  await app.register(invitationRoutes, deps)
  await app.register(auditRoutes, deps)
  await app.register(usageRoutes, deps)
  await app.register(trashUsageRoutes, deps)
  // Last: its catch-all GET serves the app's page for every path no API route claims.
  await app.register(webAppRoutes, { dir: options.webAppDir })
  return app
}
