import { NereidError, type Project, type Workspace } from '@nereid/core'
import type { User } from '@nereid/store'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { resolveProject } from '../containers.js'
import {
  neptuneProjectRole,
  neptuneWorkspaceRole,
  projectRoleFromNeptune,
  workspaceRoleFromNeptune,
} from '../member-roles.js'
import type { NeptuneDeps } from '../neptune-deps.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

type ProjectQuery = { projectIdentifier: string }

/**
 * `neptune.management` calls about people and service accounts: project members, workspace
 * members, service accounts of a workspace and of a project, and workspace invitations.
 */
export async function memberRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, now } = deps

  async function workspaceNamed(request: FastifyRequest, name: string): Promise<Workspace> {
    const user = request.principal!.user
    const workspace = await store.workspaces.getByName(name)
    const visible =
      workspace &&
      (user.isAdmin || (await store.workspaces.memberRole(workspace.id, user.id)) !== null)
    if (!workspace || !visible) {
      throw new NereidError('WORKSPACE_NOT_FOUND', `workspace "${name}" not found`, {
        workspace: name,
      })
    }
    return workspace
  }

  const projectOf = (request: FastifyRequest<{ Querystring: ProjectQuery }>, admin: boolean) =>
    resolveProject(
      store,
      request.principal!,
      request.query.projectIdentifier ?? '',
      admin ? 'admin' : 'read',
    )

  async function roleOf(project: Project, userId: string) {
    const members = await store.members.listProjectMembers(project.id)
    return members.find((member) => member.user.id === userId)?.role ?? null
  }

  function parseRole(role: string | undefined) {
    const parsed = projectRoleFromNeptune(role)
    if (parsed === null) {
      throw new NereidError('VALIDATION_FAILED', `role must be viewer, member or manager`, {
        field: 'role',
      })
    }
    return parsed
  }

  const personDto = (user: User, role: string) => ({
    role,
    registeredMemberInfo: { username: user.username, firstName: user.displayName, lastName: '' },
  })
  /** A plain 409: the client reads the status alone (it means "already there"). */
  const alreadyThere = (reply: FastifyReply, message: string) =>
    reply.code(409).send({ code: 409, title: 'Conflict', message })

  const accountDto = (user: User) => ({
    id: user.id,
    displayName: user.displayName,
    deactivated: user.deactivatedAt !== null,
  })

  app.get<{ Querystring: ProjectQuery }>(
    '/api/backend/v1/projects/membersOf',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request, false)
      return (await store.members.listProjectMembers(project.id))
        .filter((member) => member.user.kind === 'user')
        .map((member) => personDto(member.user, neptuneProjectRole(member.role)))
    },
  )

  app.post<{ Querystring: ProjectQuery; Body: { userId?: string; role?: string } }>(
    '/api/backend/v1/projects/members',
    AUTHENTICATED,
    async (request, reply) => {
      const project = await projectOf(request, true)
      const role = parseRole(request.body?.role)
      const username = request.body?.userId ?? ''
      const user = await store.accounts.findUserByUsername(username)
      if (!user || user.kind !== 'user') {
        throw new NereidError('VALIDATION_FAILED', `there is no user "${username}"`, {
          field: 'userId',
        })
      }
      if ((await roleOf(project, user.id)) !== null) {
        return alreadyThere(reply, `"${username}" is already a member of the project`)
      }
      await store.members.setProjectRole({
        projectId: project.id,
        userId: user.id,
        role,
        now: now(),
      })
      return personDto(user, neptuneProjectRole(role))
    },
  )

  app.delete<{ Querystring: ProjectQuery; Params: { userId: string } }>(
    '/api/backend/v1/projects/members/:userId',
    AUTHENTICATED,
    async (request, reply) => {
      const project = await projectOf(request, true)
      const user = await store.accounts.findUserByUsername(request.params.userId)
      if (!user || !(await store.members.removeProjectMember(project.id, user.id))) {
        // 422 is how Neptune says "not a member" (the client: UserNotExistsOrWithoutAccess).
        return reply.code(422).send({
          code: 422,
          title: 'Not a member',
          message: `"${request.params.userId}" has no role in this project`,
        })
      }
      return {}
    },
  )

  app.get<{ Params: { organizationIdentifier: string } }>(
    '/api/backend/v1/organizations2/:organizationIdentifier/members',
    AUTHENTICATED,
    async (request) => {
      const workspace = await workspaceNamed(request, request.params.organizationIdentifier)
      return (await store.members.listWorkspaceMembers(workspace.id)).map((member) =>
        personDto(member.user, neptuneWorkspaceRole(member.role)),
      )
    },
  )

  app.get<{ Querystring: { organizationIdentifier?: string; deactivated?: string } }>(
    '/api/backend/v1/serviceAccounts',
    AUTHENTICATED,
    async (request) => {
      const workspace = await workspaceNamed(request, request.query.organizationIdentifier ?? '')
      const wanted = request.query.deactivated
      return (await store.serviceAccounts.list(workspace.id))
        .filter(
          (account) =>
            wanted === undefined || (account.deactivatedAt !== null) === (wanted === 'true'),
        )
        .map(accountDto)
    },
  )

  app.get<{ Querystring: ProjectQuery }>(
    '/api/backend/v1/projects/service_accounts',
    AUTHENTICATED,
    async (request) => {
      const project = await projectOf(request, false)
      return (await store.members.listProjectMembers(project.id))
        .filter((member) => member.user.kind === 'serviceAccount')
        .map((member) => ({
          role: neptuneProjectRole(member.role),
          serviceAccountInfo: accountDto(member.user),
        }))
    },
  )

  app.post<{ Querystring: ProjectQuery; Body: { serviceAccountId?: string; role?: string } }>(
    '/api/backend/v1/projects/service_accounts',
    AUTHENTICATED,
    async (request, reply) => {
      const project = await projectOf(request, true)
      const role = parseRole(request.body?.role)
      const account = await store.accounts.getUser(request.body?.serviceAccountId ?? '')
      if (
        !account ||
        account.kind !== 'serviceAccount' ||
        account.workspaceId !== project.workspaceId
      ) {
        throw new NereidError(
          'VALIDATION_FAILED',
          `no service account "${request.body?.serviceAccountId}" in workspace ${project.workspaceName}`,
          { field: 'serviceAccountId' },
        )
      }
      if ((await roleOf(project, account.id)) !== null) {
        return alreadyThere(reply, 'the service account is already in the project')
      }
      await store.members.setProjectRole({
        projectId: project.id,
        userId: account.id,
        role,
        now: now(),
      })
      return { role: neptuneProjectRole(role), serviceAccountInfo: accountDto(account) }
    },
  )

  app.delete<{ Querystring: ProjectQuery; Params: { serviceAccountId: string } }>(
    '/api/backend/v1/projects/service_accounts/:serviceAccountId',
    AUTHENTICATED,
    async (request, reply) => {
      const project = await projectOf(request, true)
      if (!(await store.members.removeProjectMember(project.id, request.params.serviceAccountId))) {
        return reply.code(422).send({
          code: 422,
          title: 'Not a member',
          message: 'the service account has no role in this project',
        })
      }
      return {}
    },
  )

  // Nereid sends no e-mail: inviting someone who already has an account adds them to the
  // workspace at once; a workspace invitation link (web app) is the way for anyone else.
  app.post<{
    Body: {
      organizationIdentifier?: string
      invitationsEntries?: { invitee?: string; roleGrant?: string }[]
    }
  }>('/api/backend/v1/invitations/organization', AUTHENTICATED, async (request, reply) => {
    const body = request.body ?? {}
    const workspace = await workspaceNamed(request, body.organizationIdentifier ?? '')
    const inviter = request.principal!.user
    const inviterRole = await store.workspaces.memberRole(workspace.id, inviter.id)
    if (!inviter.isAdmin && inviterRole !== 'owner' && inviterRole !== 'admin') {
      throw new NereidError('FORBIDDEN', 'only workspace owners and admins invite people')
    }
    const invitations = []
    for (const entry of body.invitationsEntries ?? []) {
      const role = workspaceRoleFromNeptune(entry.roleGrant)
      const user = await store.accounts.findUserByUsername(entry.invitee ?? '')
      if (!user || user.kind !== 'user' || role === null) {
        throw new NereidError(
          'WORKSPACE_NOT_FOUND',
          `no user "${entry.invitee ?? ''}" to invite; people without an account join through an invitation link`,
          { invitee: entry.invitee },
        )
      }
      if ((await store.workspaces.memberRole(workspace.id, user.id)) !== null) {
        return alreadyThere(reply, `"${user.username}" is already a member of ${workspace.name}`)
      }
      await store.workspaces.addMember({
        workspaceId: workspace.id,
        userId: user.id,
        role,
        now: now(),
      })
      invitations.push({ id: user.id, invitee: user.username })
    }
    return { invitations }
  })
}
