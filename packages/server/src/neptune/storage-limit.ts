import { NereidError, type Project } from '@nereid/core'
import type { Store } from '@nereid/store'

/**
 * Refuses a write to a project already at its storage limit, before anything is applied. The
 * client answers a limit error by stopping to send and keeping the data on disk for
 * `neptune sync`, so nothing of a refused request may have been stored.
 */
export async function checkStorageLimit(store: Store, project: Project): Promise<void> {
  const limit = project.storageLimitBytes
  if (limit === null) return
  const used = (await store.usage.project(project.id)).total
  if (used >= limit) {
    throw new NereidError(
      'QUOTA_EXCEEDED',
      `project ${project.workspaceName}/${project.name} uses ${used} of its ${limit} bytes of storage; free space (empty the trash) or raise its limit, then run "neptune sync"`,
      { usedBytes: used, limitBytes: limit },
    )
  }
}
