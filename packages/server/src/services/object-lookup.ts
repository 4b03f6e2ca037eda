import { NereidError, type ObjectRecord, type Project } from '@nereid/core'
import type { Store } from '@nereid/store'

/** The object `ref` (UUID or readable id) of a project, or OBJECT_NOT_FOUND naming both. */
export async function findObject(
  store: Store,
  project: Project,
  ref: string,
): Promise<ObjectRecord> {
  const object = await store.objects.get(project.id, ref)
  if (!object) {
    throw new NereidError(
      'OBJECT_NOT_FOUND',
      `object "${ref}" not found in project "${project.workspaceName}/${project.name}"`,
      {
        object: ref,
        project: `${project.workspaceName}/${project.name}`,
      },
    )
  }
  return object
}
