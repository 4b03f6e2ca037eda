import { NereidApiError, NetworkError } from './api-error.js'

/** How requests prove who sends them. */
export type Credentials =
  | { kind: 'none' }
  /** An API token (sign-in with a token, scripts, kiosks): sent as a Bearer header. */
  | { kind: 'token'; token: string }
  /** The session cookie (sent by the browser); state-changing requests add the CSRF token. */
  | { kind: 'session'; csrfToken: string }

export type Query = Record<string, string | number | boolean | undefined | null>

export interface RequestOptions {
  query?: Query
  body?: unknown
  signal?: AbortSignal
}

export interface DownloadProgress {
  loaded: number
  /** Null when the server did not say how large the answer is. */
  total: number | null
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>
  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>
  post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T>
  put<T>(path: string, body?: unknown): Promise<T>
  patch<T>(path: string, body?: unknown): Promise<T>
  delete<T>(path: string): Promise<T>
  /** Downloads bytes (files, zips), reporting progress as they arrive. */
  blob(
    path: string,
    query?: Query,
    options?: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void },
  ): Promise<Blob>
}

export interface ApiClientOptions {
  fetch: typeof fetch
  /** Prefix of every path ('' for the same origin). */
  baseUrl?: string
  credentials: () => Credentials
  /** Called when the server answers 401: the session ended or the token was revoked. */
  onUnauthorized?: (error: NereidApiError) => void
}

const SAFE_METHODS = new Set(['GET', 'HEAD'])

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) params.set(key, String(value))
  }
  const search = params.toString()
  return `${baseUrl}${path}${search ? `?${search}` : ''}`
}

/** A small fetch wrapper: JSON in and out, credentials, and typed errors. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? ''

  async function send(method: string, path: string, request: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' }
    const credentials = options.credentials()
    if (credentials.kind === 'token') headers.authorization = `Bearer ${credentials.token}`
    if (credentials.kind === 'session' && !SAFE_METHODS.has(method)) {
      headers['x-csrf-token'] = credentials.csrfToken
    }
    let body: string | undefined
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(request.body)
    }
    let response: Response
    try {
      response = await options.fetch(buildUrl(baseUrl, path, request.query), {
        method,
        headers,
        body,
        credentials: 'same-origin',
        signal: request.signal,
      })
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error
      throw new NetworkError(error)
    }
    if (!response.ok) {
      const error = await toError(response)
      if (response.status === 401) options.onUnauthorized?.(error)
      throw error
    }
    return response
  }

  async function request<T>(method: string, path: string, request: RequestOptions = {}) {
    const response = await send(method, path, request)
    const text = await response.text()
    return (text === '' ? undefined : JSON.parse(text)) as T
  }

  return {
    request,
    get: (path, query, signal) => request('GET', path, { query, ...(signal ? { signal } : {}) }),
    post: (path, body, signal) =>
      request('POST', path, { body: body ?? {}, ...(signal ? { signal } : {}) }),
    put: (path, body) => request('PUT', path, { body: body ?? {} }),
    patch: (path, body) => request('PATCH', path, { body: body ?? {} }),
    delete: (path) => request('DELETE', path),
    async blob(path, query, { signal, onProgress } = {}) {
      const response = await send('GET', path, { query, ...(signal ? { signal } : {}) })
      const length = Number(response.headers.get('content-length'))
      const total = Number.isFinite(length) && length > 0 ? length : null
      if (!response.body || !onProgress) return response.blob()
      const reader = response.body.getReader()
      const chunks: Uint8Array[] = []
      let loaded = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value)
        loaded += value.byteLength
        onProgress({ loaded, total })
      }
      return new Blob(chunks as BlobPart[], {
        type: response.headers.get('content-type') ?? 'application/octet-stream',
      })
    },
  }
}

async function toError(response: Response): Promise<NereidApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: Record<string, unknown> }
    }
    if (body.error?.code) {
      return new NereidApiError(
        response.status,
        body.error.code,
        body.error.message ?? body.error.code,
        body.error.details,
      )
    }
  } catch {
    // not a JSON error body: described by the status below
  }
  return new NereidApiError(
    response.status,
    response.status >= 500 ? 'INTERNAL' : 'HTTP_ERROR',
    `the server answered ${response.status} ${response.statusText}`.trim(),
  )
}
