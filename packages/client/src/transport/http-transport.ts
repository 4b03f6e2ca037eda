import type { ClientEnv } from '../env.js'
import { NereidApiError, errorFromResponse } from './api-error.js'

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  query?: Record<string, string | number | boolean | undefined>
  /** Sent as JSON. */
  json?: unknown
  /** Sent as is (already serialised JSON text, or raw bytes). */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>
  contentType?: string
  signal?: AbortSignal
  /** Milliseconds before the request is abandoned (default 120 s). */
  timeoutMs?: number
}

/**
 * The native API over HTTP: one base URL and one API token. Answers other than 2xx become
 * `NereidApiError`s with the server's code; a connection that cannot be made becomes
 * `SERVER_UNREACHABLE` naming the server, so a user sees where the SDK tried to go.
 */
export class HttpTransport {
  readonly apiUrl: string
  readonly #token: string
  readonly #env: Pick<ClientEnv, 'fetch'>

  constructor(apiUrl: string, token: string, env: Pick<ClientEnv, 'fetch'>) {
    this.apiUrl = apiUrl.replace(/\/+$/, '')
    this.#token = token
    this.#env = env
  }

  url(path: string, query?: RequestOptions['query']): string {
    let url = `${this.apiUrl}${path}`
    if (query) {
      const params = new URLSearchParams()
      for (const [key, value] of Object.entries(query))
        if (value !== undefined) params.set(key, String(value))
      const text = params.toString()
      if (text) url += `?${text}`
    }
    return url
  }

  /** Sends a request and returns the response (2xx only). */
  async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const url = this.url(path, options.query)
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}` }
    let body: RequestInit['body'] | AsyncIterable<Uint8Array> | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json'
      body = options.body as RequestInit['body']
    }
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 120_000)
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
    let response: Response
    try {
      response = await this.#env.fetch(url, {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body: body as RequestInit['body'],
        signal,
        // Streamed request bodies (uploads) need half-duplex in Node's fetch.
        ...(isAsyncIterable(body) ? { duplex: 'half' } : {}),
      } as RequestInit)
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error
      throw unreachable(this.apiUrl, url, error, timeout.aborted)
    }
    if (!response.ok) throw await errorFromResponse(response, url)
    return response
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(path, options)
    try {
      return (await response.json()) as T
    } catch (error) {
      throw unreachable(this.apiUrl, this.url(path, options.query), error, false)
    }
  }
}

function unreachable(
  apiUrl: string,
  url: string,
  error: unknown,
  timedOut: boolean,
): NereidApiError {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause
  const reason = timedOut
    ? 'the request timed out'
    : (cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error))
  return new NereidApiError(
    'SERVER_UNREACHABLE',
    `could not reach the Nereid server at ${apiUrl} (${reason}); check that it runs and that the API token was made for it`,
    { url, details: { url: apiUrl, reason }, cause: error },
  )
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    typeof (value as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'
  )
}
