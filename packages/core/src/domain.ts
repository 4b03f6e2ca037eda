import type {
  AtomType,
  FieldType,
  ModelStage,
  ObjectKind,
  ProjectVisibility,
} from './field-types.js'

/** Read models shared by the store, the server and the clients. Times are epoch milliseconds. */

export interface Workspace {
  id: string
  name: string
  displayName: string
  createdAt: number
}

export interface Project {
  id: string
  workspaceId: string
  workspaceName: string
  name: string
  key: string
  description: string
  visibility: ProjectVisibility
  /** Bytes; null when the project has no limit. */
  storageLimitBytes: number | null
  createdAt: number
  /** Id of the project's own metadata object. */
  metadataObjectId: string
}

export interface ObjectRecord {
  id: string
  projectId: string
  kind: ObjectKind
  /** Readable id: `CLS-12` (run), `CLS-MOD` (model), `CLS-MOD-3` (model version). */
  shortId: string
  customRunId: string | null
  /** The model a model version belongs to. */
  parentId: string | null
  /** Model key (models only). */
  key: string | null
  createdAt: number
  modifiedAt: number
  pingAt: number | null
  state: 'active' | 'inactive'
  trashedAt: number | null
  owner: string
  sizeBytes: number
  /** Time spent active, in ms (sys/running_time). */
  runningMs: number
}

export interface FileInfo {
  hash: string
  size: number
  name: string
  ext: string
  contentType: string
}

export interface SeriesSummary {
  count: number
  lastStep: number | null
  lastTimestamp: number | null
}

export interface FloatSeriesSummary extends SeriesSummary {
  last: number | null
  /** Over finite values only; null when there are none. */
  min: number | null
  max: number | null
  mean: number | null
  variance: number | null
  config: { min: number | null; max: number | null; unit: string | null }
}

export interface GitRefValue {
  commitId: string
  message?: string
  authorName?: string
  authorEmail?: string
  commitDate?: number
  branch?: string
  dirty?: boolean
  remotes?: string[]
}

export interface NotebookRefValue {
  notebookId: string
  checkpointId?: string
  name?: string
}

export interface ArtifactValue {
  hash: string
  size: number | null
  fileCount: number
}

/** The value of one field as reads return it. */
export type FieldValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'datetime'; value: number }
  | { type: 'stringSet'; values: string[] }
  | ({ type: 'floatSeries' } & FloatSeriesSummary)
  | ({ type: 'stringSeries'; last: string | null } & SeriesSummary)
  | ({ type: 'fileSeries'; last: FileInfo | null } & SeriesSummary)
  | ({ type: 'file' } & FileInfo)
  | { type: 'fileSet'; size: number; fileCount: number }
  | ({ type: 'artifact' } & ArtifactValue)
  | ({ type: 'gitRef' } & GitRefValue)
  | ({ type: 'notebookRef' } & NotebookRefValue)
  | { type: 'runState'; value: 'active' | 'inactive' }

export interface Field {
  path: string
  type: FieldType
  value: FieldValue
}

export type AtomValue = { type: AtomType; value: number | boolean | string }

export interface FileSetEntry {
  path: string
  hash: string
  size: number
  mtime: number
}

export interface ArtifactFile {
  filePath: string
  fileHash: string
  type: string
  size: number | null
  metadata: Record<string, string>
}

export type { ModelStage }
