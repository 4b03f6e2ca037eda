import { ValidationError } from '@nereid/core'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { MemberStore, ProjectRole, ProjectStore, SsoDomain, WorkspaceRole } from '../store.js'
import { preparedStatement } from './prepared-statement.js'
import { toUser } from './rows.js'

// Every authenticated request to a project asks this: a prepared statement, not a built query.
const selectAccess = preparedStatement(
  (workspaceUserId: string, projectUserId: string, projectId: string) =>
    sql<{
      workspace_role: string | null
      project_role: string | null
    }>`select wm.role as workspace_role, pm.role as project_role
    from projects p
    left join workspace_members wm on wm.workspace_id = p.workspace_id and wm.user_id = ${workspaceUserId}
    left join project_members pm on pm.project_id = p.id and pm.user_id = ${projectUserId}
    where p.id = ${projectId}`,
)

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/

export function createMemberStore(db: Kysely<Database>): MemberStore {
  return {
    async access(projectId, userId) {
      const row = (await selectAccess(db, userId, userId, projectId)).rows[0]
      return {
        workspaceRole: (row?.workspace_role ?? null) as WorkspaceRole | null,
        projectRole: (row?.project_role ?? null) as ProjectRole | null,
      }
    },

    async listWorkspaceMembers(workspaceId) {
      const rows = await db
        .selectFrom('workspace_members')
        .innerJoin('users', 'users.id', 'workspace_members.user_id')
        .selectAll('users')
        .select(['workspace_members.role as member_role', 'workspace_members.created_at as joined'])
        .where('workspace_members.workspace_id', '=', workspaceId)
        .orderBy('users.username')
        .execute()
      return rows.map((row) => ({
        user: toUser(row),
        role: row.member_role as WorkspaceRole,
        createdAt: Number(row.joined),
      }))
    },

    async removeWorkspaceMember(workspaceId, userId) {
      return db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('project_members')
          .where('user_id', '=', userId)
          .where('project_id', 'in', (eb) =>
            eb.selectFrom('projects').select('id').where('workspace_id', '=', workspaceId),
          )
          .execute()
        const result = await trx
          .deleteFrom('workspace_members')
          .where('workspace_id', '=', workspaceId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
        return Number(result.numDeletedRows) > 0
      })
    },

    async countWorkspaceOwners(workspaceId) {
      const row = await db
        .selectFrom('workspace_members')
        .innerJoin('users', 'users.id', 'workspace_members.user_id')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('workspace_members.workspace_id', '=', workspaceId)
        .where('workspace_members.role', '=', 'owner')
        .where('users.deactivated_at', 'is', null)
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },

    async listProjectMembers(projectId) {
      const rows = await db
        .selectFrom('project_members')
        .innerJoin('users', 'users.id', 'project_members.user_id')
        .selectAll('users')
        .select(['project_members.role as member_role', 'project_members.created_at as joined'])
        .where('project_members.project_id', '=', projectId)
        .orderBy('users.kind')
        .orderBy('users.username')
        .execute()
      return rows.map((row) => ({
        user: toUser(row),
        role: row.member_role as ProjectRole,
        createdAt: Number(row.joined),
      }))
    },

    async setProjectRole({ projectId, userId, role, now }) {
      await db
        .insertInto('project_members')
        .values({ project_id: projectId, user_id: userId, role, created_at: now })
        .onConflict((conflict) => conflict.columns(['project_id', 'user_id']).doUpdateSet({ role }))
        .execute()
    },

    async removeProjectMember(projectId, userId) {
      const result = await db
        .deleteFrom('project_members')
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },

    async listProjectRoles(userId) {
      const rows = await db
        .selectFrom('project_members')
        .select(['project_id', 'role'])
        .where('user_id', '=', userId)
        .execute()
      return new Map(rows.map((row) => [row.project_id, row.role as ProjectRole]))
    },

    async setSsoDomain({ domain, workspaceId, role, now }) {
      const normalized = domain.toLowerCase()
      if (!DOMAIN.test(normalized)) {
        throw new ValidationError(
          `"${domain.slice(0, 100)}" is not an e-mail domain such as "example.com"`,
          { field: 'domain' },
        )
      }
      await db
        .insertInto('sso_domains')
        .values({ domain: normalized, workspace_id: workspaceId, role, created_at: now })
        .onConflict((conflict) =>
          conflict.column('domain').doUpdateSet({ workspace_id: workspaceId, role }),
        )
        .execute()
      return (await selectDomains(db, normalized))[0]!
    },

    async getSsoDomain(domain) {
      return (await selectDomains(db, domain.toLowerCase()))[0] ?? null
    },

    async listSsoDomains() {
      return selectDomains(db)
    },

    async removeSsoDomain(domain) {
      const result = await db
        .deleteFrom('sso_domains')
        .where('domain', '=', domain.toLowerCase())
        .executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },
  }
}

async function selectDomains(db: Kysely<Database>, domain?: string): Promise<SsoDomain[]> {
  let query = db
    .selectFrom('sso_domains')
    .innerJoin('workspaces', 'workspaces.id', 'sso_domains.workspace_id')
    .selectAll('sso_domains')
    .select('workspaces.name as workspace_name')
  if (domain !== undefined) query = query.where('sso_domains.domain', '=', domain)
  const rows = await query.orderBy('sso_domains.domain').execute()
  return rows.map((row) => ({
    domain: row.domain,
    workspaceId: row.workspace_id,
    workspaceName: row.workspace_name,
    role: row.role as WorkspaceRole,
    createdAt: Number(row.created_at),
  }))
}

/**
 * Makes the `owner` named when a project is created its owner (project role), whichever path
 * creates it (native API, Neptune protocol, bootstrap): a private project is otherwise
 * invisible to the person who just made it.
 */
export function withCreatorAsOwner(projects: ProjectStore, db: Kysely<Database>): ProjectStore {
  return {
    ...projects,
    async create(input) {
      const project = await projects.create(input)
      await db
        .insertInto('project_members')
        .columns(['project_id', 'user_id', 'role', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('users')
            .select([
              eb.val(project.id).as('project_id'),
              'users.id',
              eb.val('owner').as('role'),
              eb.val(input.now).as('created_at'),
            ])
            .where('users.username', '=', input.owner),
        )
        .onConflict((conflict) => conflict.doNothing())
        .execute()
      return project
    },
  }
}
