import { NereidError, type Project } from '@nereid/core'
import type { Store } from '@nereid/store'
import type { Principal } from './token-service.js'

/**
 * Checks that a principal may read or write a project and returns it. A project the caller
 * may not see is answered exactly like one that does not exist (404, not 403), so names of
 * private projects do not leak.
 */
export async function authorizeProject(
  store: Store,
  principal: Principal,
  project: Project | null,
  _access: 'read' | 'write',
  name: string,
): Promise<Project> {
  if (project && (await canSee(store, principal, project))) return project
  throw new NereidError('PROJECT_NOT_FOUND', `project "${name}" not found`, { project: name })
}

async function canSee(store: Store, principal: Principal, project: Project): Promise<boolean> {
  if (principal.user.isAdmin) return true
  return (await store.workspaces.memberRole(project.workspaceId, principal.user.id)) !== null
}
