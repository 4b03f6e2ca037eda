/**
 * An error answer of the Nereid API, rebuilt from its wire body
 * `{ "error": { "code", "message", "details" } }` so `code` means the same here as on the server.
 */
export class NereidApiError extends Error {
  readonly code: string
  readonly status: number
  readonly details: Record<string, unknown> | undefined

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'NereidApiError'
    this.status = status
    this.code = code
    this.details = details
  }
}

/** The server could not be reached at all (network down, server stopped). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('the Nereid server could not be reached', { cause })
    this.name = 'NetworkError'
  }
}
