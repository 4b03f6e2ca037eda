import { NereidError, type ObjectRecord, type Project } from '@nereid/core'
import type { Store } from '@nereid/store'
import { authorizeProject, type ProjectAccess } from '../services/project-access.js'
import type { Principal } from '../services/token-service.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The project a Neptune call names: by UUID (after `getProject`) or as `workspace/project`
 * (management, trash). A project the caller may not see is reported as missing.
 */
export async function resolveProject(
  store: Store,
  principal: Principal,
  identifier: string,
  access: ProjectAccess,
): Promise<Project> {
  let project: Project | null = null
  if (UUID.test(identifier)) {
    project = await store.projects.getById(identifier)
  } else {
    const parts = identifier.split('/')
    if (parts.length === 2 && parts[0] && parts[1]) {
      project = await store.projects.get(parts[0], parts[1])
    }
  }
  return authorizeProject(store, principal, project, access, identifier)
}

export interface Container {
  object: ObjectRecord
  project: Project
}

/**
 * The container (run, model, model version, project object) a Neptune call names: by UUID,
 * or as `workspace/project/SYS-ID` (`with_id`, `neptune sync --object`).
 */
export async function resolveContainer(
  store: Store,
  principal: Principal,
  identifier: string,
  access: 'read' | 'write',
): Promise<Container> {
  if (UUID.test(identifier)) {
    const object = await store.objects.getById(identifier)
    const project = object ? await store.projects.getById(object.projectId) : null
    if (object && project) {
      // Someone else's container is reported as missing, not as a project they may not see.
      const visible = await authorizeProject(store, principal, project, access, '').catch(
        () => null,
      )
      if (visible) return { object, project: visible }
    }
  } else {
    const parts = identifier.split('/')
    if (parts.length === 3 && parts.every((part) => part.length > 0)) {
      const project = await resolveProject(store, principal, `${parts[0]}/${parts[1]}`, access)
      const object = await store.objects.get(project.id, parts[2]!)
      if (object) return { object, project }
    }
  }
  throw new NereidError('OBJECT_NOT_FOUND', `object "${identifier}" not found`, {
    object: identifier,
  })
}

export function qualifiedName(project: Project, object: ObjectRecord): string {
  return `${project.workspaceName}/${project.name}/${object.shortId}`
}
