import { ERROR_CODES, NereidError, type ErrorCode, type ErrorDetails } from '@nereid/core'

/**
 * An error answered by the server (rebuilt from its `{ error: { code, message, details } }`
 * body, so `code` means the same on both sides) or met on the way to it. `url` says which
 * server was asked; `retryable` whether sending the same request later may succeed.
 */
export class NereidApiError extends NereidError {
  readonly url: string
  readonly httpStatus: number | null
  /** Seconds the server asked to wait (Retry-After), when it did. */
  readonly retryAfterSeconds: number | null

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      url: string
      httpStatus?: number | null
      details?: ErrorDetails
      retryAfterSeconds?: number | null
      cause?: unknown
    },
  ) {
    super(code, message, options.details, { cause: options.cause })
    this.name = 'NereidApiError'
    this.url = options.url
    this.httpStatus = options.httpStatus ?? null
    this.retryAfterSeconds = options.retryAfterSeconds ?? null
  }

  /** Connection failures, timeouts, 408, 429 and 5xx: the same request may succeed later. */
  get retryable(): boolean {
    if (this.code === 'SERVER_UNREACHABLE') return true
    const status = this.httpStatus
    return status === 408 || status === 429 || (status !== null && status >= 500)
  }
}

/** Builds the error for a non-2xx answer from its body, whatever shape the body has. */
export async function errorFromResponse(response: Response, url: string): Promise<NereidApiError> {
  const text = await response.text().catch(() => '')
  const retryAfter = Number(response.headers.get('retry-after'))
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    body = undefined
  }
  const wire = body?.error
  if (wire && typeof wire.code === 'string' && wire.code in ERROR_CODES) {
    return new NereidApiError(
      wire.code as ErrorCode,
      typeof wire.message === 'string' ? wire.message : ERROR_CODES[wire.code as ErrorCode].title,
      {
        url,
        httpStatus: response.status,
        retryAfterSeconds,
        ...(typeof wire.details === 'object' && wire.details !== null
          ? { details: wire.details as ErrorDetails }
          : {}),
      },
    )
  }
  // Not a Nereid answer (a proxy, another program on the port): say what came back.
  const excerpt = text.replace(/\s+/g, ' ').slice(0, 200)
  return new NereidApiError(
    codeForStatus(response.status),
    `${response.status} ${response.statusText} from ${url}${excerpt ? `: ${excerpt}` : ''}`,
    { url, httpStatus: response.status, retryAfterSeconds },
  )
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'AUTH_REQUIRED'
  if (status === 403) return 'FORBIDDEN'
  if (status === 404) return 'ROUTE_NOT_FOUND'
  if (status === 413) return 'BODY_TOO_LARGE'
  if (status === 503 || status === 502 || status === 504) return 'SERVICE_UNAVAILABLE'
  if (status >= 500) return 'INTERNAL'
  return 'VALIDATION_FAILED'
}
