import type { Generated } from 'kysely'

/** Row types of the schema, as Kysely sees them (see migrations/). Times are epoch ms. */

export interface WorkspacesTable {
  id: string
  name: string
  display_name: string
  created_at: number
}

export interface UsersTable {
  id: string
  username: string
  display_name: string
  password_hash: string | null
  is_admin: number
  created_at: number
  /** 'user' or 'serviceAccount' (0002-accounts). */
  kind: string
  /** Service accounts: the workspace they belong to. */
  workspace_id: string | null
  email: string | null
  deactivated_at: number | null
}

export interface WorkspaceMembersTable {
  workspace_id: string
  user_id: string
  role: string
  created_at: number
}

export interface ApiTokensTable {
  id: string
  user_id: string | null
  name: string
  secret_hash: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

export interface ProjectsTable {
  id: string
  workspace_id: string
  name: string
  key: string
  description: string
  visibility: string
  storage_limit_bytes: number | null
  next_run_number: number
  metadata_object_id: string
  created_at: number
}

export interface ObjectsTable {
  id: string
  project_id: string
  kind: string
  short_id: string
  number: number | null
  custom_run_id: string | null
  parent_id: string | null
  model_key: string | null
  next_version_number: number
  owner: string
  created_at: number
  modified_at: number
  ping_at: number | null
  active_since: number | null
  running_ms: number
  state: string
  trashed_at: number | null
  field_count: number
  fields_bytes: number
  series_bytes: number
  files_bytes: number
}

export interface PathsTable {
  id: number
  project_id: string
  path: string
}

export interface ProjectFieldsTable {
  project_id: string
  path_id: number
  type: string
}

export interface FieldsTable {
  object_id: string
  path_id: number
  type: string
  num: number | null
  str: string | null
  data: string | null
  bytes: number
}

export interface StringSetValuesTable {
  object_id: string
  path_id: number
  value: string
}

export interface SeriesTable {
  id: number
  object_id: string
  path_id: number
  type: string
  count: number
  finite_count: number
  first_step: number | null
  last_step: number | null
  last_ts: number | null
  min: number | null
  max: number | null
  sum: number
  sum_sq: number
  last_value: string | null
  config: string | null
  next_block: number
  /** Points in the last block (block next_block - 1). */
  tail_count: number
}

export interface SeriesBlocksTable {
  series_id: number
  block_no: number
  payload: Uint8Array
}

export interface SeriesBlockStatsTable {
  series_id: number
  block_no: number
  count: number
  first_step: number
  last_step: number
  min_ts: number
  max_ts: number
  stats: Uint8Array
}

export interface BlobsTable {
  hash: string
  size: number
  ref_count: number
  created_at: number
}

export interface FileSetEntriesTable {
  object_id: string
  path_id: number
  file_path: string
  hash: string
  size: number
  mtime: number
}

export interface ArtifactsTable {
  project_id: string
  hash: string
  size: number | null
  files: string
  created_at: number
}

export interface WriterPositionsTable {
  object_id: string
  writer: string
  last_seq: number
  updated_at: number
}

export interface ProjectUsageTable {
  project_id: string
  kind: string
  bytes: number
}

export interface Database {
  workspaces: WorkspacesTable
  users: UsersTable
  workspace_members: WorkspaceMembersTable
  api_tokens: ApiTokensTable
  projects: ProjectsTable
  objects: ObjectsTable
  paths: PathsTable
  project_fields: ProjectFieldsTable
  fields: FieldsTable
  string_set_values: StringSetValuesTable
  series: SeriesTable
  series_blocks: SeriesBlocksTable
  series_block_stats: SeriesBlockStatsTable
  blobs: BlobsTable
  file_set_entries: FileSetEntriesTable
  artifacts: ArtifactsTable
  writer_positions: WriterPositionsTable
  project_usage: ProjectUsageTable
  project_members: ProjectMembersTable
  sessions: SessionsTable
  sign_in_failures: SignInFailuresTable
  sign_in_states: SignInStatesTable
  invitations: InvitationsTable
  audit_events: AuditEventsTable
  user_identities: UserIdentitiesTable
  sso_domains: SsoDomainsTable
}

// Accounts and access (0002-accounts)

export interface ProjectMembersTable {
  project_id: string
  user_id: string
  role: string
  created_at: number
}

export interface SessionsTable {
  /** sha256 of the cookie value: a copy of the database opens no sessions. */
  id_hash: string
  user_id: string
  csrf_token: string
  created_at: number
  last_seen_at: number
  expires_at: number
  address: string | null
  user_agent: string | null
}

export interface SignInFailuresTable {
  /** `account:<username>` or `address:<ip>`. */
  key: string
  at: number
}

export interface SignInStatesTable {
  state_hash: string
  provider: string
  code_verifier: string
  nonce: string
  return_to: string
  expires_at: number
}

export interface InvitationsTable {
  id: string
  token_hash: string
  workspace_id: string
  role: string
  created_by: string | null
  created_at: number
  expires_at: number
  accepted_at: number | null
  accepted_by: string | null
  revoked_at: number | null
}

export interface AuditEventsTable {
  id: Generated<number>
  at: number
  workspace_id: string | null
  project_id: string | null
  actor_id: string | null
  actor_name: string | null
  action: string
  target: string | null
  details: string | null
  address: string | null
}

export interface UserIdentitiesTable {
  issuer: string
  subject: string
  user_id: string
  created_at: number
}

export interface SsoDomainsTable {
  domain: string
  workspace_id: string
  role: string
  created_at: number
}
