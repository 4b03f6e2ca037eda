/**
 * The one registry of error codes. Every error that crosses a package or process boundary is a
 * `NereidError` carrying one of these codes; the HTTP layer maps it to its status and to the wire
 * body `{ "error": { "code", "message", "details" } }`.
 *
 * Codes are never renamed or reused: clients match on them. `docs/errors.md` documents each one
 * and a test keeps the two in sync.
 */
export const ERROR_CODES = {
  // Request shape
  VALIDATION_FAILED: { status: 400, title: 'The request is invalid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  BODY_TOO_LARGE: { status: 413, title: 'The request body is larger than the limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request has an unsupported content type' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  // Authentication and access
  AUTH_REQUIRED: { status: 401, title: 'Authentication is required' },
  TOKEN_INVALID: { status: 401, title: 'The API token is invalid or revoked' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  AUTH_FAILED: { status: 401, title: 'Wrong username or password' },
  CSRF_TOKEN_INVALID: { status: 403, title: 'The CSRF token is missing or wrong' },
  TOO_MANY_ATTEMPTS: { status: 429, title: 'Too many failed sign-ins; wait and try again' },
  SSO_FAILED: { status: 401, title: 'Single sign-on did not complete' },
  INVITATION_INVALID: { status: 410, title: 'The invitation is expired, revoked or used' },
  USER_NOT_FOUND: { status: 404, title: 'User or service account not found' },
  TOKEN_NOT_FOUND: { status: 404, title: 'API token not found' },
  USER_EXISTS: { status: 409, title: 'A user or service account with this name exists' },
  LAST_OWNER: { status: 409, title: 'The last owner or administrator cannot be removed' },
  // Lookups
  WORKSPACE_NOT_FOUND: { status: 404, title: 'Workspace not found' },
  PROJECT_NOT_FOUND: { status: 404, title: 'Project not found' },
  OBJECT_NOT_FOUND: { status: 404, title: 'Object not found' },
  FIELD_NOT_FOUND: { status: 404, title: 'Field not found' },
  FILE_NOT_FOUND: { status: 404, title: 'File not found' },
  BLOB_NOT_FOUND: { status: 404, title: 'Blob not found' },
  // Conflicts
  WORKSPACE_EXISTS: { status: 409, title: 'A workspace with this name exists' },
  PROJECT_EXISTS: { status: 409, title: 'A project with this name exists' },
  PROJECT_KEY_EXISTS: { status: 409, title: 'A project with this key exists' },
  MODEL_KEY_EXISTS: { status: 409, title: 'A model with this key exists' },
  // Field writes (reported per operation inside a batch)
  PATH_INVALID: { status: 400, title: 'The field path is invalid' },
  FIELD_TYPE_CONFLICT: { status: 409, title: 'The field already has another type' },
  NAMESPACE_CONFLICT: { status: 409, title: 'The path collides with a namespace or a field' },
  SYS_FIELD_READ_ONLY: { status: 400, title: 'This sys/ field is maintained by the server' },
  STEP_NOT_INCREASING: { status: 400, title: 'Series steps must strictly increase' },
  VALUE_INVALID: { status: 400, title: 'The value is invalid for this field type' },
  FIELD_LIMIT_EXCEEDED: { status: 422, title: 'The object has too many fields' },
  OPERATION_UNKNOWN: { status: 400, title: 'Unknown operation' },
  SOURCE_FIELD_NOT_FOUND: { status: 404, title: 'The field to copy from does not exist' },
  // Queries
  NQL_SYNTAX_ERROR: { status: 400, title: 'The query has a syntax error' },
  // Limits
  QUOTA_EXCEEDED: { status: 422, title: 'The project is over its storage limit' },
  READ_ONLY_OBJECT: { status: 409, title: 'The object is in the trash and cannot be written' },
  // Server side
  STORE_MIGRATION_FAILED: { status: 500, title: 'Database migration failed' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is temporarily unavailable' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  // Saved views and dashboards
  VIEW_NOT_FOUND: { status: 404, title: 'Saved view not found' },
  VIEW_NAME_EXISTS: { status: 409, title: 'A saved view with this name exists' },
  DASHBOARD_NOT_FOUND: { status: 404, title: 'Dashboard not found' },
  DASHBOARD_NAME_EXISTS: { status: 409, title: 'A dashboard with this name exists' },
  REVISION_CONFLICT: { status: 409, title: 'Someone else changed this since it was read' },
  // SDK and notebooks
  READ_ONLY_MODE: { status: 409, title: 'The object was opened in read-only mode' },
  MODE_UNSUPPORTED: { status: 400, title: "This call is not available in the object's mode" },
  SERVER_UNREACHABLE: { status: 503, title: 'The Nereid server could not be reached' },
  CHECKPOINT_NOT_FOUND: { status: 404, title: 'Notebook checkpoint not found' },
  // Import and export
  ARTIFACT_NOT_FOUND: { status: 404, title: 'Artifact not found' },
  IMPORT_INPUT_INVALID: { status: 400, title: 'An import input file is invalid or truncated' },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ERROR_CODES

export type ErrorDetails = Record<string, unknown>

/** Base class of every error Nereid raises on purpose. */
export class NereidError extends Error {
  readonly code: ErrorCode
  readonly statusCode: number
  readonly details: ErrorDetails | undefined

  constructor(code: ErrorCode, message?: string, details?: ErrorDetails, options?: ErrorOptions) {
    super(message ?? ERROR_CODES[code].title, options)
    this.name = 'NereidError'
    this.code = code
    this.statusCode = ERROR_CODES[code].status
    this.details = details
  }

  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** Input that breaks a rule; `details.field` names the offending field where there is one. */
export class ValidationError extends NereidError {
  constructor(message: string, details?: ErrorDetails, code: ErrorCode = 'VALIDATION_FAILED') {
    super(code, message, details)
    this.name = 'ValidationError'
  }
}

export class NotFoundError extends NereidError {
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(code, message, details)
    this.name = 'NotFoundError'
  }
}

export class ConflictError extends NereidError {
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(code, message, details)
    this.name = 'ConflictError'
  }
}

export class QuotaExceededError extends NereidError {
  constructor(message: string, details?: ErrorDetails) {
    super('QUOTA_EXCEEDED', message, details)
    this.name = 'QuotaExceededError'
  }
}

/** Duck-typed check, so errors from a second copy of this package are recognised too. */
export function isNereidError(error: unknown): error is NereidError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code in ERROR_CODES &&
    typeof (error as { statusCode?: unknown }).statusCode === 'number'
  )
}
