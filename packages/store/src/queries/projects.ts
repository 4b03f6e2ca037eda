import { randomUUID } from 'node:crypto'
import { ConflictError, NotFoundError, validateProjectKey, validateProjectName } from '@nereid/core'
import type { StoreContext } from '../store-context.js'
import { inTransaction } from '../store-context.js'
import type { ProjectStore } from '../store.js'
import { initialSysFields, insertInitialFields } from './initial-fields.js'
import { toProject } from './rows.js'
import { preparedStatement } from './prepared-statement.js'
import { sql } from 'kysely'
import type { ProjectsTable } from '../database.js'

const selectProjectByName = preparedStatement(
  (workspaceName: string, projectName: string) =>
    sql<
      ProjectsTable & { workspace_name: string }
    >`select p.*, w.name as workspace_name from projects p
    inner join workspaces w on w.id = p.workspace_id where w.name = ${workspaceName} and p.name = ${projectName}`,
)

export function createProjectStore(context: StoreContext): ProjectStore {
  const { db } = context
  return {
    async create({ workspaceId, name, key, description, visibility, owner, now }) {
      validateProjectName(name)
      validateProjectKey(key)
      return inTransaction(context, async (trx, paths) => {
        const workspace = await trx
          .selectFrom('workspaces')
          .selectAll()
          .where('id', '=', workspaceId)
          .executeTakeFirst()
        if (!workspace)
          throw new NotFoundError('WORKSPACE_NOT_FOUND', `workspace ${workspaceId} not found`)
        const clash = await trx
          .selectFrom('projects')
          .select(['name', 'key'])
          .where('workspace_id', '=', workspaceId)
          .where((eb) => eb.or([eb('name', '=', name), eb('key', '=', key)]))
          .executeTakeFirst()
        if (clash?.name === name) {
          throw new ConflictError('PROJECT_EXISTS', `project "${workspace.name}/${name}" exists`, {
            field: 'name',
          })
        }
        if (clash) {
          throw new ConflictError(
            'PROJECT_KEY_EXISTS',
            `key "${key}" is used by project "${workspace.name}/${clash.name}"; choose another key`,
            {
              field: 'key',
            },
          )
        }
        const projectId = randomUUID()
        const row = {
          id: projectId,
          workspace_id: workspaceId,
          name,
          key,
          description: description ?? '',
          visibility: visibility ?? 'private',
          storage_limit_bytes: null,
          next_run_number: 1,
          // The project's own metadata object has the project's id, as in Neptune's protocol,
          // where `init_project` addresses the project object by the project UUID.
          metadata_object_id: projectId,
          created_at: now,
        }
        await trx.insertInto('projects').values(row).execute()
        await trx
          .insertInto('objects')
          .values({
            id: projectId,
            project_id: projectId,
            kind: 'project',
            short_id: key,
            number: null,
            custom_run_id: null,
            parent_id: null,
            model_key: null,
            next_version_number: 1,
            owner,
            created_at: now,
            modified_at: now,
            ping_at: null,
            active_since: null,
            running_ms: 0,
            state: 'inactive',
            trashed_at: null,
            field_count: 0,
            fields_bytes: 0,
            series_bytes: 0,
            files_bytes: 0,
          })
          .execute()
        await insertInitialFields(
          trx,
          paths,
          projectId,
          projectId,
          initialSysFields('project', { name }),
        )
        return toProject(row, workspace.name)
      })
    },
    async get(workspaceName, projectName) {
      // Every project-scoped request starts here: a prepared statement, not a built query.
      const row = (await selectProjectByName(db, workspaceName, projectName)).rows[0]
      return row ? toProject(row, row.workspace_name) : null
    },
    async update(projectId, patch) {
      const set = {
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.visibility !== undefined ? { visibility: patch.visibility } : {}),
        ...(patch.storageLimitBytes !== undefined
          ? { storage_limit_bytes: patch.storageLimitBytes }
          : {}),
      }
      if (Object.keys(set).length > 0)
        await db.updateTable('projects').set(set).where('id', '=', projectId).execute()
      const project = await this.getById(projectId)
      if (!project) throw new NotFoundError('PROJECT_NOT_FOUND', `project ${projectId} not found`)
      return project
    },
    async getById(id) {
      const row = await db
        .selectFrom('projects')
        .innerJoin('workspaces', 'workspaces.id', 'projects.workspace_id')
        .selectAll('projects')
        .select('workspaces.name as workspace_name')
        .where('projects.id', '=', id)
        .executeTakeFirst()
      return row ? toProject(row, row.workspace_name) : null
    },
    async list(workspaceId) {
      let query = db
        .selectFrom('projects')
        .innerJoin('workspaces', 'workspaces.id', 'projects.workspace_id')
        .selectAll('projects')
        .select('workspaces.name as workspace_name')
      if (workspaceId !== undefined) query = query.where('projects.workspace_id', '=', workspaceId)
      const rows = await query.orderBy('workspaces.name').orderBy('projects.name').execute()
      return rows.map((row) => toProject(row, row.workspace_name))
    },
  }
}
