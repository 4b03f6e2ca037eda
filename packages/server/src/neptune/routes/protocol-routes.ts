import { NereidError } from '@nereid/core'
import type { FastifyInstance } from 'fastify'
import { ARTIFACTS_SPEC } from '../specs/artifacts-spec.js'
import { BACKEND_SPEC } from '../specs/backend-spec.js'
import { LEADERBOARD_SPEC } from '../specs/leaderboard-spec.js'
import { MULTIPART, type NeptuneDeps } from '../neptune-deps.js'

const PUBLIC = { config: { permission: 'public' as const } }

/**
 * What the client reads before it is authenticated: the three Swagger documents, the client
 * configuration, the API-token exchange and the OAuth refresh endpoint.
 */
export async function protocolRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const specs = {
    '/api/backend/swagger.json': JSON.stringify(BACKEND_SPEC),
    '/api/leaderboard/swagger.json': JSON.stringify(LEADERBOARD_SPEC),
    '/api/artifacts/swagger.json': JSON.stringify(ARTIFACTS_SPEC),
  }
  for (const [url, document] of Object.entries(specs)) {
    app.get(url, PUBLIC, async (_request, reply) => reply.type('application/json').send(document))
  }

  app.get('/api/backend/v1/clients/config', PUBLIC, async () => ({
    apiUrl: deps.config.publicUrl,
    applicationUrl: deps.config.publicUrl,
    // Declared but empty: no client version is refused or nagged.
    pyLibVersions: {},
    multiPartUpload: { enabled: true, ...MULTIPART },
    artifacts: { enabled: true, apiVersion: 2 },
    sysNameSetByBackend: true,
  }))

  app.get('/api/backend/v1/authorization/oauth-token', PUBLIC, async (request) => {
    const header = request.headers['x-neptune-api-token']
    if (typeof header !== 'string' || header.trim() === '') {
      throw new NereidError('TOKEN_INVALID', 'send the API token in the X-Neptune-Api-Token header')
    }
    const tokens = await deps.exchange.exchange(header)
    return {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      username: tokens.username,
    }
  })

  // OAuth 2 refresh grant (form-encoded). Errors follow RFC 6749 (`error`), which makes the
  // client exchange its API token again.
  await app.register(async (oauth) => {
    oauth.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, text, done) => done(null, Object.fromEntries(new URLSearchParams(String(text)))),
    )
    oauth.post(
      '/auth/realms/neptune/protocol/openid-connect/token',
      PUBLIC,
      async (request, reply) => {
        const form = (request.body ?? {}) as Record<string, string>
        if (form.grant_type !== 'refresh_token' || !form.refresh_token) {
          return reply.code(400).send({
            error: 'unsupported_grant_type',
            error_description: 'only grant_type=refresh_token with a refresh_token is supported',
          })
        }
        try {
          const tokens = await deps.exchange.refresh(form.refresh_token)
          return {
            access_token: tokens.accessToken,
            token_type: 'Bearer',
            expires_in: tokens.expiresIn,
            refresh_token: tokens.refreshToken,
          }
        } catch (error) {
          if (!(error instanceof NereidError)) throw error
          return reply.code(400).send({ error: 'invalid_grant', error_description: error.message })
        }
      },
    )
  })
}
