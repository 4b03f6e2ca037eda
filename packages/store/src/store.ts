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

export interface User {
  id: string
  username: string
  displayName: string
  isAdmin: boolean
  createdAt: number
}

export interface ApiTokenRecord {
  id: string
  userId: string | null
  name: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
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
  touchApiToken(id: string, now: number): Promise<void>
  revokeApiToken(id: string, now: number): Promise<void>
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>
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
}
