import { randomUUID } from 'node:crypto'
import { ConflictError, NotFoundError, ValidationError } from '@nereid/core'
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { ServiceAccountStore } from '../store.js'
import { toUser } from './rows.js'

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/

/**
 * Service accounts are rows of `users` (kind 'serviceAccount') named `name@workspace`: tokens,
 * project roles and ownership of what they write work exactly as for people, while the "@"
 * keeps their names apart from people's and no password or session ever belongs to them.
 */
export function createServiceAccountStore(db: Kysely<Database>): ServiceAccountStore {
  async function workspaceName(workspaceId: string): Promise<string> {
    const workspace = await db
      .selectFrom('workspaces')
      .select('name')
      .where('id', '=', workspaceId)
      .executeTakeFirst()
    if (!workspace)
      throw new NotFoundError('WORKSPACE_NOT_FOUND', `workspace ${workspaceId} not found`)
    return workspace.name
  }

  return {
    async create({ workspaceId, name, displayName, now }) {
      if (!NAME.test(name)) {
        throw new ValidationError(
          `service account name "${name.slice(0, 64)}" must be 1-64 lowercase letters, digits, ".", "_" or "-"`,
          { field: 'name' },
        )
      }
      const username = `${name}@${await workspaceName(workspaceId)}`
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst()
      if (existing)
        throw new ConflictError('USER_EXISTS', `service account "${username}" exists`, {
          field: 'name',
        })
      const row = {
        id: randomUUID(),
        username,
        display_name: displayName ?? name,
        password_hash: null,
        is_admin: 0,
        created_at: now,
        kind: 'serviceAccount',
        workspace_id: workspaceId,
        email: null,
        deactivated_at: null,
      }
      await db.insertInto('users').values(row).execute()
      return toUser(row)
    },

    async list(workspaceId) {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('kind', '=', 'serviceAccount')
        .where('workspace_id', '=', workspaceId)
        .orderBy('username')
        .execute()
      return rows.map(toUser)
    },

    async get(workspaceId, name) {
      const username = name.includes('@') ? name : `${name}@${await workspaceName(workspaceId)}`
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('kind', '=', 'serviceAccount')
        .where('workspace_id', '=', workspaceId)
        .where('username', '=', username)
        .executeTakeFirst()
      return row ? toUser(row) : null
    },

    async delete(id) {
      // Its tokens and project roles go with it; runs it created keep its name as their owner.
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('api_tokens').where('user_id', '=', id).execute()
        await trx.deleteFrom('project_members').where('user_id', '=', id).execute()
        const result = await trx
          .deleteFrom('users')
          .where('id', '=', id)
          .where('kind', '=', 'serviceAccount')
          .executeTakeFirst()
        return Number(result.numDeletedRows) > 0
      })
    },
  }
}
