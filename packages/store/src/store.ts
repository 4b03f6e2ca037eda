import type {
  ArtifactFile,
  ErrorCode,
  ErrorDetails,
  Field,
  FieldType,
  FileInfo,
  FileSetEntry,
  NereidError,
  NqlExpr,
  ObjectKind,
  ObjectRecord,
  Operation,
  Project,
  ProjectVisibility,
  Workspace,
} from '@nereid/core'

/**
 * The storage interface every backend implements (SQLite embedded, PostgreSQL). It is narrow
 * and grouped by domain; the server calls these methods and never writes SQL. One conformance
 * suite (`test/conformance`) runs every behaviour against every backend.
 *
 * All times are epoch milliseconds. Methods that take `now` let callers (and tests) control
 * the clock.
 */
export interface Store {
  readonly accounts: AccountStore
  readonly workspaces: WorkspaceStore
  readonly projects: ProjectStore
  readonly objects: ObjectStore
  readonly fields: FieldReader
  readonly series: SeriesReader
  readonly ingest: Ingest
  readonly search: SearchStore
  readonly blobs: BlobRegistry
  readonly artifacts: ArtifactStore
  readonly usage: UsageStore
  readonly members: MemberStore
  readonly serviceAccounts: ServiceAccountStore
  readonly sessions: SessionStore
  readonly invitations: InvitationStore
  readonly audit: AuditStore
  readonly trash: TrashStore
  readonly secrets: SecretStore
  readonly uploads: UploadStore
  readonly views: ViewStore
  readonly dashboards: DashboardStore
  readonly groups: GroupStore
  readonly locks: LockStore
  readonly jobs: JobStore
  readonly transfer: TableTransfer
  readonly imports: ImportStore
  readonly notebooks: NotebookStore
  readonly projectDeletion: ProjectDeletionStore
  /** Applies every pending migration. Never throws: failures are in the result. */
  migrate(): Promise<MigrationResultSet>
  /** Checks the database file or connection for damage (SQLite: `PRAGMA integrity_check`). */
  checkIntegrity(): Promise<{ ok: boolean; messages: string[] }>
  close(): Promise<void>
}

export interface MigrationResult {
  name: string
  direction: 'Up'
  status: 'Success' | 'Error' | 'NotExecuted'
}

export interface MigrationResultSet {
  error?: unknown
  results: MigrationResult[]
}

// ACCOUNTS

export type UserKind = 'user' | 'serviceAccount'

/**
 * Someone or something that can hold credentials. Service accounts are users of kind
 * 'serviceAccount', named `name@workspace` (a name no person can take, since usernames have no
 * "@"), so every principal has a user id and a name to record as the owner of what it creates.
 */
export interface User {
  id: string
  username: string
  displayName: string
  isAdmin: boolean
  createdAt: number
  kind: UserKind
  /** Service accounts: the workspace they belong to; null for people. */
  workspaceId: string | null
  email: string | null
  /** A deactivated account's credentials stop working; its data stays. */
  deactivatedAt: number | null
}

export interface ApiTokenRecord {
  id: string
  userId: string | null
  name: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

/** A token looked up with the project a request names (AccountStore.findApiTokenWithProject). */
export interface TokenWithProject {
  /** Null when no live token has the secret hash. */
  credential: { token: ApiTokenRecord; user: User } | null
  /** Null when the project does not exist. */
  project: Project | null
  /** The token owner's roles in the project's workspace and in the project (null: none). */
  workspaceRole: WorkspaceRole | null
  projectRole: ProjectRole | null
}

export interface AccountStore {
  createUser(input: {
    username: string
    displayName?: string
    passwordHash?: string | null
    isAdmin: boolean
    now: number
  }): Promise<User>
  getUser(id: string): Promise<User | null>
  findUserByUsername(username: string): Promise<User | null>
  countUsers(): Promise<number>
  /** Stores a token by the hash of its secret; the secret itself is never stored. */
  createApiToken(input: {
    userId: string
    name: string
    secretHash: string
    now: number
  }): Promise<ApiTokenRecord>
  /** The live (not revoked) token with this secret hash, with its owner. */
  findApiToken(secretHash: string): Promise<{ token: ApiTokenRecord; user: User } | null>
  /**
   * findApiToken, projects.get and members.access in one statement: what a request with an
   * API token to a project route needs before anything else (one round trip instead of three
   * on PostgreSQL).
   */
  findApiTokenWithProject(
    secretHash: string,
    workspaceName: string,
    projectName: string,
  ): Promise<TokenWithProject>
  touchApiToken(id: string, now: number): Promise<void>
  revokeApiToken(id: string, now: number): Promise<void>
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>
  getApiToken(id: string): Promise<ApiTokenRecord | null>
  /**
   * Whether the token may still be used: not revoked, and its owner not deactivated. One
   * primary-key read, cheap enough for every request (Neptune access tokens check it).
   */
  isApiTokenLive(id: string): Promise<boolean>
  /** Revokes `id` and stores its replacement in one transaction; null when `id` is not live. */
  replaceApiToken(
    id: string,
    replacement: { secretHash: string; now: number },
  ): Promise<ApiTokenRecord | null>
  /** People only (service accounts are listed per workspace), by username. */
  listUsers(): Promise<User[]>
  updateUser(
    id: string,
    patch: {
      displayName?: string
      isAdmin?: boolean
      email?: string | null
      deactivatedAt?: number | null
    },
  ): Promise<User>
  /** Active administrators. */
  countAdmins(): Promise<number>
  getPasswordHash(userId: string): Promise<string | null>
  setPasswordHash(userId: string, passwordHash: string | null): Promise<void>
  /** The user an external identity (OpenID Connect issuer + subject) is linked to. */
  findUserByIdentity(issuer: string, subject: string): Promise<User | null>
  linkIdentity(input: {
    userId: string
    issuer: string
    subject: string
    now: number
  }): Promise<void>
}

// WORKSPACES AND PROJECTS

export type WorkspaceRole = 'owner' | 'admin' | 'member'

export interface WorkspaceStore {
  create(input: { name: string; displayName?: string; now: number }): Promise<Workspace>
  getByName(name: string): Promise<Workspace | null>
  list(): Promise<Workspace[]>
  addMember(input: {
    workspaceId: string
    userId: string
    role: WorkspaceRole
    now: number
  }): Promise<void>
  memberRole(workspaceId: string, userId: string): Promise<WorkspaceRole | null>
  /** Workspaces the user belongs to. */
  listForUser(userId: string): Promise<Workspace[]>
}

export interface ProjectStore {
  /** Creates the project and its own metadata object (kind `project`). */
  create(input: {
    workspaceId: string
    name: string
    key: string
    description?: string
    visibility?: ProjectVisibility
    owner: string
    now: number
  }): Promise<Project>
  get(workspaceName: string, projectName: string): Promise<Project | null>
  /** Changes description, visibility or the storage limit (null removes the limit). */
  update(
    projectId: string,
    patch: {
      description?: string
      visibility?: ProjectVisibility
      storageLimitBytes?: number | null
    },
  ): Promise<Project>
  getById(id: string): Promise<Project | null>
  list(workspaceId?: string): Promise<Project[]>
}

// OBJECTS

export interface CreateObjectInput {
  projectId: string
  kind: Exclude<ObjectKind, 'project'>
  owner: string
  now: number
  /** Runs: another create with the same custom id returns the same run. */
  customRunId?: string
  /** Models: the model key (`MOD` → `CLS-MOD`). */
  modelKey?: string
  /** Model versions: the model they belong to (id or short id). */
  modelId?: string
  /** Initial sys/name (default "Untitled"). */
  name?: string
}

export interface ObjectStore {
  /** `created` is false when a run with the same custom run id already existed. */
  create(input: CreateObjectInput): Promise<{ object: ObjectRecord; created: boolean }>
  /** Finds an object of a project by UUID or short id. */
  get(projectId: string, ref: string): Promise<ObjectRecord | null>
  getById(id: string): Promise<ObjectRecord | null>
  /** Records a ping: `sys/state` becomes active and `sys/ping_time` moves on. */
  ping(objectId: string, now: number): Promise<void>
  /** Marks active objects whose last ping is older than `cutoff` inactive; returns how many. */
  markInactive(cutoff: number): Promise<number>
  trash(projectId: string, ids: string[], now: number): Promise<BulkResult>
  restore(projectId: string, ids: string[]): Promise<BulkResult>
  /** Deletes trashed objects and everything they hold; returns blob hashes no longer referenced. */
  deletePermanently(
    projectId: string,
    ids: string[],
  ): Promise<BulkResult & { freedBlobs: string[] }>
}

export interface BulkResult {
  updated: string[]
  errors: {
    id: string
    reason: 'NOT_EXISTS' | 'ALREADY_TRASHED' | 'NOT_IN_TRASH' | 'IS_PROJECT'
    message: string
  }[]
}

// FIELDS

export interface FieldReader {
  /** Every field of an object, sys/* included, sorted by path. */
  list(objectId: string): Promise<Field[]>
  get(objectId: string, path: string): Promise<Field | null>
  /** Distinct (path, type) pairs in a project, for column pickers and type lookups. */
  listProjectFields(
    projectId: string,
    options?: { search?: string; kinds?: ObjectKind[] },
  ): Promise<{ path: string; type: FieldType }[]>
  /** Files of a file set; with `dir`, only the direct children of that folder (folders included). */
  listFileSet(objectId: string, path: string): Promise<FileSetEntry[] | null>
  listArtifactFiles(projectId: string, hash: string): Promise<ArtifactFile[] | null>
}

// SERIES

export interface SeriesPageRequest {
  /** Inclusive step bounds. */
  fromStep?: number
  toStep?: number
  /** Points to skip from the start of the range, in step order. */
  offset?: number
  limit: number
}

export type SeriesPoints =
  | { type: 'floatSeries'; steps: Float64Array; timestamps: Float64Array; values: Float64Array }
  | { type: 'stringSeries'; steps: Float64Array; timestamps: Float64Array; values: string[] }
  | { type: 'fileSeries'; steps: Float64Array; timestamps: Float64Array; values: FileInfo[] }

export interface SeriesPage {
  /** Points in the requested step range (before offset and limit). */
  total: number
  points: SeriesPoints
}

export interface BucketRequest {
  buckets: number
  x: 'step' | 'time'
  /** Inclusive x bounds (steps, or epoch ms for time); the whole series when absent. */
  from?: number
  to?: number
}

/**
 * A downsampled float series. When the range holds at most `buckets` points they come back
 * exactly (`mode: 'points'`). Otherwise each bucket reports the true min, max, mean, last and
 * count of the points it holds, and `xFrom`/`xTo` are the x extent of those points: no point
 * is dropped, so no spike is hidden.
 */
export type SeriesBuckets =
  | {
      mode: 'points'
      x: 'step' | 'time'
      steps: Float64Array
      timestamps: Float64Array
      values: Float64Array
    }
  | {
      mode: 'buckets'
      x: 'step' | 'time'
      xFrom: Float64Array
      xTo: Float64Array
      count: Float64Array
      min: Float64Array
      max: Float64Array
      mean: Float64Array
      last: Float64Array
      lastStep: Float64Array
    }

export interface SeriesReader {
  /** Null when the object has no series at that path. */
  page(objectId: string, path: string, request: SeriesPageRequest): Promise<SeriesPage | null>
  buckets(objectId: string, path: string, request: BucketRequest): Promise<SeriesBuckets | null>
  /** The file stored at one point of a file series, by index in step order. */
  fileAt(objectId: string, path: string, index: number): Promise<FileInfo | null>
}

// INGEST

/** An operation as the applier receives it: parsed, or already known to be invalid. */
export type PreparedOperation = Operation | { kind: 'invalid'; error: NereidError }

export interface OperationBatch {
  /** Stable id of the writing process; with `seq`, a retried batch is applied once. */
  writer?: string
  /** Sequence number of the first operation; operations are numbered seq, seq+1, ... */
  seq?: number
  operations: PreparedOperation[]
}

export type OperationResult =
  | { ok: true; duplicate?: true }
  | { ok: false; error: { code: ErrorCode; message: string; details?: ErrorDetails } }

export interface BatchResult {
  results: OperationResult[]
  /** The highest sequence number applied for this writer (when writer and seq are given). */
  acknowledgedSeq: number | null
}

export interface Ingest {
  /**
   * Applies operations in order in one transaction. An invalid operation is reported and
   * skipped; the valid ones are applied; no operation is half-applied. Returns once the
   * transaction is durable.
   */
  applyBatch(
    objectId: string,
    batch: OperationBatch,
    context: { now: number },
  ): Promise<BatchResult>
}

// SEARCH

export interface SearchSort {
  path: string
  direction: 'asc' | 'desc'
  /** For float series: which summary to sort by (default `last`). */
  aggregate?: 'last' | 'min' | 'max' | 'average' | 'variance'
  /** Type to sort as when paths have several types across objects. */
  type?: FieldType
}

export interface SearchRequest {
  kinds: ObjectKind[]
  query: NqlExpr | null
  sort?: SearchSort
  /** Paths to return for each row; all fields when absent. */
  columns?: string[]
  limit: number
  offset: number
  /** Default false: trashed objects are left out unless the query mentions sys/trashed. */
  includeTrashed?: boolean
}

export interface SearchResult {
  total: number
  rows: { object: ObjectRecord; fields: Field[] }[]
}

export interface SearchStore {
  query(projectId: string, request: SearchRequest, context: { now: number }): Promise<SearchResult>
}

// BLOBS AND ARTIFACTS

export interface BlobRegistry {
  /** Records a blob whose bytes are stored; idempotent. */
  register(hash: string, size: number, now: number): Promise<void>
  get(hash: string): Promise<{ hash: string; size: number; refCount: number } | null>
  /** Unreferenced blobs registered before `cutoff`; they are removed from the registry. */
  collectGarbage(cutoff: number, limit: number): Promise<string[]>
  /** Removes the listed blobs that are still unreferenced; returns those removed. */
  forget(hashes: string[]): Promise<string[]>
}

export interface ArtifactStore {
  /** Stores an artifact's file list under its hash (idempotent); returns the hash. */
  put(projectId: string, hash: string, files: ArtifactFile[], now: number): Promise<void>
  get(
    projectId: string,
    hash: string,
  ): Promise<{ hash: string; size: number | null; files: ArtifactFile[] } | null>
}

// USAGE

export interface ProjectUsage {
  fields: number
  series: number
  files: number
  trash: number
  total: number
}

export interface UsageStore {
  project(projectId: string): Promise<ProjectUsage>
  /** The workspace's total and each of its projects. */
  workspace(
    workspaceId: string,
  ): Promise<ProjectUsage & { projects: (ProjectUsage & { projectId: string })[] }>
}

// SECRETS

export interface SecretStore {
  /**
   * The secret called `name`, made with `generate` on first use. Every caller, in this process
   * or another server instance on the same database, gets the same value, across restarts.
   */
  getOrCreate(name: string, generate: () => string, now: number): Promise<string>
}

// MULTIPART UPLOADS

export interface Upload {
  id: string
  objectId: string
  /** The field the upload fills. */
  path: string
  /** A file field, or one file of a file set (`filePath` inside it). */
  target: 'file' | 'fileSet'
  filePath: string | null
  ext: string | null
  totalLength: number
  createdAt: number
  finishedAt: number | null
  /** Parts received so far, by index. */
  parts: { index: number; hash: string; size: number }[]
}

export interface UploadStore {
  start(input: {
    objectId: string
    path: string
    target: 'file' | 'fileSet'
    filePath?: string
    ext?: string
    totalLength: number
    now: number
  }): Promise<Upload>
  get(id: string): Promise<Upload | null>
  /** Records a part whose bytes are a registered blob; sending a part again replaces it. */
  addPart(id: string, index: number, hash: string): Promise<void>
  /** Marks the upload finished and lets go of its parts (the assembled file holds the bytes). */
  finish(id: string, now: number): Promise<void>
  /** Forgets uploads started before `cutoff`, finished or not; returns how many. */
  expire(cutoff: number): Promise<number>
}

// SAVED VIEWS AND DASHBOARDS

/**
 * A saved runs-table view: the table's state under a name. The state is the web app's
 * document (columns, filter, sort, grouping, pinned columns); the store keeps it as it is.
 */
export interface SavedView {
  id: string
  projectId: string
  name: string
  state: Record<string, unknown>
  /** Whether the project's runs table opens with this view. */
  isDefault: boolean
  createdBy: string
  createdAt: number
  updatedAt: number
  /** 1 when created, one more with every change. */
  revision: number
}

/** What creating or replacing a saved view or a dashboard takes. */
export interface PutDocumentInput {
  projectId: string
  /** Chosen by the client, unique in the project: a retried create is applied once. */
  id: string
  name: string
  /** Who creates it; kept from the first write. */
  author: string
  now: number
  /**
   * The revision the writer started from (0: it creates). When the stored revision differs,
   * the write fails with REVISION_CONFLICT, unless the stored document already equals the
   * one written (a retry of a write that succeeded).
   */
  baseRevision?: number
}

export interface ViewStore {
  /** Every saved view of the project, by name. */
  list(projectId: string): Promise<SavedView[]>
  get(projectId: string, id: string): Promise<SavedView | null>
  /**
   * Creates the view or replaces its name and state. Writing what is stored again changes
   * nothing. A name another view of the project has fails with VIEW_NAME_EXISTS.
   */
  put(
    input: PutDocumentInput & { state: Record<string, unknown> },
  ): Promise<{ view: SavedView; created: boolean }>
  /** False when there was no such view. */
  delete(projectId: string, id: string): Promise<boolean>
  /** Makes the view the one the runs table opens with (null: none); VIEW_NOT_FOUND if missing. */
  setDefault(projectId: string, id: string | null): Promise<void>
}

/** A dashboard: named widgets (charts, values, tables, files, images, text) of a project. */
export interface Dashboard {
  id: string
  projectId: string
  name: string
  /** The widgets as the web app writes them (kind, title, layout, configuration). */
  widgets: Record<string, unknown>[]
  createdBy: string
  createdAt: number
  updatedAt: number
  revision: number
}

export type DashboardSummary = Omit<Dashboard, 'widgets'> & { widgetCount: number }

export interface DashboardStore {
  /** Every dashboard of the project, by name, without their widgets. */
  list(projectId: string): Promise<DashboardSummary[]>
  get(projectId: string, id: string): Promise<Dashboard | null>
  /** Like `ViewStore.put`; a name clash fails with DASHBOARD_NAME_EXISTS. */
  put(
    input: PutDocumentInput & { widgets: Record<string, unknown>[] },
  ): Promise<{ dashboard: Dashboard; created: boolean }>
  delete(projectId: string, id: string): Promise<boolean>
}

// GROUPED RUNS TABLE

export interface GroupRequest {
  kinds: ObjectKind[]
  query: NqlExpr | null
  /** Default false: trashed objects are left out unless the query mentions sys/trashed. */
  includeTrashed?: boolean
  /**
   * The field to group by: a string, int, float or bool field, a sys field such as
   * `sys/owner` or `sys/state`, or a string set (an object is in the group of each of its
   * values, as runs are in the group of each tag).
   */
  path: string
  /** Numeric fields to summarize per group: floats and ints, float series by their last value. */
  aggregates?: string[]
  /** Groups in value order, the group of objects without a value last. */
  limit: number
  offset?: number
}

export interface GroupAggregate {
  /** How many objects of the group have a finite value. */
  count: number
  min: number | null
  max: number | null
  mean: number | null
}

export interface RunGroup {
  /** The value the group's objects share; null for those without one. */
  value: string | number | boolean | null
  /** The type of the field holding `value`; null for the group without a value. */
  type: FieldType | null
  count: number
  aggregates: Record<string, GroupAggregate>
}

export interface GroupResult {
  totalGroups: number
  groups: RunGroup[]
}

export interface GroupStore {
  /** The aggregate rows of a runs table grouped by one field, over the objects a query matches. */
  query(projectId: string, request: GroupRequest): Promise<GroupResult>
}

// ACCESS: PROJECT ROLES, SERVICE ACCOUNTS, SESSIONS, INVITATIONS, AUDIT, TRASH

export type ProjectRole = 'owner' | 'contributor' | 'viewer'

export interface Membership<Role extends string> {
  user: User
  role: Role
  createdAt: number
}

export interface SsoDomain {
  domain: string
  workspaceId: string
  workspaceName: string
  role: WorkspaceRole
  createdAt: number
}

export interface MemberStore {
  /** The roles that decide access to a project, read in one statement (every request asks). */
  access(
    projectId: string,
    userId: string,
  ): Promise<{ workspaceRole: WorkspaceRole | null; projectRole: ProjectRole | null }>
  listWorkspaceMembers(workspaceId: string): Promise<Membership<WorkspaceRole>[]>
  /** Removes the member and their roles in the workspace's projects. */
  removeWorkspaceMember(workspaceId: string, userId: string): Promise<boolean>
  countWorkspaceOwners(workspaceId: string): Promise<number>
  /** People and service accounts with a role in the project. */
  listProjectMembers(projectId: string): Promise<Membership<ProjectRole>[]>
  setProjectRole(input: {
    projectId: string
    userId: string
    role: ProjectRole
    now: number
  }): Promise<void>
  removeProjectMember(projectId: string, userId: string): Promise<boolean>
  /** Project ids in which the user has an explicit role. */
  listProjectRoles(userId: string): Promise<Map<string, ProjectRole>>
  /** Single sign-on: people of an e-mail domain join a workspace with a default role. */
  setSsoDomain(input: {
    domain: string
    workspaceId: string
    role: WorkspaceRole
    now: number
  }): Promise<SsoDomain>
  getSsoDomain(domain: string): Promise<SsoDomain | null>
  listSsoDomains(): Promise<SsoDomain[]>
  removeSsoDomain(domain: string): Promise<boolean>
}

export interface ServiceAccountStore {
  /** Creates the account `name@<workspace>`; USER_EXISTS when the name is taken. */
  create(input: {
    workspaceId: string
    name: string
    displayName?: string
    now: number
  }): Promise<User>
  list(workspaceId: string): Promise<User[]>
  /** By its short name or its full `name@workspace`. */
  get(workspaceId: string, name: string): Promise<User | null>
  /** Deletes the account with its tokens and project roles; what it wrote stays. */
  delete(id: string): Promise<boolean>
}

export interface SessionRecord {
  userId: string
  csrfToken: string
  createdAt: number
  lastSeenAt: number
  expiresAt: number
}

export interface SignInState {
  provider: string
  codeVerifier: string
  nonce: string
  returnTo: string
  expiresAt: number
}

export interface SessionStore {
  /** Sessions are stored by the sha256 of their cookie value, never the value itself. */
  create(input: {
    idHash: string
    userId: string
    csrfToken: string
    now: number
    expiresAt: number
    address?: string | null
    userAgent?: string | null
  }): Promise<void>
  /** The unexpired session and its (active) user. */
  find(idHash: string, now: number): Promise<{ session: SessionRecord; user: User } | null>
  touch(idHash: string, now: number, expiresAt: number): Promise<void>
  delete(idHash: string): Promise<void>
  /** Signs the user out everywhere, except the session `keepIdHash`. */
  deleteForUser(userId: string, keepIdHash?: string): Promise<number>
  /** Removes expired sessions, sign-in states and failures older than `failuresBefore`. */
  prune(now: number, failuresBefore: number): Promise<void>
  recordSignInFailure(keys: string[], now: number): Promise<void>
  /** The most failures any of `keys` has had since `since`. */
  countSignInFailures(keys: string[], since: number): Promise<number>
  clearSignInFailures(key: string): Promise<void>
  saveSignInState(stateHash: string, state: SignInState): Promise<void>
  /** Returns and deletes the state: each may be used once. Null when unknown or expired. */
  takeSignInState(stateHash: string, now: number): Promise<SignInState | null>
}

export interface Invitation {
  id: string
  workspaceId: string
  role: WorkspaceRole
  createdBy: string | null
  createdAt: number
  expiresAt: number
  acceptedAt: number | null
  acceptedBy: string | null
  revokedAt: number | null
}

export interface InvitationStore {
  create(input: {
    workspaceId: string
    role: WorkspaceRole
    tokenHash: string
    createdBy: string | null
    now: number
    expiresAt: number
  }): Promise<Invitation>
  list(workspaceId: string): Promise<Invitation[]>
  get(id: string): Promise<Invitation | null>
  findByTokenHash(tokenHash: string): Promise<Invitation | null>
  revoke(id: string, now: number): Promise<boolean>
  /**
   * Uses the invitation once: the user joins the workspace with its role (keeping a higher role
   * they already have). False when it is expired, revoked or already used.
   */
  accept(id: string, userId: string, now: number): Promise<boolean>
}

export interface AuditEvent {
  id: number
  at: number
  workspaceId: string | null
  projectId: string | null
  actorId: string | null
  actorName: string | null
  /** Dotted name, e.g. `auth.signIn`, `token.revoked`, `project.visibilityChanged`. */
  action: string
  target: string | null
  details: Record<string, unknown> | null
  address: string | null
}

export interface AuditStore {
  record(event: Omit<AuditEvent, 'id'>): Promise<void>
  /**
   * Newest first. With `workspaceId`: the workspace's events plus the account events (sign-in,
   * password) of its current members. `before` pages by event id.
   */
  list(options: { workspaceId?: string; before?: number; limit: number }): Promise<AuditEvent[]>
}

export interface TrashStore {
  /** Trashed objects of a project, most recently trashed first. */
  list(
    projectId: string,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; objects: ObjectRecord[] }>
  /**
   * Trashed objects that are not carried along by a trashed model (deleting the model deletes
   * them), trashed before `before`: what "empty the trash" and the retention job delete.
   */
  expired(options: {
    projectId?: string
    before: number
    limit: number
  }): Promise<{ projectId: string; id: string }[]>
}

// LOCKS

/**
 * Named locks held across every server process that uses the same database (PostgreSQL
 * advisory locks; within the one process for SQLite, which has a single writer anyway). They
 * make background jobs run once across instances and keep blob uploads and blob deletion from
 * interleaving. A lock is released when `work` settles, or when the process dies.
 */
export interface LockStore {
  /** Runs `work` while holding the lock alone, waiting for it as long as it takes. */
  runExclusive<T>(name: string, work: () => Promise<T>): Promise<T>
  /** As `runExclusive`, but gives up at once when the lock is held anywhere else. */
  tryRunExclusive<T>(
    name: string,
    work: () => Promise<T>,
  ): Promise<{ acquired: true; value: T } | { acquired: false }>
  /** Runs `work` alongside other shared holders of the lock, never alongside an exclusive one. */
  runShared<T>(name: string, work: () => Promise<T>): Promise<T>
}

// IMPORTS

/** Where an imported object came from: a source system and the object's id there. */
export interface ImportSource {
  /** `neptune-exporter`, `neptune-offline`, `nereid`, … */
  system: string
  /** The object's id in that system (a Neptune sys/id or run UUID, a Nereid object UUID). */
  id: string
}

export interface ImportObjectInput {
  projectId: string
  kind: Exclude<ObjectKind, 'project'>
  source: ImportSource
  /** sys/owner and sys/creation_time as the source recorded them. */
  owner: string
  createdAt: number
  now: number
  /** A UUID to give the object when no object has it yet (Neptune addresses runs by UUID). */
  id?: string
  /** A readable id to keep when it has the project's key and is free (`CLS-12`). */
  shortId?: string
  customRunId?: string
  modelKey?: string
  /** Model versions: the model (UUID or readable id), imported before its versions. */
  modelId?: string
  name?: string
}

export interface ImportedObject {
  object: ObjectRecord
  source: ImportSource
  created: boolean
  /** How an existing object was recognised; null when it was created. */
  matchedBy: 'source' | 'customRunId' | 'id' | null
  /** When every field of the source object had been written; null while the import runs. */
  finishedAt: number | null
}

/**
 * The admin-only import path: objects keep their source's creation time, owner and ids, and
 * are found again by their source, so imports are idempotent and resumable.
 */
export interface ImportStore {
  find(projectId: string, source: ImportSource): Promise<ImportedObject | null>
  /**
   * Returns the object imported from `source` before, else the run with the same custom run id
   * or the project's object with the same UUID (recording the source on it), else creates it.
   */
  importObject(input: ImportObjectInput): Promise<ImportedObject>
  /**
   * Sets the times that writes moved on to the source's, marks the object inactive and its
   * import finished.
   */
  finish(
    objectId: string,
    input: { modifiedAt?: number; pingAt?: number | null; runningMs?: number; now: number },
  ): Promise<ObjectRecord>
  /** Every source recorded for an object, oldest first. */
  sources(objectId: string): Promise<(ImportSource & { finishedAt: number | null })[]>
  /** The last sequence number applied for a writer on an object (0 when none). */
  writerPosition(objectId: string, writer: string): Promise<number>
}

// NOTEBOOKS

/** A notebook: an object of kind `notebook` with a name unique in its project. */
export interface NotebookRecord {
  /** The notebook object's id. */
  id: string
  /** Readable id such as `CLS-NB4`. */
  shortId: string
  projectId: string
  name: string
  createdAt: number
  trashed: boolean
  checkpointCount: number
  lastCheckpointAt: number | null
}

/** One recorded version of a notebook's content, like a commit. */
export interface NotebookCheckpoint {
  id: string
  notebookId: string
  /** 1, 2, 3 … per notebook. */
  number: number
  /** sha256 of the notebook file (a blob). */
  hash: string
  size: number
  message: string
  /** Where the file was when it was recorded (relative to the recorder's working directory). */
  path: string | null
  author: string
  createdAt: number
}

export interface NotebookStore {
  /** The project's notebook of this name, created when missing (`created` says which). */
  ensure(input: {
    projectId: string
    name: string
    owner: string
    now: number
  }): Promise<{ notebook: NotebookRecord; created: boolean }>
  /** By object id, readable id or name. */
  get(projectId: string, ref: string): Promise<NotebookRecord | null>
  /** Notebooks of a project (trashed ones left out), by name. */
  list(projectId: string): Promise<NotebookRecord[]>
  /**
   * Records a checkpoint of uploaded content (BLOB_NOT_FOUND when the blob is unknown). When
   * the content equals the latest checkpoint's, that one is returned with `created` false, so
   * a retried request records one checkpoint.
   */
  addCheckpoint(input: {
    notebookId: string
    hash: string
    message: string
    path: string | null
    author: string
    now: number
  }): Promise<{ checkpoint: NotebookCheckpoint; created: boolean }>
  /** Newest first. */
  listCheckpoints(notebookId: string): Promise<NotebookCheckpoint[]>
  /** By checkpoint id or number. */
  getCheckpoint(notebookId: string, ref: string): Promise<NotebookCheckpoint | null>
}

/** When periodic background jobs last started, across every server instance. */
export interface JobStore {
  /**
   * Claims this round of a periodic job: true, and `now` recorded, when no process started it
   * during the last `intervalMs`; false when another one did.
   */
  claim(name: string, now: number, intervalMs: number): Promise<boolean>
  /** When the job last started, or null when it never has. */
  lastStarted(name: string): Promise<number | null>
}

// TRANSFER

/** A table of the store's schema. */
export interface TransferTable {
  name: string
  /** Empty for a table without a key: it is copied whole (`clear` first), not resumed. */
  primaryKey: string[]
  parents: string[]
}

/**
 * Whole tables, row by row in primary-key order, for moving a store to another backend
 * (`nereid store copy`) and checking that the copy is exact. Not for application code.
 */
export interface TableTransfer {
  /** Every table (migration bookkeeping excluded), each after the tables it refers to. */
  tables(): Promise<TransferTable[]>
  count(table: string): Promise<number>
  /**
   * At most `limit` rows whose primary key follows `after` (from the start when null). A table
   * without a key is read whole in one page.
   */
  read(table: string, after: unknown[] | null, limit: number): Promise<Record<string, unknown>[]>
  /** The primary key of the last row, or null when the table is empty. */
  lastKey(table: string): Promise<unknown[] | null>
  /** Inserts rows, leaving rows whose key is already there alone; returns how many it added. */
  write(table: string, rows: Record<string, unknown>[]): Promise<number>
  /** Deletes every row (before copying a table that has no primary key). */
  clear(table: string): Promise<void>
  /** After writing: generated ids continue after the largest copied one. */
  finishTable(table: string): Promise<void>
  /** The row count and a sha256 of every row in key order, equal across backends. */
  checksum(table: string): Promise<{ rows: number; sha256: string }>
}

// PROJECT DELETION

/** What deleting a project removed. */
export interface ProjectDeletionResult {
  /** Objects deleted: runs, models, model versions, notebooks and the project's own object. */
  objects: number
  /** The storage the project used just before it was deleted. */
  usage: ProjectUsage
  /** Hashes of blobs nothing references any more: their bytes can be freed at once. */
  freedBlobs: string[]
}

export interface ProjectDeletionStore {
  /**
   * Deletes a project and everything in it in one transaction: its objects with their fields,
   * series, files and notebook checkpoints, multipart uploads in progress, saved views,
   * dashboards, member and service-account roles, import bookkeeping, paths and usage.
   * References to blobs are released, so garbage collection frees bytes no other project
   * uses. The audit log keeps its entries about the project. Null when no project has this id.
   */
  delete(projectId: string): Promise<ProjectDeletionResult | null>
}
