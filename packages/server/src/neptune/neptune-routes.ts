import { LIMITS } from '@nereid/core'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { registerNeptuneErrorHandler } from './neptune-errors.js'
import type { NeptuneDeps } from './neptune-deps.js'
import { attributeRoutes } from './routes/attribute-routes.js'
import { containerRoutes } from './routes/container-routes.js'
import { operationRoutes } from './routes/operation-routes.js'
import { projectRoutes } from './routes/project-routes.js'
import { leaderboardRoutes } from './routes/leaderboard-routes.js'
import { trashRoutes } from './routes/trash-routes.js'
import { artifactRoutes } from './routes/artifact-routes.js'
import { notificationRoutes } from './routes/notification-routes.js'
import { memberRoutes } from './routes/member-routes.js'
import { downloadRoutes } from './routes/download-routes.js'
import { uploadRoutes } from './routes/upload-routes.js'
import { protocolRoutes } from './routes/protocol-routes.js'
import { TokenExchange } from './token-exchange.js'

/**
 * The endpoints the `neptune` 1.x Python client calls (docs/neptune.md). They translate to
 * the same store and operation applier as the native API. Registered as one encapsulated
 * plugin: its error handler and body parsers answer in the shapes the client understands and
 * leave the native API alone.
 */
export async function neptuneRoutes(app: FastifyInstance, appDeps: AppDeps): Promise<void> {
  const exchange = new TokenExchange(
    appDeps.store,
    appDeps.tokens,
    appDeps.config.publicUrl,
    appDeps.now,
  )
  app.auth.addResolver((request) => exchange.resolve(request))
  const deps: NeptuneDeps = { ...appDeps, exchange }

  registerNeptuneErrorHandler(app, LIMITS.maxJsonBodyBytes)
  // The client POSTs several calls (ping, upload start and finish) with no body at all.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: LIMITS.maxJsonBodyBytes },
    (_request, buffer, done) => {
      const text = (buffer as Buffer).toString('utf8')
      if (text.trim() === '') return done(null, undefined)
      try {
        done(null, JSON.parse(text))
      } catch (error) {
        done(error as Error, undefined)
      }
    },
  )

  await app.register(protocolRoutes, deps)
  await app.register(projectRoutes, deps)
  await app.register(containerRoutes, deps)
  await app.register(operationRoutes, deps)
  await app.register(attributeRoutes, deps)
  await app.register(uploadRoutes, deps)
  await app.register(downloadRoutes, deps)
  await app.register(leaderboardRoutes, deps)
  await app.register(trashRoutes, deps)
  await app.register(artifactRoutes, deps)
  await app.register(notificationRoutes, deps)
  await app.register(memberRoutes, deps)
}
