import type { Project } from '@nereid/core'
import type { BulkResult, Store } from '@nereid/store'
import type { FastifyRequest } from 'fastify'
import type { AuditLog } from './audit-log.js'
import type { BlobService } from './blob-service.js'

export interface DeletionResult extends BulkResult {
  /** Bytes of storage the project no longer uses. */
  freedBytes: number
  /** Blob files removed from disk (content no other object references). */
  freedBlobs: number
}

/** The system actor of the audit log, for deletions nobody asked for at that moment. */
export const RETENTION_ACTOR = { id: null, name: 'trash retention' }

/**
 * Permanent deletion out of the trash: removes the objects, deletes the files no other object
 * references from disk at once, and records the deletion in the audit log.
 */
export class TrashService {
  readonly #store: Store
  readonly #blobs: BlobService
  readonly #audit: AuditLog

  constructor(store: Store, blobs: BlobService, audit: AuditLog) {
    this.#store = store
    this.#blobs = blobs
    this.#audit = audit
  }

  async deletePermanently(
    request: FastifyRequest | null,
    project: Project,
    ids: string[],
    actor?: { id: string | null; name: string },
  ): Promise<DeletionResult> {
    const before = await this.#store.usage.project(project.id)
    const { freedBlobs, ...result } = await this.#store.objects.deletePermanently(project.id, ids)
    const removed = await this.#blobs.free(freedBlobs)
    const after = await this.#store.usage.project(project.id)
    if (result.updated.length > 0) {
      await this.#audit.record(
        request,
        {
          action: 'objects.deletedPermanently',
          workspaceId: project.workspaceId,
          projectId: project.id,
          target: `${project.workspaceName}/${project.name}`,
          details: { objects: result.updated, freedBytes: before.total - after.total },
        },
        actor,
      )
    }
    return { ...result, freedBytes: before.total - after.total, freedBlobs: removed }
  }

  /** Deletes everything in the project's trash (trashed before `before`, when given). */
  async empty(
    request: FastifyRequest | null,
    project: Project,
    before = Number.MAX_SAFE_INTEGER,
    actor?: { id: string | null; name: string },
  ): Promise<DeletionResult> {
    const total: DeletionResult = { updated: [], errors: [], freedBytes: 0, freedBlobs: 0 }
    for (;;) {
      const batch = await this.#store.trash.expired({ projectId: project.id, before, limit: 500 })
      if (batch.length === 0) return total
      const result = await this.deletePermanently(
        request,
        project,
        batch.map((entry) => entry.id),
        actor,
      )
      total.updated.push(...result.updated)
      total.errors.push(...result.errors)
      total.freedBytes += result.freedBytes
      total.freedBlobs += result.freedBlobs
      // Objects that could not be deleted would come back forever.
      if (result.updated.length === 0) return total
    }
  }

  /** The retention job: empties every project's trash of objects trashed before `cutoff`. */
  async purgeExpired(cutoff: number): Promise<number> {
    let deleted = 0
    const done = new Set<string>()
    for (;;) {
      const batch = await this.#store.trash.expired({ before: cutoff, limit: 500 })
      const projectIds = [...new Set(batch.map((entry) => entry.projectId))].filter(
        (id) => !done.has(id),
      )
      if (projectIds.length === 0) return deleted
      for (const projectId of projectIds) {
        done.add(projectId)
        const project = await this.#store.projects.getById(projectId)
        if (!project) continue
        deleted += (await this.empty(null, project, cutoff, RETENTION_ACTOR)).updated.length
      }
    }
  }
}
