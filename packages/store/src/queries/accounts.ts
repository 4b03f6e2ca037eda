import { randomUUID } from 'node:crypto'
import { ConflictError, NotFoundError, ValidationError } from '@nereid/core'
import { sql, type Kysely } from 'kysely'
import type { Database, UsersTable } from '../database.js'
import type { AccountStore, ProjectRole, WorkspaceRole } from '../store.js'
import { preparedStatement } from './prepared-statement.js'
import { toApiToken, toProject, toUser } from './rows.js'

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/

// Every request with an API token starts here: a prepared statement, not a built query.
const selectLiveToken = preparedStatement(
  (secretHash: string) =>
    sql<
      UsersTable & {
        token_id: string
        token_user_id: string
        token_name: string
        token_created_at: number
        token_last_used_at: number | null
      }
    >`select u.*, t.id as token_id, t.user_id as token_user_id, t.name as token_name,
    t.created_at as token_created_at, t.last_used_at as token_last_used_at
    from api_tokens t inner join users u on u.id = t.user_id
    where t.secret_hash = ${secretHash} and t.revoked_at is null and u.deactivated_at is null`,
)

// Project routes called with an API token start here: token, owner, project and roles at once.
// Each side is a derived table of at most one row, so a missing token or project still yields
// the other.
const selectTokenWithProject = preparedStatement(
  (secretHash: string, workspaceName: string, projectName: string) =>
    sql<
      Partial<UsersTable> & {
        token_id: string | null
        token_user_id: string | null
        token_name: string | null
        token_created_at: number | null
        token_last_used_at: number | null
        project_id: string | null
        project_workspace_id: string
        project_name: string
        project_key: string
        project_description: string
        project_visibility: string
        project_storage_limit_bytes: number | null
        project_next_run_number: number
        project_metadata_object_id: string
        project_created_at: number
        workspace_name: string
        workspace_role: string | null
        project_role: string | null
      }
    >`select tu.*, pw.*, wm.role as workspace_role, pm.role as project_role
    from (select 1 as one) anchor
    left join (
      select u.*, t.id as token_id, t.user_id as token_user_id, t.name as token_name,
        t.created_at as token_created_at, t.last_used_at as token_last_used_at
      from api_tokens t inner join users u on u.id = t.user_id
      where t.secret_hash = ${secretHash} and t.revoked_at is null and u.deactivated_at is null
    ) tu on 1 = 1
    left join (
      select p.id as project_id, p.workspace_id as project_workspace_id, p.name as project_name,
        p.key as project_key, p.description as project_description, p.visibility as project_visibility,
        p.storage_limit_bytes as project_storage_limit_bytes, p.next_run_number as project_next_run_number,
        p.metadata_object_id as project_metadata_object_id, p.created_at as project_created_at,
        w.name as workspace_name
      from projects p inner join workspaces w on w.id = p.workspace_id
      where w.name = ${workspaceName} and p.name = ${projectName}
    ) pw on 1 = 1
    left join workspace_members wm on wm.workspace_id = pw.project_workspace_id and wm.user_id = tu.id
    left join project_members pm on pm.project_id = pw.project_id and pm.user_id = tu.id`,
)

export function createAccountStore(db: Kysely<Database>): AccountStore {
  async function getUser(id: string) {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toUser(row) : null
  }

  return {
    async createUser({ username, displayName, passwordHash, isAdmin, now }) {
      if (!USERNAME.test(username)) {
        throw new ValidationError(
          `username "${username.slice(0, 64)}" must be 1-64 lowercase letters, digits, ".", "_" or "-"`,
          {
            field: 'username',
          },
        )
      }
      const existing = await db
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst()
      if (existing)
        throw new ConflictError('USER_EXISTS', `user "${username}" exists`, {
          field: 'username',
        })
      const row = {
        id: randomUUID(),
        username,
        display_name: displayName ?? username,
        password_hash: passwordHash ?? null,
        is_admin: isAdmin ? 1 : 0,
        created_at: now,
        kind: 'user',
        workspace_id: null,
        email: null,
        deactivated_at: null,
      }
      await db.insertInto('users').values(row).execute()
      return toUser(row)
    },
    getUser,
    async findUserByUsername(username) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('username', '=', username)
        .executeTakeFirst()
      return row ? toUser(row) : null
    },
    async countUsers() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('kind', '=', 'user')
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },
    async createApiToken({ userId, name, secretHash, now }) {
      const row = {
        id: randomUUID(),
        user_id: userId,
        name,
        secret_hash: secretHash,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      }
      await db.insertInto('api_tokens').values(row).execute()
      return toApiToken(row)
    },
    async findApiToken(secretHash) {
      const row = (await selectLiveToken(db, secretHash)).rows[0]
      if (!row) return null
      return {
        token: toApiToken({
          id: row.token_id,
          user_id: row.token_user_id,
          name: row.token_name,
          secret_hash: secretHash,
          created_at: row.token_created_at,
          last_used_at: row.token_last_used_at,
          revoked_at: null,
        }),
        user: toUser(row),
      }
    },
    async findApiTokenWithProject(secretHash, workspaceName, projectName) {
      const row = (await selectTokenWithProject(db, secretHash, workspaceName, projectName))
        .rows[0]!
      const credential =
        row.token_id === null || row.token_id === undefined
          ? null
          : {
              token: toApiToken({
                id: row.token_id,
                user_id: row.token_user_id!,
                name: row.token_name!,
                secret_hash: secretHash,
                created_at: row.token_created_at!,
                last_used_at: row.token_last_used_at,
                revoked_at: null,
              }),
              user: toUser(row as UsersTable),
            }
      const project =
        row.project_id === null || row.project_id === undefined
          ? null
          : toProject(
              {
                id: row.project_id,
                workspace_id: row.project_workspace_id,
                name: row.project_name,
                key: row.project_key,
                description: row.project_description,
                visibility: row.project_visibility,
                storage_limit_bytes: row.project_storage_limit_bytes,
                next_run_number: row.project_next_run_number,
                metadata_object_id: row.project_metadata_object_id,
                created_at: row.project_created_at,
              },
              row.workspace_name,
            )
      return {
        credential,
        project,
        workspaceRole: credential && project ? (row.workspace_role as WorkspaceRole | null) : null,
        projectRole: credential && project ? (row.project_role as ProjectRole | null) : null,
      }
    },
    async touchApiToken(id, now) {
      await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute()
    },
    async revokeApiToken(id, now) {
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
    },
    async listApiTokens(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map(toApiToken)
    },
    async getApiToken(id) {
      const row = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      return row ? toApiToken(row) : null
    },
    async isApiTokenLive(id) {
      const row = await db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select('api_tokens.id')
        .where('api_tokens.id', '=', id)
        .where('api_tokens.revoked_at', 'is', null)
        .where('users.deactivated_at', 'is', null)
        .executeTakeFirst()
      return row !== undefined
    },
    async replaceApiToken(id, { secretHash, now }) {
      return db.transaction().execute(async (trx) => {
        const old = await trx
          .selectFrom('api_tokens')
          .selectAll()
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
        if (!old) return null
        await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute()
        const row = {
          id: randomUUID(),
          user_id: old.user_id,
          name: old.name,
          secret_hash: secretHash,
          created_at: now,
          last_used_at: null,
          revoked_at: null,
        }
        await trx.insertInto('api_tokens').values(row).execute()
        return toApiToken(row)
      })
    },
    async listUsers() {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('kind', '=', 'user')
        .orderBy('username')
        .execute()
      return rows.map(toUser)
    },
    async updateUser(id, patch) {
      const set = {
        ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
        ...(patch.isAdmin !== undefined ? { is_admin: patch.isAdmin ? 1 : 0 } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.deactivatedAt !== undefined ? { deactivated_at: patch.deactivatedAt } : {}),
      }
      if (Object.keys(set).length > 0)
        await db.updateTable('users').set(set).where('id', '=', id).execute()
      const user = await getUser(id)
      if (!user) throw new NotFoundError('USER_NOT_FOUND', `user ${id} not found`)
      return user
    },
    async countAdmins() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('is_admin', '=', 1)
        .where('deactivated_at', 'is', null)
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },
    async getPasswordHash(userId) {
      const row = await db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', userId)
        .executeTakeFirst()
      return row?.password_hash ?? null
    },
    async setPasswordHash(userId, passwordHash) {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('id', '=', userId)
        .execute()
    },
    async findUserByIdentity(issuer, subject) {
      const row = await db
        .selectFrom('user_identities')
        .innerJoin('users', 'users.id', 'user_identities.user_id')
        .selectAll('users')
        .where('user_identities.issuer', '=', issuer)
        .where('user_identities.subject', '=', subject)
        .executeTakeFirst()
      return row ? toUser(row) : null
    },
    async linkIdentity({ userId, issuer, subject, now }) {
      await db
        .insertInto('user_identities')
        .values({ issuer, subject, user_id: userId, created_at: now })
        .onConflict((conflict) => conflict.columns(['issuer', 'subject']).doNothing())
        .execute()
    },
  }
}
