import { randomUUID } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import type { Database, InvitationsTable } from '../database.js'
import type { Invitation, InvitationStore, WorkspaceRole } from '../store.js'

const RANK: Record<WorkspaceRole, number> = { member: 1, admin: 2, owner: 3 }

function toInvitation(row: Selectable<InvitationsTable>): Invitation {
  const numOrNull = (value: unknown) => (value === null ? null : Number(value))
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    role: row.role as WorkspaceRole,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    acceptedAt: numOrNull(row.accepted_at),
    acceptedBy: row.accepted_by,
    revokedAt: numOrNull(row.revoked_at),
  }
}

export function createInvitationStore(db: Kysely<Database>): InvitationStore {
  return {
    async create({ workspaceId, role, tokenHash, createdBy, now, expiresAt }) {
      const row = {
        id: randomUUID(),
        token_hash: tokenHash,
        workspace_id: workspaceId,
        role,
        created_by: createdBy,
        created_at: now,
        expires_at: expiresAt,
        accepted_at: null,
        accepted_by: null,
        revoked_at: null,
      }
      await db.insertInto('invitations').values(row).execute()
      return toInvitation(row)
    },

    async list(workspaceId) {
      const rows = await db
        .selectFrom('invitations')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute()
      return rows.map(toInvitation)
    },

    async get(id) {
      const row = await db
        .selectFrom('invitations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? toInvitation(row) : null
    },

    async findByTokenHash(tokenHash) {
      const row = await db
        .selectFrom('invitations')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst()
      return row ? toInvitation(row) : null
    },

    async revoke(id, now) {
      const result = await db
        .updateTable('invitations')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('accepted_at', 'is', null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },

    async accept(id, userId, now) {
      return db.transaction().execute(async (trx) => {
        // The conditional update is the claim: of two concurrent acceptances one changes a row.
        const claimed = await trx
          .updateTable('invitations')
          .set({ accepted_at: now, accepted_by: userId })
          .where('id', '=', id)
          .where('accepted_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst()
        if (Number(claimed.numUpdatedRows) === 0) return false
        const invitation = await trx
          .selectFrom('invitations')
          .select(['workspace_id', 'role'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
        const current = await trx
          .selectFrom('workspace_members')
          .select('role')
          .where('workspace_id', '=', invitation.workspace_id)
          .where('user_id', '=', userId)
          .executeTakeFirst()
        const role = invitation.role as WorkspaceRole
        if (!current) {
          await trx
            .insertInto('workspace_members')
            .values({
              workspace_id: invitation.workspace_id,
              user_id: userId,
              role,
              created_at: now,
            })
            .execute()
        } else if (RANK[role] > RANK[current.role as WorkspaceRole]) {
          await trx
            .updateTable('workspace_members')
            .set({ role })
            .where('workspace_id', '=', invitation.workspace_id)
            .where('user_id', '=', userId)
            .execute()
        }
        return true
      })
    },
  }
}
