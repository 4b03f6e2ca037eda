import { createHash, randomBytes } from 'node:crypto'
import { NereidError } from '@nereid/core'
import type { Invitation } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { UserBody, WorkspaceRoleSchema, iso, isoOrNull, presentUser } from '../schemas/accounts.js'
import { AuditLog } from '../services/audit-log.js'
import { MAX_PASSWORD_LENGTH } from '../services/password-hasher.js'
import { createPerson, requirePerson } from '../services/user-accounts.js'

const WorkspaceParams = Type.Object({ workspace: Type.String() })
const InvitationParams = Type.Object({
  workspace: Type.String(),
  invitationId: Type.String({ minLength: 1, maxLength: 100 }),
})
const CreateInvitation = Type.Object(
  {
    role: WorkspaceRoleSchema,
    expiresInHours: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 24 * 90, description: 'Default: 7 days' }),
    ),
  },
  { additionalProperties: false },
)
const InvitationToken = Type.String({ minLength: 1, maxLength: 200 })
const TokenOnly = Type.Object({ token: InvitationToken }, { additionalProperties: false })
const Register = Type.Object(
  {
    token: InvitationToken,
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
)
const InvitationBody = Type.Object({
  id: Type.String(),
  role: WorkspaceRoleSchema,
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('accepted'),
    Type.Literal('revoked'),
    Type.Literal('expired'),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  acceptedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
const Invited = Type.Object({
  workspace: Type.Object({ name: Type.String(), displayName: Type.String() }),
  role: WorkspaceRoleSchema,
  expiresAt: Type.String({ format: 'date-time' }),
})

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * Invitation links: a workspace admin creates one with a role and an expiry and hands the link
 * over (there is no mail server); whoever opens it joins once, signing in or creating an
 * account. Links can be revoked until used.
 */
export async function invitationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, config, now } = deps
  const audit = new AuditLog(store, now)

  const status = (invitation: Invitation) =>
    invitation.acceptedAt !== null
      ? ('accepted' as const)
      : invitation.revokedAt !== null
        ? ('revoked' as const)
        : invitation.expiresAt <= now()
          ? ('expired' as const)
          : ('pending' as const)
  const present = (invitation: Invitation) => ({
    id: invitation.id,
    role: invitation.role,
    status: status(invitation),
    createdAt: iso(invitation.createdAt),
    expiresAt: iso(invitation.expiresAt),
    acceptedAt: isoOrNull(invitation.acceptedAt),
  })

  /** The pending invitation behind a link, or INVITATION_INVALID (unknown ones too). */
  async function pending(token: string) {
    const invitation = await store.invitations.findByTokenHash(hashToken(token))
    if (!invitation || status(invitation) !== 'pending') {
      throw new NereidError(
        'INVITATION_INVALID',
        'this invitation link is expired, revoked or already used; ask a workspace admin for a new one',
      )
    }
    const workspace = (await store.workspaces.list()).find((w) => w.id === invitation.workspaceId)!
    return { invitation, workspace }
  }

  async function accept(invitationId: string, userId: string) {
    if (!(await store.invitations.accept(invitationId, userId, now()))) {
      throw new NereidError('INVITATION_INVALID', 'this invitation was used or revoked meanwhile')
    }
  }

  app.get<{ Params: Static<typeof WorkspaceParams> }>(
    '/api/v1/workspaces/:workspace/invitations',
    {
      config: { permission: 'workspace:admin' },
      schema: {
        summary: 'Invitations of the workspace (the links themselves are never shown again)',
        tags: ['invitations'],
        params: WorkspaceParams,
        response: { 200: Type.Object({ invitations: Type.Array(InvitationBody) }) },
      },
    },
    async (request) => ({
      invitations: (await store.invitations.list(request.workspace!.workspace.id)).map(present),
    }),
  )

  app.post<{ Params: Static<typeof WorkspaceParams>; Body: Static<typeof CreateInvitation> }>(
    '/api/v1/workspaces/:workspace/invitations',
    {
      config: { permission: 'workspace:admin' },
      schema: {
        summary: 'Create an invitation link (shown once) with a role and an expiry',
        tags: ['invitations'],
        params: WorkspaceParams,
        body: CreateInvitation,
        response: {
          200: Type.Object({
            invitation: InvitationBody,
            token: Type.String(),
            url: Type.String({ description: 'The link to hand over' }),
          }),
        },
      },
    },
    async (request) => {
      const { workspace, role: actorRole } = request.workspace!
      if (request.body.role === 'owner' && actorRole !== 'owner') {
        throw new NereidError('FORBIDDEN', 'only an owner of the workspace can invite owners', {
          role: actorRole,
          needed: 'owner',
        })
      }
      const token = randomBytes(32).toString('base64url')
      const createdAt = now()
      const ttl =
        request.body.expiresInHours === undefined
          ? config.invitationTtlMs
          : request.body.expiresInHours * 3_600_000
      const invitation = await store.invitations.create({
        workspaceId: workspace.id,
        role: request.body.role,
        tokenHash: hashToken(token),
        createdBy: request.principal!.user.id,
        now: createdAt,
        expiresAt: createdAt + ttl,
      })
      await audit.record(request, {
        action: 'invitation.created',
        workspaceId: workspace.id,
        target: invitation.id,
        details: { role: invitation.role, expiresAt: iso(invitation.expiresAt) },
      })
      return { invitation: present(invitation), token, url: `${config.publicUrl}/invite#${token}` }
    },
  )

  app.delete<{ Params: Static<typeof InvitationParams> }>(
    '/api/v1/workspaces/:workspace/invitations/:invitationId',
    {
      config: { permission: 'workspace:admin' },
      schema: {
        summary: 'Revoke an invitation link that was not used yet',
        tags: ['invitations'],
        params: InvitationParams,
        response: { 200: InvitationBody },
      },
    },
    async (request) => {
      const { workspace } = request.workspace!
      const invitation = await store.invitations.get(request.params.invitationId)
      if (!invitation || invitation.workspaceId !== workspace.id) {
        throw new NereidError(
          'INVITATION_INVALID',
          `no invitation with this id in "${workspace.name}"`,
        )
      }
      if (await store.invitations.revoke(invitation.id, now())) {
        await audit.record(request, {
          action: 'invitation.revoked',
          workspaceId: workspace.id,
          target: invitation.id,
        })
      }
      return present((await store.invitations.get(invitation.id))!)
    },
  )

  app.post<{ Body: Static<typeof TokenOnly> }>(
    '/api/v1/invitations/lookup',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'What an invitation link offers (workspace, role, expiry)',
        description: 'The token is sent in the body, so that it stays out of URLs and logs.',
        tags: ['invitations'],
        security: [],
        body: TokenOnly,
        response: { 200: Invited },
      },
    },
    async (request) => {
      const { invitation, workspace } = await pending(request.body.token)
      return {
        workspace: { name: workspace.name, displayName: workspace.displayName },
        role: invitation.role,
        expiresAt: iso(invitation.expiresAt),
      }
    },
  )

  app.post<{ Body: Static<typeof TokenOnly> }>(
    '/api/v1/invitations/accept',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Join the invitation’s workspace as the signed-in person',
        tags: ['invitations'],
        body: TokenOnly,
        response: { 200: Invited },
      },
    },
    async (request) => {
      const user = requirePerson(request)
      const { invitation, workspace } = await pending(request.body.token)
      await accept(invitation.id, user.id)
      await audit.record(request, {
        action: 'invitation.accepted',
        workspaceId: workspace.id,
        target: invitation.id,
        details: { role: invitation.role },
      })
      return {
        workspace: { name: workspace.name, displayName: workspace.displayName },
        role: (await store.workspaces.memberRole(workspace.id, user.id))!,
        expiresAt: iso(invitation.expiresAt),
      }
    },
  )

  app.post<{ Body: Static<typeof Register> }>(
    '/api/v1/invitations/register',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Create an account with an invitation link, join its workspace and sign in',
        tags: ['invitations'],
        security: [],
        body: Register,
        response: { 200: Type.Object({ user: UserBody, csrfToken: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { token, username, password, displayName } = request.body
      const { invitation, workspace } = await pending(token)
      const { user } = await createPerson(store, {
        username,
        password,
        ...(displayName !== undefined ? { displayName } : {}),
        now: now(),
      })
      await accept(invitation.id, user.id)
      const { csrfToken } = await app.auth.sessions.start(request, reply, user)
      await audit.record(
        request,
        {
          action: 'invitation.accepted',
          workspaceId: workspace.id,
          target: invitation.id,
          details: { role: invitation.role, newAccount: true },
        },
        { id: user.id, name: user.username },
      )
      return { user: presentUser(user), csrfToken }
    },
  )
}
