import type { AuditEvent } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { iso } from '../schemas/accounts.js'

const Page = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  before: Type.Optional(
    Type.Integer({ minimum: 1, description: 'Event id: the page of events older than it' }),
  ),
})
const EventBody = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  action: Type.String({
    description: 'e.g. auth.signIn, token.revoked, project.visibilityChanged',
  }),
  actor: Type.Union([Type.String(), Type.Null()]),
  target: Type.Union([Type.String(), Type.Null()]),
  address: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
})
const Events = Type.Object({
  events: Type.Array(EventBody),
  nextBefore: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Pass as "before" for the next page; null at the end',
  }),
})

function page(events: AuditEvent[], limit: number) {
  return {
    events: events.map((event) => ({
      id: event.id,
      at: iso(event.at),
      action: event.action,
      actor: event.actorName,
      target: event.target,
      address: event.address,
      details: event.details,
    })),
    nextBefore: events.length === limit ? events[events.length - 1]!.id : null,
  }
}

/** The audit log of security events, newest first. */
export async function auditRoutes(app: FastifyInstance, { store }: AppDeps): Promise<void> {
  app.get<{ Params: { workspace: string }; Querystring: Static<typeof Page> }>(
    '/api/v1/workspaces/:workspace/audit',
    {
      config: { permission: 'workspace:admin' },
      schema: {
        summary: 'Security events of the workspace and account events of its members',
        tags: ['audit'],
        params: Type.Object({ workspace: Type.String() }),
        querystring: Page,
        response: { 200: Events },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100
      const events = await store.audit.list({
        workspaceId: request.workspace!.workspace.id,
        limit,
        ...(request.query.before !== undefined ? { before: request.query.before } : {}),
      })
      return page(events, limit)
    },
  )

  app.get<{ Querystring: Static<typeof Page> }>(
    '/api/v1/audit',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Every security event of the server',
        tags: ['audit'],
        querystring: Page,
        response: { 200: Events },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100
      const events = await store.audit.list({
        limit,
        ...(request.query.before !== undefined ? { before: request.query.before } : {}),
      })
      return page(events, limit)
    },
  )
}
