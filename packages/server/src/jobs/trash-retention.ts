import type { Store } from '@nereid/store'
import { AuditLog } from '../services/audit-log.js'
import type { BlobService } from '../services/blob-service.js'
import { SIGN_IN_WINDOW_MS } from '../services/sign-in-throttle.js'
import { TrashService } from '../services/trash-service.js'

/**
 * Account and storage upkeep that runs with the other background jobs: objects trashed longer
 * than the retention are deleted for good (their files freed from disk at once, the deletion
 * audited as done by "trash retention"), and expired sessions, sign-in states and old sign-in
 * failures are removed.
 */
export function createTrashRetention(options: {
  store: Store
  blobService: BlobService
  /** 0 keeps trashed objects forever. */
  retentionMs: number
  now: () => number
}): { run(): Promise<{ deleted: number }> } {
  const { store, blobService, retentionMs, now } = options
  const trash = new TrashService(store, blobService, new AuditLog(store, now))
  return {
    async run() {
      const time = now()
      await store.sessions.prune(time, time - SIGN_IN_WINDOW_MS)
      if (retentionMs <= 0) return { deleted: 0 }
      return { deleted: await trash.purgeExpired(time - retentionMs) }
    },
  }
}
