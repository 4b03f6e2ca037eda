import { ERROR_CODES, NereidError, type ErrorCode, type OperationWire } from '@nereid/core'

/** Wire shapes of the native API that importers and the exporter read (docs/api.md). */
export interface ProjectWire {
  id: string
  workspace: string
  name: string
  key: string
  description: string
  visibility: string
  storageLimitBytes: number | null
  createdAt: string
  metadataObjectId: string
}

export interface ObjectWire {
  id: string
  shortId: string
  kind: 'run' | 'model' | 'modelVersion' | 'notebook' | 'project'
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
  type: string
  value: Record<string, unknown>
}

export interface SeriesPageWire {
  type: string
  total: number
  steps: number[]
  timestamps: number[]
  values: unknown[]
}

export interface ImportedWire {
  object: ObjectWire
  created: boolean
  matchedBy: 'source' | 'customRunId' | 'id' | null
  finished: boolean
  lastSeq: number
}

export type OperationResultWire =
  | { ok: true; duplicate?: boolean }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } }

export interface ImportObjectRequest {
  kind: 'run' | 'model' | 'modelVersion' | 'notebook'
  source: { system: string; id: string }
  id?: string
  shortId?: string
  customRunId?: string
  modelKey?: string
  modelId?: string
  name?: string
  createdAt?: number
  owner?: string
  writer?: string
}

export interface FinishImportRequest {
  modifiedAt?: number
  pingAt?: number
  runningMs?: number
  trashedAt?: number
  fork?: { parent: string; step?: number | null }
}

export interface NereidApiOptions {
  url: string
  token: string
  /** Injected for tests; the global fetch otherwise. */
  fetch?: typeof fetch
}

const RETRIES = 5

/**
 * The native API calls of `nereid import` and `nereid export`, over HTTP with an API token, so
 * they work against any deployment. Connection failures and 5xx/429 answers are retried with
 * backoff (every write the importers make is idempotent); an error answer becomes a
 * NereidError with the server's code.
 */
export class NereidApi {
  readonly url: string
  readonly #token: string
  readonly #fetch: typeof fetch

  constructor(options: NereidApiOptions) {
    this.url = options.url.replace(/\/+$/, '')
    this.#token = options.token
    this.#fetch = options.fetch ?? fetch
  }

  projectPath(workspace: string, project: string): string {
    return `/api/v1/projects/${encodeURIComponent(workspace)}/${encodeURIComponent(project)}`
  }

  async getProject(workspace: string, project: string): Promise<ProjectWire | null> {
    try {
      return await this.json<ProjectWire>('GET', this.projectPath(workspace, project))
    } catch (error) {
      if (error instanceof NereidError && error.code === 'PROJECT_NOT_FOUND') return null
      throw error
    }
  }

  /** Finds the project, creating its workspace and itself when missing (administrators). */
  async ensureProject(
    workspace: string,
    project: string,
    settings: { key?: string; description?: string; visibility?: string },
  ): Promise<{ project: ProjectWire; created: boolean }> {
    const found = await this.getProject(workspace, project)
    if (found) return { project: found, created: false }
    const workspaces = await this.json<{ workspaces: { name: string }[] }>(
      'GET',
      '/api/v1/workspaces',
    )
    if (!workspaces.workspaces.some((w) => w.name === workspace)) {
      await this.json('POST', '/api/v1/workspaces', { name: workspace })
    }
    const body: Record<string, unknown> = { name: project }
    if (settings.key !== undefined) body.key = settings.key
    if (settings.description !== undefined) body.description = settings.description
    if (settings.visibility !== undefined) body.visibility = settings.visibility
    try {
      const created = await this.json<ProjectWire>(
        'POST',
        `/api/v1/workspaces/${encodeURIComponent(workspace)}/projects`,
        body,
      )
      return { project: created, created: true }
    } catch (error) {
      // Another project holds the key: let the server choose one from the name.
      if (error instanceof NereidError && error.code === 'PROJECT_KEY_EXISTS' && body.key) {
        delete body.key
        const created = await this.json<ProjectWire>(
          'POST',
          `/api/v1/workspaces/${encodeURIComponent(workspace)}/projects`,
          body,
        )
        return { project: created, created: true }
      }
      throw error
    }
  }

  importObject(project: ProjectWire, request: ImportObjectRequest): Promise<ImportedWire> {
    return this.json(
      'POST',
      `${this.projectPath(project.workspace, project.name)}/import/objects`,
      request,
    )
  }

  finishImport(
    project: ProjectWire,
    objectId: string,
    request: FinishImportRequest,
  ): Promise<ObjectWire> {
    return this.json(
      'POST',
      `${this.projectPath(project.workspace, project.name)}/import/objects/${objectId}/finish`,
      request,
    )
  }

  async getObject(project: ProjectWire, ref: string): Promise<ObjectWire | null> {
    try {
      return await this.json<ObjectWire>(
        'GET',
        `${this.projectPath(project.workspace, project.name)}/objects/${encodeURIComponent(ref)}`,
      )
    } catch (error) {
      if (error instanceof NereidError && error.code === 'OBJECT_NOT_FOUND') return null
      throw error
    }
  }

  applyOperations(
    project: ProjectWire,
    objectId: string,
    batch: { writer: string; seq: number; operations: OperationWire[] },
  ): Promise<{ results: OperationResultWire[]; acknowledgedSeq: number | null }> {
    return this.json(
      'POST',
      `${this.projectPath(project.workspace, project.name)}/objects/${objectId}/operations`,
      batch,
    )
  }

  /** Uploads bytes as a blob; returns their sha256. */
  async uploadBlob(
    project: ProjectWire,
    bytes: Uint8Array,
  ): Promise<{ hash: string; size: number }> {
    return this.json(
      'POST',
      `${this.projectPath(project.workspace, project.name)}/blobs`,
      bytes,
      'application/octet-stream',
    )
  }

  async listObjects(project: ProjectWire): Promise<ObjectWire[]> {
    const objects: ObjectWire[] = []
    const limit = 1000
    for (let offset = 0; ; offset += limit) {
      const page = await this.json<{ total: number; rows: { object: ObjectWire }[] }>(
        'POST',
        `${this.projectPath(project.workspace, project.name)}/search`,
        {
          kinds: ['run', 'model', 'modelVersion', 'notebook'],
          columns: ['sys/id'],
          limit,
          offset,
          includeTrashed: true,
        },
      )
      objects.push(...page.rows.map((row) => row.object))
      if (page.rows.length < limit) return objects
    }
  }

  async fields(project: ProjectWire, objectId: string): Promise<FieldWire[]> {
    const body = await this.json<{ fields: FieldWire[] }>(
      'GET',
      `${this.projectPath(project.workspace, project.name)}/objects/${objectId}/fields`,
    )
    return body.fields
  }

  seriesPage(
    project: ProjectWire,
    objectId: string,
    path: string,
    offset: number,
    limit: number,
  ): Promise<SeriesPageWire> {
    const query = new URLSearchParams({ path, offset: String(offset), limit: String(limit) })
    return this.json(
      'GET',
      `${this.projectPath(project.workspace, project.name)}/objects/${objectId}/series?${query}`,
    )
  }

  async fileSet(
    project: ProjectWire,
    objectId: string,
    path: string,
  ): Promise<{ path: string; hash: string; size: number; mtime: string }[]> {
    const body = await this.json<{
      files: { path: string; hash: string; size: number; mtime: string }[]
    }>(
      'GET',
      `${this.projectPath(project.workspace, project.name)}/objects/${objectId}/file-sets?${new URLSearchParams({ path })}`,
    )
    return body.files
  }

  artifact(
    project: ProjectWire,
    hash: string,
  ): Promise<{
    hash: string
    size: number | null
    files: {
      filePath: string
      fileHash: string
      type: string
      size: number | null
      metadata: Record<string, string>
    }[]
  }> {
    return this.json(
      'GET',
      `${this.projectPath(project.workspace, project.name)}/artifacts/${hash}`,
    )
  }

  /** Downloads a file field, a file of a file set (`file`) or a file-series point (`index`). */
  async download(
    project: ProjectWire,
    objectId: string,
    query: { path: string; file?: string; index?: number },
  ): Promise<Uint8Array> {
    const params = new URLSearchParams({ path: query.path })
    if (query.file !== undefined) params.set('file', query.file)
    if (query.index !== undefined) params.set('index', String(query.index))
    const response = await this.request(
      'GET',
      `${this.projectPath(project.workspace, project.name)}/objects/${objectId}/files?${params}`,
    )
    return new Uint8Array(await response.arrayBuffer())
  }

  async views(project: ProjectWire): Promise<Record<string, unknown>[] | null> {
    return this.optionalList(`${this.projectPath(project.workspace, project.name)}/views`, 'views')
  }

  async dashboards(project: ProjectWire): Promise<Record<string, unknown>[] | null> {
    const list = await this.optionalList(
      `${this.projectPath(project.workspace, project.name)}/dashboards`,
      'dashboards',
    )
    if (list === null) return null
    const full: Record<string, unknown>[] = []
    for (const summary of list) {
      full.push(
        await this.json(
          'GET',
          `${this.projectPath(project.workspace, project.name)}/dashboards/${encodeURIComponent(String(summary.id))}`,
        ),
      )
    }
    return full
  }

  putView(project: ProjectWire, id: string, body: { name: string; state: unknown }) {
    return this.json(
      'PUT',
      `${this.projectPath(project.workspace, project.name)}/views/${encodeURIComponent(id)}`,
      body,
    )
  }

  setDefaultView(project: ProjectWire, id: string | null) {
    return this.json('PUT', `${this.projectPath(project.workspace, project.name)}/default-view`, {
      view: id,
    })
  }

  putDashboard(project: ProjectWire, id: string, body: { name: string; widgets: unknown[] }) {
    return this.json(
      'PUT',
      `${this.projectPath(project.workspace, project.name)}/dashboards/${encodeURIComponent(id)}`,
      body,
    )
  }

  /** A list route that older servers may not have: null when the route does not exist. */
  async optionalList(path: string, key: string): Promise<Record<string, unknown>[] | null> {
    try {
      const body = await this.json<Record<string, Record<string, unknown>[]>>('GET', path)
      return body[key] ?? []
    } catch (error) {
      if (error instanceof NereidError && error.code === 'ROUTE_NOT_FOUND') return null
      throw error
    }
  }

  async json<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const response = await this.request(method, path, body, contentType)
    return (await response.json()) as T
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Response> {
    const payload =
      body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body)
    let delay = 200
    for (let attempt = 0; ; attempt++) {
      let response: Response
      try {
        response = await this.#fetch(`${this.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.#token}`,
            ...(payload !== undefined ? { 'content-type': contentType } : {}),
          },
          ...(payload !== undefined ? { body: payload } : {}),
        })
      } catch (error) {
        if (attempt < RETRIES) {
          await sleep(delay)
          delay *= 2
          continue
        }
        throw new NereidError(
          'SERVER_UNREACHABLE',
          `cannot reach the Nereid server at ${this.url}: ${(error as Error).message}`,
          { url: this.url },
        )
      }
      if (response.ok) return response
      if ((response.status >= 500 || response.status === 429) && attempt < RETRIES) {
        await response.body?.cancel()
        await sleep(delay)
        delay *= 2
        continue
      }
      throw await apiError(response, method, path)
    }
  }
}

async function apiError(response: Response, method: string, path: string): Promise<NereidError> {
  const text = await response.text()
  try {
    const parsed = JSON.parse(text) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> }
    }
    const code = parsed.error?.code
    if (code && code in ERROR_CODES)
      return new NereidError(
        code as ErrorCode,
        parsed.error!.message ?? code,
        parsed.error!.details,
      )
  } catch {
    // not JSON: reported below with the status
  }
  return new NereidError(
    response.status === 404 ? 'ROUTE_NOT_FOUND' : 'INTERNAL',
    `${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`,
  )
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
