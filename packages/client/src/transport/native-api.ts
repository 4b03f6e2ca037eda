import type { FieldType, ObjectKind } from '@nereid/core'
import type { HttpTransport, RequestOptions } from './http-transport.js'

/** Wire shapes of the native API that the SDK reads (see docs/api.md and the OpenAPI document). */
export interface ProjectWire {
  id: string
  workspace: string
  name: string
  key: string
  metadataObjectId: string
}

export interface ObjectWire {
  id: string
  shortId: string
  kind: ObjectKind
  customRunId: string | null
  parentId: string | null
  createdAt: string
  trashed: boolean
}

export interface FieldWire {
  path: string
  type: FieldType
  value: Record<string, unknown>
}

export interface SeriesPageWire {
  type: string
  total: number
  steps: number[]
  timestamps: number[]
  values: unknown[]
}

export interface BatchResultWire {
  results: ({ ok: true; duplicate?: boolean } | { ok: false; error: WireError })[]
  acknowledgedSeq: number | null
}

export interface WireError {
  code: string
  message: string
  details?: Record<string, unknown>
}

export interface SearchRequestWire {
  query?: string
  kinds?: ObjectKind[]
  sort?: { path: string; direction?: 'asc' | 'desc'; aggregate?: string }
  columns?: string[]
  limit?: number
  offset?: number
}

export interface NotebookWire {
  id: string
  shortId: string
  name: string
  checkpointCount: number
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

/** The calls the SDK and the CLI make, scoped to one project. */
export class NativeApi {
  readonly http: HttpTransport
  readonly workspace: string
  readonly project: string

  constructor(http: HttpTransport, qualifiedProject: string) {
    this.http = http
    const [workspace = '', project = ''] = qualifiedProject.split('/')
    this.workspace = workspace
    this.project = project
  }

  get qualifiedProject(): string {
    return `${this.workspace}/${this.project}`
  }

  #base(): string {
    return `/api/v1/projects/${encodeURIComponent(this.workspace)}/${encodeURIComponent(this.project)}`
  }

  #object(objectId: string): string {
    return `${this.#base()}/objects/${encodeURIComponent(objectId)}`
  }

  getProject(): Promise<ProjectWire> {
    return this.http.request(this.#base())
  }

  listProjects(workspace = this.workspace): Promise<{ projects: ProjectWire[] }> {
    return this.http.request(`/api/v1/workspaces/${encodeURIComponent(workspace)}/projects`)
  }

  listWorkspaces(): Promise<{ workspaces: { name: string }[] }> {
    return this.http.request('/api/v1/workspaces')
  }

  createObject(body: {
    kind: 'run' | 'model' | 'modelVersion'
    customRunId?: string
    modelKey?: string
    modelId?: string
    name?: string
  }): Promise<{ object: ObjectWire; created: boolean }> {
    return this.http.request(`${this.#base()}/objects`, { json: body })
  }

  getObject(ref: string): Promise<ObjectWire> {
    return this.http.request(this.#object(ref))
  }

  ping(objectId: string, signal?: AbortSignal): Promise<unknown> {
    return this.http.request(`${this.#object(objectId)}/ping`, {
      method: 'POST',
      timeoutMs: 10_000,
      ...(signal ? { signal } : {}),
    })
  }

  /** `body` is the serialised batch: the log writes it without a JSON round trip. */
  sendOperations(objectId: string, body: string, signal?: AbortSignal): Promise<BatchResultWire> {
    return this.http.request(`${this.#object(objectId)}/operations`, {
      body,
      ...(signal ? { signal } : {}),
    })
  }

  uploadBlob(
    bytes: Uint8Array | AsyncIterable<Uint8Array>,
    signal?: AbortSignal,
  ): Promise<{ hash: string; size: number }> {
    return this.http.request(`${this.#base()}/blobs`, {
      body: bytes,
      contentType: 'application/octet-stream',
      // Large files take long to stream; the server answers as soon as the last byte lands.
      timeoutMs: 24 * 60 * 60 * 1000,
      ...(signal ? { signal } : {}),
    })
  }

  listFields(objectId: string): Promise<{ fields: FieldWire[] }> {
    return this.http.request(`${this.#object(objectId)}/fields`)
  }

  getField(objectId: string, path: string): Promise<FieldWire> {
    return this.http.request(`${this.#object(objectId)}/field`, { query: { path } })
  }

  seriesPage(
    objectId: string,
    path: string,
    query: { fromStep?: number; toStep?: number; offset?: number; limit: number },
  ): Promise<SeriesPageWire> {
    return this.http.request(`${this.#object(objectId)}/series`, { query: { path, ...query } })
  }

  listFileSet(
    objectId: string,
    path: string,
  ): Promise<{ files: { path: string; size: number }[] }> {
    return this.http.request(`${this.#object(objectId)}/file-sets`, { query: { path } })
  }

  download(
    objectId: string,
    query: { path: string; file?: string; index?: number },
    options: Pick<RequestOptions, 'signal'> = {},
  ): Promise<Response> {
    return this.http.send(`${this.#object(objectId)}/files`, {
      query,
      timeoutMs: 24 * 60 * 60 * 1000,
      ...options,
    })
  }

  search(body: SearchRequestWire): Promise<{
    total: number
    rows: { object: ObjectWire; fields: FieldWire[] }[]
  }> {
    return this.http.request(`${this.#base()}/search`, { json: body })
  }

  ensureNotebook(name: string): Promise<{ notebook: NotebookWire; created: boolean }> {
    return this.http.request(`${this.#base()}/notebooks`, { json: { name } })
  }

  createCheckpoint(
    notebookId: string,
    body: { hash: string; message?: string; path?: string },
  ): Promise<{ checkpoint: CheckpointWire; created: boolean }> {
    return this.http.request(
      `${this.#base()}/notebooks/${encodeURIComponent(notebookId)}/checkpoints`,
      { json: body },
    )
  }
}
