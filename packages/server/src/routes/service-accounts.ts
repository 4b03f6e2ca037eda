import { NereidError } from '@nereid/core'
import type { User } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import {
  NewTokenBody,
  ProjectRoleSchema,
  TokenBody,
  TokenName,
  UserBody,
  presentToken,
  presentUser,
} from '../schemas/accounts.js'
import { AuditLog } from '../services/audit-log.js'
import { TokenManagement } from '../services/token-management.js'

const WorkspaceParams = Type.Object({ workspace: Type.String() })
const AccountParams = Type.Object({
  workspace: Type.String(),
  account: Type.String({ minLength: 1, maxLength: 200, description: 'name or name@workspace' }),
})
const AccountTokenParams = Type.Object({
  workspace: Type.String(),
  account: Type.String({ minLength: 1, maxLength: 200 }),
  tokenId: Type.String({ minLength: 1, maxLength: 100 }),
})
const CreateAccount = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64, description: 'Becomes name@workspace' }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
)
const AccountBody = Type.Object({
  account: UserBody,
  projects: Type.Array(Type.Object({ project: Type.String(), role: ProjectRoleSchema })),
})

/**
 * Service accounts of a workspace, for CI and pipelines. They reach only the projects they are
 * assigned to (project members, `PUT /projects/.../members/name@workspace`), never implicitly.
 */
export async function serviceAccountRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, tokens, now } = deps
  const audit = new AuditLog(store, now)
  const management = new TokenManagement(store, tokens, audit, now)

  async function account(request: FastifyRequest, name: string): Promise<User> {
    const { workspace } = request.workspace!
    const found = await store.serviceAccounts.get(workspace.id, name)
    if (!found) {
      throw new NereidError(
        'USER_NOT_FOUND',
        `workspace "${workspace.name}" has no service account "${name.slice(0, 100)}"`,
        { account: name.slice(0, 100) },
      )
    }
    return found
  }

  async function withProjects(request: FastifyRequest, accounts: User[]) {
    const { workspace } = request.workspace!
    const names = new Map(
      (await store.projects.list(workspace.id)).map((p) => [p.id, `${workspace.name}/${p.name}`]),
    )
    const result = []
    for (const serviceAccount of accounts) {
      const roles = await store.members.listProjectRoles(serviceAccount.id)
      result.push({
        account: presentUser(serviceAccount),
        projects: [...roles]
          .filter(([projectId]) => names.has(projectId))
          .map(([projectId, role]) => ({ project: names.get(projectId)!, role }))
          .sort((a, b) => a.project.localeCompare(b.project)),
      })
    }
    return result
  }

  const admin = { permission: 'workspace:admin' as const }

  app.get<{ Params: Static<typeof WorkspaceParams> }>(
    '/api/v1/workspaces/:workspace/service-accounts',
    {
      config: admin,
      schema: {
        summary: 'Service accounts of the workspace, with the projects each may reach',
        tags: ['service accounts'],
        params: WorkspaceParams,
        response: { 200: Type.Object({ serviceAccounts: Type.Array(AccountBody) }) },
      },
    },
    async (request) => ({
      serviceAccounts: await withProjects(
        request,
        await store.serviceAccounts.list(request.workspace!.workspace.id),
      ),
    }),
  )

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof CreateAccount> }>(
    '/api/v1/workspaces/:workspace/service-accounts',
    {
      config: admin,
      schema: {
        summary: 'Create a service account (no access until assigned to projects)',
        tags: ['service accounts'],
        params: WorkspaceParams,
        body: CreateAccount,
        response: { 200: AccountBody },
      },
    },
    async (request) => {
      const { workspace } = request.workspace!
      const created = await store.serviceAccounts.create({
        workspaceId: workspace.id,
        name: request.body.name,
        displayName: request.body.displayName,
        now: now(),
      })
      await audit.record(request, {
        action: 'serviceAccount.created',
        workspaceId: workspace.id,
        target: created.username,
      })
      return { account: presentUser(created), projects: [] }
    },
  )

  app.delete<{ Params: Static<typeof AccountParams> }>(
    '/api/v1/workspaces/:workspace/service-accounts/:account',
    {
      config: admin,
      schema: {
        summary: 'Delete a service account with its tokens and project roles',
        tags: ['service accounts'],
        params: AccountParams,
        response: { 200: Type.Object({ deleted: Type.Boolean() }) },
      },
    },
    async (request) => {
      const found = await account(request, request.params.account)
      const deleted = await store.serviceAccounts.delete(found.id)
      await audit.record(request, {
        action: 'serviceAccount.deleted',
        workspaceId: request.workspace!.workspace.id,
        target: found.username,
      })
      return { deleted }
    },
  )

  app.get<{ Params: Static<typeof AccountParams> }>(
    '/api/v1/workspaces/:workspace/service-accounts/:account/tokens',
    {
      config: admin,
      schema: {
        summary: 'API tokens of a service account (names and dates)',
        tags: ['service accounts'],
        params: AccountParams,
        response: { 200: Type.Object({ tokens: Type.Array(TokenBody) }) },
      },
    },
    async (request) => ({
      tokens: (await management.list(await account(request, request.params.account))).map(
        presentToken,
      ),
    }),
  )

  app.post<{ Params: Static<typeof AccountParams>; Body: Static<typeof TokenName> }>(
    '/api/v1/workspaces/:workspace/service-accounts/:account/tokens',
    {
      config: admin,
      schema: {
        summary: 'Create an API token for a service account (shown once)',
        tags: ['service accounts'],
        params: AccountParams,
        body: TokenName,
        response: { 200: NewTokenBody },
      },
    },
    async (request) => {
      const owner = await account(request, request.params.account)
      const { token, record } = await management.create(request, owner, request.body.name)
      return { token, record: presentToken(record) }
    },
  )

  app.delete<{ Params: Static<typeof AccountTokenParams> }>(
    '/api/v1/workspaces/:workspace/service-accounts/:account/tokens/:tokenId',
    {
      config: admin,
      schema: {
        summary: 'Revoke a service account’s API token',
        tags: ['service accounts'],
        params: AccountTokenParams,
        response: { 200: TokenBody },
      },
    },
    async (request) => {
      const owner = await account(request, request.params.account)
      return presentToken(await management.revoke(request, owner, request.params.tokenId))
    },
  )

  app.post<{ Params: Static<typeof AccountTokenParams> }>(
    '/api/v1/workspaces/:workspace/service-accounts/:account/tokens/:tokenId/rotate',
    {
      config: admin,
      schema: {
        summary: 'Replace a service account’s API token (the new one is shown once)',
        tags: ['service accounts'],
        params: AccountTokenParams,
        response: { 200: NewTokenBody },
      },
    },
    async (request) => {
      const owner = await account(request, request.params.account)
      const { token, record } = await management.rotate(request, owner, request.params.tokenId)
      return { token, record: presentToken(record) }
    },
  )
}
