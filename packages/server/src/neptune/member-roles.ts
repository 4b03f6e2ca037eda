import type { ProjectRole, WorkspaceRole } from '@nereid/store'

/** Neptune's project roles: `viewer`, `member` (contributor) and `manager` (owner). */
const PROJECT_ROLES: Record<ProjectRole, string> = {
  viewer: 'viewer',
  contributor: 'member',
  owner: 'manager',
}

export function neptuneProjectRole(role: ProjectRole): string {
  return PROJECT_ROLES[role]
}

/** Nereid's project role for Neptune's (both spellings accepted), or null. */
export function projectRoleFromNeptune(role: string | undefined): ProjectRole | null {
  switch (role) {
    case 'viewer':
      return 'viewer'
    case 'member':
    case 'contributor':
      return 'contributor'
    case 'manager':
    case 'owner':
      return 'owner'
    default:
      return null
  }
}

/** Neptune's workspace roles are `owner` (Nereid's owners and admins) and `member`. */
export function neptuneWorkspaceRole(role: WorkspaceRole): string {
  return role === 'member' ? 'member' : 'owner'
}

/** Nereid's workspace role for an invitation's `roleGrant` (`member` or `admin`/`owner`). */
export function workspaceRoleFromNeptune(role: string | undefined): WorkspaceRole | null {
  switch (role) {
    case undefined:
    case 'member':
      return 'member'
    case 'admin':
    case 'owner':
      return 'admin'
    default:
      return null
  }
}
