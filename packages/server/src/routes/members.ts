import { NereidError, type Project } from '@nereid/core'
import type { Membership, User, WorkspaceRole } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import {
  ProjectRoleSchema,
  UserBody,
  WorkspaceRoleSchema,
  iso,
  presentUser,
} from '../schemas/accounts.js'
import { ProjectParams } from '../schemas/common.js'
import { AuditLog } from '../services/audit-log.js'
import { findPerson } from '../services/user-accounts.js'

const WorkspaceParams = Type.Object({ workspace: Type.String() })
const WorkspaceMemberParams = Type.Object({
  workspace: Type.String(),
  username: Type.String({ minLength: 1, maxLength: 200 }),
})
const ProjectMemberParams = Type.Object({
  workspace: Type.String(),
  project: Type.String(),
  member: Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'A username, or a service account as name@workspace',
  }),
})
const WorkspaceRoleBody = Type.Object(
  { role: WorkspaceRoleSchema },
  { additionalProperties: false },
)
const ProjectRoleBody = Type.Object({ role: ProjectRoleSchema }, { additionalProperties: false })
const MemberBody = <R extends ReturnType<typeof Type.Union>>(role: R) =>
  Type.Object({ user: UserBody, role, since: Type.String({ format: 'date-time' }) })
const WorkspaceMemberBody = MemberBody(WorkspaceRoleSchema)
const ProjectMemberBody = MemberBody(ProjectRoleSchema)

const present = <R extends string>(member: Membership<R>) => ({
  user: presentUser(member.user),
  role: member.role,
  since: iso(member.createdAt),
})

/**
 * Who may do what: workspace members (owner, admin, member) and project members (owner,
 * contributor, viewer; people and service accounts). Only owners make or unmake owners, and a
 * workspace always keeps one.
 */
export async function memberRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, now } = deps
  const audit = new AuditLog(store, now)

  /** Admins manage members and admins; owners (and server administrators) manage anyone. */
  async function checkWorkspaceChange(
    request: FastifyRequest,
    target: User,
    from: WorkspaceRole | null,
    to: WorkspaceRole | null,
  ): Promise<void> {
    const { workspace, role: actorRole } = request.workspace!
    if ((from === 'owner' || to === 'owner') && actorRole !== 'owner') {
      throw new NereidError(
        'FORBIDDEN',
        'only an owner of the workspace can make or change an owner',
        { workspace: workspace.name, role: actorRole, needed: 'owner' },
      )
    }
    if (from === 'owner' && to !== 'owner') {
      if ((await store.members.countWorkspaceOwners(workspace.id)) <= 1) {
        throw new NereidError(
          'LAST_OWNER',
          `${target.username} is the last owner of workspace "${workspace.name}"; make someone else an owner first`,
        )
      }
    }
  }

  app.get<{ Params: Static<typeof WorkspaceParams> }>(
    '/api/v1/workspaces/:workspace/members',
    {
      config: { permission: 'workspace:read' },
      schema: {
        summary: 'People in the workspace and their roles',
        tags: ['members'],
        params: WorkspaceParams,
        response: { 200: Type.Object({ members: Type.Array(WorkspaceMemberBody) }) },
      },
    },
    async (request) => ({
      members: (await store.members.listWorkspaceMembers(request.workspace!.workspace.id)).map(
        present,
      ),
    }),
  )

  app.put<{ Params: Static<typeof WorkspaceMemberParams>; Body: Static<typeof WorkspaceRoleBody> }>(
    '/api/v1/workspaces/:workspace/members/:username',
    {
      config: { permission: 'workspace:admin' },
      schema: {
        summary: 'Add a person to the workspace or change their role',
        tags: ['members'],
        params: WorkspaceMemberParams,
        body: WorkspaceRoleBody,
        response: { 200: WorkspaceMemberBody },
      },
    },
    async (request) => {
      const { workspace } = request.workspace!
      const user = await findPerson(store, request.params.username)
      const from = await store.workspaces.memberRole(workspace.id, user.id)
      const to = request.body.role
      await checkWorkspaceChange(request, user, from, to)
      if (from !== to) {
        await store.workspaces.addMember({
          workspaceId: workspace.id,
          userId: user.id,
          role: to,
          now: now(),
        })
        await audit.record(request, {
          action: from === null ? 'workspace.memberAdded' : 'workspace.memberRoleChanged',
          workspaceId: workspace.id,
          target: user.username,
          details: { from, to },
        })
      }
      const member = (await store.members.listWorkspaceMembers(workspace.id)).find(
        (m) => m.user.id === user.id,
      )!
      return present(member)
    },
  )

  app.delete<{ Params: Static<typeof WorkspaceMemberParams> }>(
    '/api/v1/workspaces/:workspace/members/:username',
    {
      config: { permission: 'workspace:admin' },
      schema: {
        summary: 'Remove a person from the workspace and its projects',
        tags: ['members'],
        params: WorkspaceMemberParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }) },
      },
    },
    async (request) => {
      const { workspace } = request.workspace!
      const user = await findPerson(store, request.params.username)
      const from = await store.workspaces.memberRole(workspace.id, user.id)
      if (from === null) return { removed: false }
      await checkWorkspaceChange(request, user, from, null)
      const removed = await store.members.removeWorkspaceMember(workspace.id, user.id)
      await audit.record(request, {
        action: 'workspace.memberRemoved',
        workspaceId: workspace.id,
        target: user.username,
        details: { from },
      })
      return { removed }
    },
  )

  /** A person of the project's workspace, or a service account of that workspace. */
  async function projectMember(project: Project, name: string): Promise<User> {
    if (name.includes('@')) {
      const account = await store.serviceAccounts.get(project.workspaceId, name)
      if (!account) {
        throw new NereidError(
          'USER_NOT_FOUND',
          `workspace "${project.workspaceName}" has no service account "${name.slice(0, 100)}"`,
          { member: name.slice(0, 100) },
        )
      }
      return account
    }
    const user = await findPerson(store, name)
    if (
      !user.isAdmin &&
      (await store.workspaces.memberRole(project.workspaceId, user.id)) === null
    ) {
      throw new NereidError(
        'VALIDATION_FAILED',
        `${user.username} is not a member of workspace "${project.workspaceName}"; add them to the workspace first`,
        { field: 'member' },
      )
    }
    return user
  }

  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/api/v1/projects/:workspace/:project/members',
    {
      config: { permission: 'project:admin' },
      schema: {
        summary: 'People and service accounts with a role in the project',
        tags: ['members'],
        params: ProjectParams,
        response: { 200: Type.Object({ members: Type.Array(ProjectMemberBody) }) },
      },
    },
    async (request) => ({
      members: (await store.members.listProjectMembers(request.project!.id)).map(present),
    }),
  )

  app.put<{ Params: Static<typeof ProjectMemberParams>; Body: Static<typeof ProjectRoleBody> }>(
    '/api/v1/projects/:workspace/:project/members/:member',
    {
      config: { permission: 'project:admin' },
      schema: {
        summary: 'Give a person or a service account a role in the project',
        tags: ['members'],
        params: ProjectMemberParams,
        body: ProjectRoleBody,
        response: { 200: ProjectMemberBody },
      },
    },
    async (request) => {
      const project = request.project!
      const member = await projectMember(project, request.params.member)
      const before = (await store.members.access(project.id, member.id)).projectRole
      const role = request.body.role
      if (before !== role) {
        await store.members.setProjectRole({
          projectId: project.id,
          userId: member.id,
          role,
          now: now(),
        })
        await audit.record(request, {
          action: 'project.memberRoleChanged',
          workspaceId: project.workspaceId,
          projectId: project.id,
          target: member.username,
          details: { project: `${project.workspaceName}/${project.name}`, from: before, to: role },
        })
      }
      const entry = (await store.members.listProjectMembers(project.id)).find(
        (m) => m.user.id === member.id,
      )!
      return present(entry)
    },
  )

  app.delete<{ Params: Static<typeof ProjectMemberParams> }>(
    '/api/v1/projects/:workspace/:project/members/:member',
    {
      config: { permission: 'project:admin' },
      schema: {
        summary: 'Take a person’s or a service account’s role in the project away',
        tags: ['members'],
        params: ProjectMemberParams,
        response: { 200: Type.Object({ removed: Type.Boolean() }) },
      },
    },
    async (request) => {
      const project = request.project!
      const member = await projectMember(project, request.params.member).catch((error) => {
        if ((error as NereidError).code === 'VALIDATION_FAILED') return null
        throw error
      })
      if (!member) return { removed: false }
      const removed = await store.members.removeProjectMember(project.id, member.id)
      if (removed) {
        await audit.record(request, {
          action: 'project.memberRemoved',
          workspaceId: project.workspaceId,
          projectId: project.id,
          target: member.username,
          details: { project: `${project.workspaceName}/${project.name}` },
        })
      }
      return { removed }
    },
  )
}
