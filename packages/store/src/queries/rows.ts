import type { ObjectKind, ObjectRecord, Project, ProjectVisibility, Workspace } from '@nereid/core'
import type { Selectable } from 'kysely'
import type {
  ObjectsTable,
  ProjectsTable,
  UsersTable,
  WorkspacesTable,
  ApiTokensTable,
} from '../database.js'
import type { ApiTokenRecord, User } from '../store.js'

/** Row → read model mappers. Numbers go through Number() because PostgreSQL returns bigint as text. */

const num = (value: unknown): number => Number(value)
const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

export function toObjectRecord(row: Selectable<ObjectsTable>): ObjectRecord {
  const pingAt = numOrNull(row.ping_at)
  const activeSince = numOrNull(row.active_since)
  const activeMs =
    row.state === 'active' && activeSince !== null && pingAt !== null
      ? Math.max(0, pingAt - activeSince)
      : 0
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind as ObjectKind,
    shortId: row.short_id,
    customRunId: row.custom_run_id,
    parentId: row.parent_id,
    key: row.model_key,
    createdAt: num(row.created_at),
    modifiedAt: num(row.modified_at),
    pingAt,
    state: row.state === 'active' ? 'active' : 'inactive',
    trashedAt: numOrNull(row.trashed_at),
    owner: row.owner,
    sizeBytes: num(row.fields_bytes) + num(row.series_bytes) + num(row.files_bytes),
    runningMs: num(row.running_ms) + activeMs,
  }
}

export function toProject(row: Selectable<ProjectsTable>, workspaceName: string): Project {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workspaceName,
    name: row.name,
    key: row.key,
    description: row.description,
    visibility: row.visibility as ProjectVisibility,
    storageLimitBytes: numOrNull(row.storage_limit_bytes),
    createdAt: num(row.created_at),
    metadataObjectId: row.metadata_object_id,
  }
}

export function toWorkspace(row: Selectable<WorkspacesTable>): Workspace {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    createdAt: num(row.created_at),
  }
}

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    isAdmin: num(row.is_admin) === 1,
    createdAt: num(row.created_at),
    kind: row.kind === 'serviceAccount' ? 'serviceAccount' : 'user',
    workspaceId: row.workspace_id,
    email: row.email,
    deactivatedAt: numOrNull(row.deactivated_at),
  }
}

export function toApiToken(row: Selectable<ApiTokensTable>): ApiTokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: num(row.created_at),
    lastUsedAt: numOrNull(row.last_used_at),
    revokedAt: numOrNull(row.revoked_at),
  }
}
