import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { AuditStore } from '../store.js'

export function createAuditStore(db: Kysely<Database>): AuditStore {
  return {
    async record(event) {
      await db
        .insertInto('audit_events')
        .values({
          at: event.at,
          workspace_id: event.workspaceId,
          project_id: event.projectId,
          actor_id: event.actorId,
          actor_name: event.actorName,
          action: event.action,
          target: event.target,
          details: event.details === null ? null : JSON.stringify(event.details),
          address: event.address,
        })
        .execute()
    },

    async list({ workspaceId, before, limit }) {
      let query = db.selectFrom('audit_events').selectAll()
      if (workspaceId !== undefined) {
        query = query.where((eb) =>
          eb.or([
            eb('workspace_id', '=', workspaceId),
            eb.and([
              eb('workspace_id', 'is', null),
              eb(
                'actor_id',
                'in',
                eb
                  .selectFrom('workspace_members')
                  .select('user_id')
                  .where('workspace_id', '=', workspaceId),
              ),
            ]),
          ]),
        )
      }
      if (before !== undefined) query = query.where('id', '<', before)
      const rows = await query.orderBy('id', 'desc').limit(limit).execute()
      return rows.map((row) => ({
        id: Number(row.id),
        at: Number(row.at),
        workspaceId: row.workspace_id,
        projectId: row.project_id,
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action,
        target: row.target,
        details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
        address: row.address,
      }))
    },
  }
}
