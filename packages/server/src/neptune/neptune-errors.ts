import { NereidError, type ErrorCode } from '@nereid/core'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { setRetryAfter, toNereidError } from '../plugins/error-handler.js'

/**
 * The `errorType` of Neptune's error bodies for the codes the client treats specially
 * (protocol §11.2). Codes without one become plain HTTP errors of their status.
 */
const ERROR_TYPES: Partial<Record<ErrorCode, string>> = {
  OBJECT_NOT_FOUND: 'EXPERIMENT_NOT_FOUND',
  QUOTA_EXCEEDED: 'PROJECT_LIMITS_EXCEEDED',
  PROJECT_EXISTS: 'PROJECT_NAME_COLLISION',
  PROJECT_KEY_EXISTS: 'PROJECT_KEY_COLLISION',
  FIELD_LIMIT_EXCEEDED: 'ATTRIBUTES_PER_EXPERIMENT_LIMIT_EXCEEDED',
}

/** Titles the client matches on (the tables' query error) or shows as a reason (limits). */
const TITLES: Partial<Record<ErrorCode, string>> = {
  NQL_SYNTAX_ERROR: 'Syntax error',
}

/** A Neptune error body; `errorType` only where the client should react to it. */
export function neptuneErrorBody(error: NereidError, errorType?: string): Record<string, unknown> {
  const type = errorType ?? ERROR_TYPES[error.code]
  return {
    code: error.statusCode,
    ...(type ? { errorType: type } : {}),
    title: TITLES[error.code] ?? (error.code === 'QUOTA_EXCEEDED' ? error.message : error.code),
    message: error.message,
    // The native form too, so logs and curl users see the registry code and details.
    error: error.toJSON(),
  }
}

export function sendNeptuneError(
  reply: FastifyReply,
  error: NereidError,
  errorType?: string,
): FastifyReply {
  setRetryAfter(reply, error)
  return reply
    .code(error.statusCode)
    .type('application/json')
    .send(neptuneErrorBody(error, errorType))
}

/**
 * Errors on Neptune routes. The client raises a specific exception for some status codes and
 * `errorType`s and kills its background thread on anything it cannot parse, so every error is
 * a JSON object in the shape of the specs' `Error` model. An expired access token is reported
 * with the errorType the client retries on.
 */
export function registerNeptuneErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = toNereidError(error, bodyLimit)
    if (known) {
      if (known.statusCode >= 500) request.log.error({ err: error }, known.message)
      const expired = (known.details as { expired?: boolean } | undefined)?.expired === true
      return sendNeptuneError(reply, known, expired ? 'AUTHORIZATION_TOKEN_EXPIRED' : undefined)
    }
    request.log.error({ err: error }, 'unexpected error')
    return sendNeptuneError(
      reply,
      new NereidError(
        'INTERNAL',
        `internal server error (request ${request.id}); the server log has the details`,
      ),
    )
  })
}
