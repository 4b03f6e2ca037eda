import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { NewTokenBody, TokenBody, TokenName, presentToken } from '../schemas/accounts.js'
import { AuditLog } from '../services/audit-log.js'
import { TokenManagement } from '../services/token-management.js'
import { requirePerson } from '../services/user-accounts.js'

const TokenParams = Type.Object({ tokenId: Type.String({ minLength: 1, maxLength: 100 }) })

/**
 * Your own API tokens. A token is shown once, when created or rotated; lists show names and
 * dates only. Revoking ends it at once everywhere, Neptune client sessions included.
 */
export async function apiTokenRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, tokens, now } = deps
  const management = new TokenManagement(store, tokens, new AuditLog(store, now), now)

  app.get(
    '/api/v1/tokens',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Your API tokens: name, created, last used, revoked',
        tags: ['tokens'],
        response: { 200: Type.Object({ tokens: Type.Array(TokenBody) }) },
      },
    },
    async (request) => ({
      tokens: (await management.list(requirePerson(request))).map(presentToken),
    }),
  )

  app.post<{ Body: Static<typeof TokenName> }>(
    '/api/v1/tokens',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Create an API token (shown once)',
        tags: ['tokens'],
        body: TokenName,
        response: { 200: NewTokenBody },
      },
    },
    async (request) => {
      const { token, record } = await management.create(
        request,
        requirePerson(request),
        request.body.name,
      )
      return { token, record: presentToken(record) }
    },
  )

  app.delete<{ Params: Static<typeof TokenParams> }>(
    '/api/v1/tokens/:tokenId',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Revoke an API token; it stops working at once',
        tags: ['tokens'],
        params: TokenParams,
        response: { 200: TokenBody },
      },
    },
    async (request) =>
      presentToken(
        await management.revoke(request, requirePerson(request), request.params.tokenId),
      ),
  )

  app.post<{ Params: Static<typeof TokenParams> }>(
    '/api/v1/tokens/:tokenId/rotate',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Replace an API token by a new one with the same name (shown once)',
        tags: ['tokens'],
        params: TokenParams,
        response: { 200: NewTokenBody },
      },
    },
    async (request) => {
      const { token, record } = await management.rotate(
        request,
        requirePerson(request),
        request.params.tokenId,
      )
      return { token, record: presentToken(record) }
    },
  )
}
