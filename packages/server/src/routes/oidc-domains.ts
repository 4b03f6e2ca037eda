import { NereidError } from '@nereid/core'
import type { SsoDomain } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { WorkspaceRoleSchema, iso } from '../schemas/accounts.js'
import { AuditLog } from '../services/audit-log.js'

const DomainBody = Type.Object({
  domain: Type.String(),
  workspace: Type.String(),
  role: WorkspaceRoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
})
const DomainParams = Type.Object({ domain: Type.String({ minLength: 1, maxLength: 253 }) })
const DomainMapping = Type.Object(
  { workspace: Type.String({ minLength: 1, maxLength: 100 }), role: WorkspaceRoleSchema },
  { additionalProperties: false },
)

const present = (mapping: SsoDomain) => ({
  domain: mapping.domain,
  workspace: mapping.workspaceName,
  role: mapping.role,
  createdAt: iso(mapping.createdAt),
})

/**
 * Which workspace people of an e-mail domain join, with which role, when they first sign in
 * with single sign-on. Server administrators only: a domain mapping lets strangers in.
 */
export async function oidcDomainRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, now } = deps
  const audit = new AuditLog(store, now)

  app.get(
    '/api/v1/sso/domains',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'E-mail domains mapped to workspaces for single sign-on',
        tags: ['auth'],
        response: { 200: Type.Object({ domains: Type.Array(DomainBody) }) },
      },
    },
    async () => ({ domains: (await store.members.listSsoDomains()).map(present) }),
  )

  app.put<{ Params: Static<typeof DomainParams>; Body: Static<typeof DomainMapping> }>(
    '/api/v1/sso/domains/:domain',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Map an e-mail domain to a workspace and a default role',
        tags: ['auth'],
        params: DomainParams,
        body: DomainMapping,
        response: { 200: DomainBody },
      },
    },
    async (request) => {
      const workspace = await store.workspaces.getByName(request.body.workspace)
      if (!workspace) {
        throw new NereidError(
          'WORKSPACE_NOT_FOUND',
          `workspace "${request.body.workspace}" not found`,
          { workspace: request.body.workspace },
        )
      }
      const mapping = await store.members.setSsoDomain({
        domain: request.params.domain,
        workspaceId: workspace.id,
        role: request.body.role,
        now: now(),
      })
      await audit.record(request, {
        action: 'sso.domainMapped',
        workspaceId: workspace.id,
        target: mapping.domain,
        details: { role: mapping.role },
      })
      return present(mapping)
    },
  )

  app.delete<{ Params: Static<typeof DomainParams> }>(
    '/api/v1/sso/domains/:domain',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Remove a domain mapping (members keep their roles)',
        tags: ['auth'],
        params: DomainParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }) },
      },
    },
    async (request) => {
      const existing = await store.members.getSsoDomain(request.params.domain)
      const removed = await store.members.removeSsoDomain(request.params.domain)
      if (existing && removed) {
        await audit.record(request, {
          action: 'sso.domainUnmapped',
          workspaceId: existing.workspaceId,
          target: existing.domain,
        })
      }
      return { removed }
    },
  )
}
