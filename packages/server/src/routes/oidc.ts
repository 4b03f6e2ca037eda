import { NereidError } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { AuditLog } from '../services/audit-log.js'
import { OidcService } from '../services/oidc-service.js'

const LoginQuery = Type.Object({
  provider: Type.Optional(
    Type.String({ maxLength: 100, description: 'Provider id; the first one when absent' }),
  ),
  returnTo: Type.Optional(
    Type.String({ maxLength: 2000, description: 'Path of this site to go to afterwards' }),
  ),
})
const CallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 4096 })),
  state: Type.Optional(Type.String({ maxLength: 512 })),
  error: Type.Optional(Type.String({ maxLength: 512 })),
  error_description: Type.Optional(Type.String({ maxLength: 4096 })),
  iss: Type.Optional(Type.String({ maxLength: 2048 })),
  session_state: Type.Optional(Type.String({ maxLength: 512 })),
})

/** Single sign-on with OpenID Connect: the redirect to the provider and its callback. */
export async function oidcRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, config, now } = deps
  const oidc = new OidcService(store, config, now, app.auth.sessions, new AuditLog(store, now))

  app.get<{ Querystring: Static<typeof LoginQuery> }>(
    '/api/v1/auth/oidc/login',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Single sign-on: redirects to the OpenID Connect provider',
        tags: ['auth'],
        security: [],
        querystring: LoginQuery,
      },
    },
    async (request, reply) => {
      const url = await oidc.begin(request, reply, request.query.provider, request.query.returnTo)
      return reply.redirect(url, 302)
    },
  )

  app.get<{ Querystring: Static<typeof CallbackQuery> }>(
    '/api/v1/auth/oidc/callback',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Single sign-on: the provider sends the browser back here',
        description:
          'Signs the person in (first sign-in creates the account) and redirects to returnTo.',
        tags: ['auth'],
        security: [],
        querystring: CallbackQuery,
      },
    },
    async (request, reply) => {
      try {
        return reply.redirect(await oidc.complete(request, reply), 302)
      } catch (error) {
        // A person in a browser gets the sign-in page with the reason, not a JSON document;
        // scripts (and anything not asking for HTML) get the usual error answer.
        const wantsPage = (request.headers.accept ?? '').includes('text/html')
        if (!wantsPage || !(error instanceof NereidError) || error.code !== 'SSO_FAILED')
          throw error
        return reply.redirect(`/-/sign-in?ssoError=${encodeURIComponent(error.message)}`, 302)
      }
    },
  )
}
