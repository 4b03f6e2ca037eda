import { randomUUID } from 'node:crypto'
import { ConflictError, validateWorkspaceName } from '@nereid/core'
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { WorkspaceRole, WorkspaceStore } from '../store.js'
import { toWorkspace } from './rows.js'

export function createWorkspaceStore(db: Kysely<Database>): WorkspaceStore {
  return {
    async create({ name, displayName, now }) {
      validateWorkspaceName(name)
      const existing = await db
        .selectFrom('workspaces')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirst()
      if (existing)
        throw new ConflictError('WORKSPACE_EXISTS', `workspace "${name}" exists`, {
          workspace: name,
        })
      const row = { id: randomUUID(), name, display_name: displayName ?? name, created_at: now }
      await db.insertInto('workspaces').values(row).execute()
      return toWorkspace(row)
    },
    async getByName(name) {
      const row = await db
        .selectFrom('workspaces')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst()
      return row ? toWorkspace(row) : null
    },
    async list() {
      const rows = await db.selectFrom('workspaces').selectAll().orderBy('name').execute()
      return rows.map(toWorkspace)
    },
    async addMember({ workspaceId, userId, role, now }) {
      await db
        .insertInto('workspace_members')
        .values({ workspace_id: workspaceId, user_id: userId, role, created_at: now })
        .onConflict((conflict) =>
          conflict.columns(['workspace_id', 'user_id']).doUpdateSet({ role }),
        )
        .execute()
    },
    async memberRole(workspaceId, userId) {
      const row = await db
        .selectFrom('workspace_members')
        .select('role')
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return row ? (row.role as WorkspaceRole) : null
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom('workspaces')
        .innerJoin('workspace_members', 'workspace_members.workspace_id', 'workspaces.id')
        .selectAll('workspaces')
        .where('workspace_members.user_id', '=', userId)
        .orderBy('workspaces.name')
        .execute()
      return rows.map(toWorkspace)
    },
  }
}
