import { NereidError, type Project } from '@nereid/core'
import type { Store } from '@nereid/store'
import type { FastifyRequest } from 'fastify'
import type { AuditLog } from './audit-log.js'
import type { BlobService } from './blob-service.js'

export interface ProjectDeletionSummary {
  /** `workspace/project`, as it was called. */
  project: string
  /** Objects deleted: runs, models, model versions, notebooks and the project's own object. */
  objects: number
  /** Bytes of storage the project used. */
  freedBytes: number
  /** Blob files removed from storage (content no other project references). */
  freedBlobs: number
}

/**
 * Deletes a whole project for the native API and the Neptune management call alike: the store
 * removes it in one transaction, the files only it referenced are deleted from the blob store
 * at once (not left to garbage collection), and the audit log records who did it.
 */
export class ProjectDeletionService {
  readonly #store: Store
  readonly #blobs: BlobService
  readonly #audit: AuditLog

  constructor(store: Store, blobs: BlobService, audit: AuditLog) {
    this.#store = store
    this.#blobs = blobs
    this.#audit = audit
  }

  /** The caller's right to delete `project` has been checked already. */
  async delete(request: FastifyRequest, project: Project): Promise<ProjectDeletionSummary> {
    const name = `${project.workspaceName}/${project.name}`
    const result = await this.#store.projectDeletion.delete(project.id)
    // Deleted by someone else between the access check and now: answered like any missing one.
    if (!result) {
      throw new NereidError('PROJECT_NOT_FOUND', `project "${name}" not found`, { project: name })
    }
    await this.#audit.record(request, {
      action: 'project.deleted',
      workspaceId: project.workspaceId,
      projectId: project.id,
      target: name,
      details: { key: project.key, objects: result.objects, freedBytes: result.usage.total },
    })
    let freedBlobs = 0
    try {
      freedBlobs = await this.#blobs.free(result.freedBlobs)
    } catch (error) {
      // The project is gone already; its unreferenced blobs wait for garbage collection.
      request.log.warn({ err: error }, 'files of a deleted project are left to garbage collection')
    }
    const summary = {
      project: name,
      objects: result.objects,
      freedBytes: result.usage.total,
      freedBlobs,
    }
    return summary
  }
}
