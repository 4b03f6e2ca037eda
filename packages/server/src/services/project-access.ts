import { NereidError, type Project, type Workspace } from '@nereid/core'
import type { ProjectRole, Store, WorkspaceRole } from '@nereid/store'
import type { Principal, ProjectRoles } from './token-service.js'

/** What a caller wants to do with a project: read it, write to it, or manage it. */
export type ProjectAccess = 'read' | 'write' | 'admin'

const NEEDED: Record<ProjectAccess, ProjectRole> = {
  read: 'viewer',
  write: 'contributor',
  admin: 'owner',
}
const PROJECT_RANK: Record<ProjectRole, number> = { viewer: 1, contributor: 2, owner: 3 }
const WORKSPACE_RANK: Record<WorkspaceRole, number> = { member: 1, admin: 2, owner: 3 }

export function projectRoleAtLeast(role: ProjectRole | null, needed: ProjectRole): boolean {
  return role !== null && PROJECT_RANK[role] >= PROJECT_RANK[needed]
}

export function workspaceRoleAtLeast(role: WorkspaceRole | null, needed: WorkspaceRole): boolean {
  return role !== null && WORKSPACE_RANK[role] >= WORKSPACE_RANK[needed]
}

/**
 * The role a principal (or an anonymous caller, `null`) has on a project, every rule applied:
 * - server administrators, and the owners and admins of the project's workspace, own it;
 * - otherwise the role they were given in the project (people and service accounts alike);
 * - otherwise members of the workspace read projects of visibility "workspace" and "public";
 * - and anyone, signed in or not, reads a public project.
 * Service accounts are never workspace members: they only get what they are given.
 */
export async function projectRole(
  store: Store,
  principal: Principal | null,
  project: Project,
  /** The principal's roles, when already read (TokenService.authenticateForProject). */
  known?: ProjectRoles,
): Promise<ProjectRole | null> {
  if (principal?.user.isAdmin) return 'owner'
  let role: ProjectRole | null = null
  if (principal) {
    const access = known ?? (await store.members.access(project.id, principal.user.id))
    if (workspaceRoleAtLeast(access.workspaceRole, 'admin')) return 'owner'
    role = access.projectRole
    if (role === null && access.workspaceRole !== null && project.visibility !== 'private') {
      role = 'viewer'
    }
  }
  if (role === null && project.visibility === 'public') role = 'viewer'
  return role
}

/**
 * Checks that a principal may read, write or manage a project and returns it. A project the
 * caller may not see is answered exactly like one that does not exist (404, not 403), so names
 * of private projects do not leak; a visible project without the needed role is a 403. An
 * anonymous caller (null) gets 401 for anything but reading a public project.
 */
export async function authorizeProject(
  store: Store,
  principal: Principal | null,
  project: Project | null,
  access: ProjectAccess,
  name: string,
  known?: ProjectRoles,
): Promise<Project> {
  const role = project ? await projectRole(store, principal, project, known) : null
  if (project && projectRoleAtLeast(role, NEEDED[access])) return project
  if (!principal) throw authenticationRequired()
  if (!project || role === null) {
    throw new NereidError('PROJECT_NOT_FOUND', `project "${name}" not found`, { project: name })
  }
  throw new NereidError(
    'FORBIDDEN',
    `${access === 'admin' ? 'managing' : access === 'write' ? 'writing to' : 'reading'} project "${name}" needs the ${NEEDED[access]} role; you are ${article(role)} ${role}`,
    { project: name, role, needed: NEEDED[access] },
  )
}

/**
 * The workspace `name` and the caller's role in it (server administrators count as owners).
 * Non-members, service accounts included, are told it does not exist; members without the
 * needed role get a 403.
 */
export async function authorizeWorkspace(
  store: Store,
  principal: Principal,
  name: string,
  access: 'read' | 'admin',
): Promise<{ workspace: Workspace; role: WorkspaceRole }> {
  const workspace = await store.workspaces.getByName(name)
  const role = workspace
    ? principal.user.isAdmin
      ? 'owner'
      : await store.workspaces.memberRole(workspace.id, principal.user.id)
    : null
  if (!workspace || role === null) {
    throw new NereidError('WORKSPACE_NOT_FOUND', `workspace "${name}" not found`, {
      workspace: name,
    })
  }
  if (access === 'admin' && !workspaceRoleAtLeast(role, 'admin')) {
    throw new NereidError(
      'FORBIDDEN',
      `this needs the owner or admin role in workspace "${name}"; you are a ${role}`,
      { workspace: name, role, needed: 'admin' },
    )
  }
  return { workspace, role }
}

/** The projects of a list the caller may read, each with the caller's role in it. */
export async function visibleProjects(
  store: Store,
  principal: Principal | null,
  projects: Project[],
): Promise<{ project: Project; role: ProjectRole }[]> {
  const visible: { project: Project; role: ProjectRole }[] = []
  for (const project of projects) {
    const role = await projectRole(store, principal, project)
    if (role !== null) visible.push({ project, role })
  }
  return visible
}

export function authenticationRequired(): NereidError {
  return new NereidError(
    'AUTH_REQUIRED',
    'sign in, or send an API token as "Authorization: Bearer <token>"',
  )
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a'
}
