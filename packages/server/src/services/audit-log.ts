import type { Store } from '@nereid/store'
import type { FastifyRequest } from 'fastify'

export interface AuditEntry {
  action: string
  workspaceId?: string | null
  projectId?: string | null
  target?: string | null
  /** Names and ids only: never a password, token, session id or other secret. */
  details?: Record<string, unknown> | null
}

/**
 * Writes security events (sign-ins, token and role changes, invitations, permanent deletions)
 * to the audit log, with the acting principal and address taken from the request. A request
 * without a principal (a failed sign-in, the retention job) is recorded with the actor given.
 */
export class AuditLog {
  readonly #store: Store
  readonly #now: () => number

  constructor(store: Store, now: () => number) {
    this.#store = store
    this.#now = now
  }

  async record(
    request: FastifyRequest | null,
    entry: AuditEntry,
    actor?: { id: string | null; name: string },
  ): Promise<void> {
    const user = request?.principal?.user
    const event = {
      at: this.#now(),
      workspaceId: entry.workspaceId ?? null,
      projectId: entry.projectId ?? null,
      actorId: actor ? actor.id : (user?.id ?? null),
      actorName: actor ? actor.name : (user?.username ?? null),
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ?? null,
      address: request?.ip ?? null,
    }
    await this.#store.audit.record(event)
    // Also in the server log, for operators who alert on it (failed sign-ins, revocations).
    request?.log.info(
      {
        audit: {
          action: event.action,
          actor: event.actorName,
          target: event.target,
          address: event.address,
          details: event.details,
        },
      },
      `audit: ${event.action}`,
    )
  }
}
