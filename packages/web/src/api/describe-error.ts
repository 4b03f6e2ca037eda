import { NereidApiError, NetworkError } from './api-error.js'

export interface ErrorDescription {
  /** What went wrong, in words. */
  title: string
  /** The server's own message, when it has one. */
  detail: string
  /** What the user can do about it. */
  action: string
}

const ACTIONS: Record<string, string> = {
  AUTH_REQUIRED: 'Sign in again.',
  AUTH_FAILED: 'Check the username and password.',
  TOKEN_INVALID: 'The API token is revoked or mistyped: sign in again with a valid one.',
  CSRF_TOKEN_INVALID: 'Reload the page to get a fresh session, then try again.',
  TOO_MANY_ATTEMPTS: 'Wait a few minutes before trying again.',
  FORBIDDEN: 'Ask a workspace or project owner for a role that allows this.',
  PROJECT_NOT_FOUND: 'Check the project name, or ask its owner to add you.',
  WORKSPACE_NOT_FOUND: 'Check the workspace name, or ask an admin to invite you.',
  OBJECT_NOT_FOUND: 'It may have been deleted; go back to the runs table.',
  FIELD_NOT_FOUND: 'The field may have been deleted or not logged yet.',
  FILE_NOT_FOUND: 'The file may have been deleted or not uploaded yet.',
  NQL_SYNTAX_ERROR: 'Fix the query at the marked position.',
  VALIDATION_FAILED: 'Correct the highlighted value and try again.',
  VIEW_NAME_EXISTS: 'Choose another name, or open that view and update it.',
  DASHBOARD_NAME_EXISTS: 'Choose another name.',
  REVISION_CONFLICT: 'Someone else saved a change: reload, reapply yours and save again.',
  VIEW_NOT_FOUND: 'The view was deleted; pick another one.',
  DASHBOARD_NOT_FOUND: 'The dashboard was deleted; pick another one.',
  QUOTA_EXCEEDED: 'Free space (empty the trash) or ask the owner to raise the limit.',
  READ_ONLY_OBJECT: 'Restore it from the trash first.',
  PROJECT_EXISTS: 'Choose another project name.',
  PROJECT_KEY_EXISTS: 'Choose another project key.',
  SERVICE_UNAVAILABLE: 'Try again in a moment.',
  INTERNAL: 'Try again; if it persists, give the request id above to your administrator.',
}

/** Turns any error into words a person can act on. */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof NereidApiError) {
    return {
      title: titleOf(error),
      detail: error.message,
      action:
        ACTIONS[error.code] ??
        (error.status >= 500 ? 'Try again in a moment.' : 'Check what you entered and try again.'),
    }
  }
  if (error instanceof NetworkError) {
    return {
      title: 'The server cannot be reached',
      detail: 'No answer from the Nereid server.',
      action: 'Check your connection and that the server is running, then retry.',
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return {
    title: 'Something went wrong in the page',
    detail: message,
    action: 'Reload the page; if it happens again, report it with what you were doing.',
  }
}

function titleOf(error: NereidApiError): string {
  if (error.status === 401) return 'You are not signed in'
  if (error.status === 403) return 'Not allowed'
  if (error.status === 404) return 'Not found'
  if (error.status === 409) return 'Conflict'
  if (error.status === 413) return 'Too large'
  if (error.status === 429) return 'Too many attempts'
  if (error.status >= 500) return 'The server failed'
  return 'The request was refused'
}
