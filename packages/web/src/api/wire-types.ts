import type { FieldType, ObjectKind } from '@nereid/core'

/** The JSON shapes of the native API (docs/api.md, /api/v1/openapi.json), as the app reads them. */

/** A float as JSON carries it: NaN and infinities are strings. */
export type WireFloat = number | 'NaN' | 'Infinity' | '-Infinity'

export interface Workspace {
  id: string
  name: string
  displayName: string
}

export interface Project {
  id: string
  workspace: string
  name: string
  key: string
  description: string
  visibility: 'private' | 'workspace' | 'public'
  storageLimitBytes: number | null
  createdAt: string
  metadataObjectId: string
}

export interface ObjectInfo {
  id: string
  shortId: string
  kind: ObjectKind
  customRunId: string | null
  parentId: string | null
  createdAt: string
  modifiedAt: string
  state: 'active' | 'inactive'
  trashed: boolean
  owner: string
  sizeBytes: number
}

export interface FieldWire {
  path: string
  type: FieldType
  /** Type-specific: `value`, `values`, series summaries (`last`, `min`, …), file info. */
  value: Record<string, unknown>
}

export interface SearchRow {
  object: ObjectInfo
  fields: FieldWire[]
}

export interface SearchResult {
  total: number
  rows: SearchRow[]
}

export interface SearchSortWire {
  path: string
  direction: 'asc' | 'desc'
  aggregate?: 'last' | 'min' | 'max' | 'average' | 'variance'
  type?: FieldType
}

export interface SearchRequestWire {
  query?: string
  kinds?: ObjectKind[]
  sort?: SearchSortWire
  columns?: string[]
  limit?: number
  offset?: number
  includeTrashed?: boolean
}

export interface GroupAggregateWire {
  count: number
  min: number | null
  max: number | null
  mean: number | null
}

export interface GroupWire {
  value: string | number | boolean | null
  type: FieldType | null
  count: number
  aggregates: Record<string, GroupAggregateWire>
}

export interface GroupResultWire {
  totalGroups: number
  groups: GroupWire[]
}

export interface SparklineWire {
  object: string
  path: string
  values: WireFloat[]
}

export type BucketsWire =
  | {
      mode: 'points'
      x: 'step' | 'time'
      steps: WireFloat[]
      timestamps: WireFloat[]
      values: WireFloat[]
    }
  | {
      mode: 'buckets'
      x: 'step' | 'time'
      xFrom: WireFloat[]
      xTo: WireFloat[]
      count: WireFloat[]
      min: WireFloat[]
      max: WireFloat[]
      mean: WireFloat[]
      last: WireFloat[]
      lastStep: WireFloat[]
    }

export interface SeriesPageWire {
  type: 'floatSeries' | 'stringSeries' | 'fileSeries'
  total: number
  steps: number[]
  timestamps: number[]
  values: unknown[]
}

export interface FileInfoWire {
  hash: string
  size: number
  name: string
  ext: string
  contentType: string
}

export interface FileSetEntryWire {
  path: string
  hash: string
  size: number
  mtime: string
}

export interface Usage {
  fields: number
  series: number
  files: number
  trash: number
  total: number
  limit: number | null
}

export interface BulkResultWire {
  updated: string[]
  errors: { id: string; reason: string; message: string }[]
  freedBytes?: number
  freedBlobs?: number
}

export interface SavedViewWire {
  id: string
  name: string
  state: Record<string, unknown>
  isDefault: boolean
  createdBy: string
  createdAt: string
  updatedAt: string
  revision: number
}

export type WidgetKind =
  'lineChart' | 'singleValue' | 'parameterTable' | 'fileContent' | 'imageGallery' | 'markdown'

export interface WidgetLayout {
  x: number
  y: number
  w: number
  h: number
}

export interface WidgetWire {
  id: string
  kind: WidgetKind
  title: string
  layout: WidgetLayout
  config: Record<string, unknown>
}

export interface DashboardSummaryWire {
  id: string
  name: string
  createdBy: string
  createdAt: string
  updatedAt: string
  revision: number
  widgetCount: number
}

export interface DashboardWire extends Omit<DashboardSummaryWire, 'widgetCount'> {
  widgets: WidgetWire[]
}

export interface ConventionEntry {
  name: string
  description: string
}

export interface Conventions {
  metrics: ConventionEntry[]
  tags: ConventionEntry[]
  problems?: string[]
}

export interface ConventionCheckWire {
  objects: { id: string; shortId: string; unknownMetrics: string[]; unknownTags: string[] }[]
  missing: string[]
}

export interface SessionUser {
  id: string
  username: string
  displayName: string
  isAdmin: boolean
}

export interface SessionWire {
  user: SessionUser
  csrfToken: string
  workspaces: { name: string; displayName: string; role: string }[]
}

export interface ProvidersWire {
  password: boolean
  oidc: { id: string; name: string }[]
}

export interface NotebookWire {
  id: string
  shortId: string
  name: string
  createdAt: string
  trashed: boolean
  checkpointCount: number
  lastCheckpointAt: string | null
}

export interface CheckpointWire {
  id: string
  notebookId: string
  number: number
  hash: string
  size: number
  message: string
  path: string | null
  author: string
  createdAt: string
}

export interface TokenWire {
  id: string
  name: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface AccountUserWire {
  id: string
  username: string
  displayName: string
  isAdmin: boolean
  kind: 'user' | 'serviceAccount'
  email: string | null
  createdAt: string
  deactivated: boolean
}

export interface MemberWire {
  user: AccountUserWire
  role: string
  since: string
}

export interface InvitationWire {
  id: string
  role: string
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
  createdAt: string
  expiresAt: string
  acceptedAt: string | null
}

export interface ServiceAccountWire {
  account: AccountUserWire
  projects: { project: string; role: string }[]
}
