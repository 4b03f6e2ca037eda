import type { Project, ProjectVisibility } from '@nereid/core'

const TO_NEPTUNE: Record<ProjectVisibility, string> = {
  private: 'priv',
  workspace: 'workspace',
  public: 'pub',
}

/** Neptune's spelling of a visibility (`priv`, `workspace`, `pub`). */
export function neptuneVisibility(visibility: ProjectVisibility): string {
  return TO_NEPTUNE[visibility]
}

/** Nereid's visibility for Neptune's spelling; both spellings are accepted. */
export function visibilityFromNeptune(value: string | undefined): ProjectVisibility | null {
  switch (value) {
    case undefined:
    case 'priv':
    case 'private':
      return 'private'
    case 'workspace':
      return 'workspace'
    case 'pub':
    case 'public':
      return 'public'
    default:
      return null
  }
}

/** `ProjectWithRoleDTO`: `version` 2 tells the client this is not a legacy project. */
export function toProjectDto(project: Project): Record<string, unknown> {
  return {
    id: project.id,
    name: project.name,
    organizationName: project.workspaceName,
    organizationId: project.workspaceId,
    projectKey: project.key,
    version: 2,
    visibility: neptuneVisibility(project.visibility),
    description: project.description,
    userAccessLevel: 'manager',
  }
}
