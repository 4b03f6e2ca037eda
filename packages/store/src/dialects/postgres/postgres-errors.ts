import { NereidError } from '@nereid/core'

/** Seconds a client should wait before retrying when the database is unreachable. */
const RETRY_AFTER_SECONDS = 2

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
])

// SQLSTATEs that mean "this server cannot serve now" rather than "this query is wrong":
// connection exceptions (class 08), shutdown and start-up (57P01-57P03), too many
// connections (53300), out of memory or disk (53100, 53200).
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53100', '53200'])

// Errors `pg`, `pg-pool` and Kysely raise with no code when the connection is gone.
const CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'Postgres connection has been discarded',
  'Client was closed',
  'Connection ended',
]

interface DriverError {
  code?: unknown
  message?: unknown
}

function codeOf(error: unknown): string {
  const code = (error as DriverError | null)?.code
  return typeof code === 'string' ? code : ''
}

/** Whether a driver error means the database is unreachable or not serving (retry later). */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false
  const code = codeOf(error)
  if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08')) return true
  const message = (error as DriverError).message
  return typeof message === 'string' && CONNECTION_MESSAGES.some((m) => message.includes(m))
}

/** Whether the connection was refused for its credentials or its database name. */
export function isConfigurationError(error: unknown): boolean {
  const code = codeOf(error)
  return code.startsWith('28') || code === '3D000' || code === '42501'
}

/**
 * Deadlock or serialization failure, or a statement prepared on a connection before the schema
 * changed under it: the transaction may simply be run again.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = codeOf(error)
  return code === '40P01' || code === '40001' || isStalePlan(error)
}

/** A prepared statement whose result columns changed since it was prepared (a migration). */
export function isStalePlan(error: unknown): boolean {
  const message = (error as DriverError | null)?.message
  return (
    codeOf(error) === '0A000' &&
    typeof message === 'string' &&
    message.includes('cached plan must not change result type')
  )
}

/**
 * The one place where PostgreSQL driver errors become Nereid errors: an unreachable,
 * restarting or refusing database is SERVICE_UNAVAILABLE (HTTP 503 with Retry-After), which
 * every client retries; everything else passes through unchanged.
 */
export function mapDriverError(error: unknown, target: string): unknown {
  if (isConnectionError(error)) {
    return new NereidError(
      'SERVICE_UNAVAILABLE',
      `the database at ${target} is unavailable (${messageOf(error)}); retry in a few seconds`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
      { cause: error },
    )
  }
  if (isConfigurationError(error)) {
    return new NereidError(
      'SERVICE_UNAVAILABLE',
      `the database at ${target} refused the connection: ${messageOf(error)}`,
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
      { cause: error },
    )
  }
  return error
}

/** The driver's own words for an error, with its code (Node's AggregateError has none). */
export function messageOf(error: unknown): string {
  const inner = (error as { errors?: unknown[] }).errors
  if (error instanceof AggregateError && Array.isArray(inner) && inner.length > 0) {
    return inner.map(messageOf).join('; ')
  }
  const message = (error as DriverError).message
  const code = codeOf(error)
  const text = typeof message === 'string' && message !== '' ? message : String(error)
  return code !== '' && !text.includes(code) ? `${code}: ${text}` : text
}
