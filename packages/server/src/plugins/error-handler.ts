import { ERROR_CODES, isNereidError, NereidError, type ErrorCode } from '@nereid/core'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/**
 * The one place errors become HTTP answers: `{ "error": { "code", "message", "details" } }`
 * with the status of the code in the registry. Anything unexpected is logged with the request
 * id and answered with a generic 500 that leaks nothing.
 */
export function toNereidError(error: unknown, bodyLimit: number): NereidError | null {
  if (isNereidError(error)) return error
  const fastifyError = error as FastifyError & {
    validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[]
    validationContext?: string
  }
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    const first = fastifyError.validation[0]!
    const location = fastifyError.validationContext ?? 'body'
    const missing = first.params?.missingProperty
    const field = [
      location,
      ...(first.instancePath ?? '').split('/').filter(Boolean),
      ...(typeof missing === 'string' ? [missing] : []),
    ].join('.')
    return new NereidError('VALIDATION_FAILED', `${field} ${first.message ?? 'is invalid'}`, {
      field,
      reason: first.message,
    })
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new NereidError(
        'BODY_TOO_LARGE',
        `the request body is larger than the limit of ${bodyLimit} bytes`,
        { limitBytes: bodyLimit },
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new NereidError(
        'UNSUPPORTED_MEDIA_TYPE',
        'send JSON with "Content-Type: application/json"',
      )
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new NereidError(
        'MALFORMED_JSON',
        'the body is empty but "Content-Type: application/json" was sent',
      )
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new NereidError(
        'VALIDATION_FAILED',
        'the Content-Length header does not match the body',
      )
  }
  if (error instanceof SyntaxError || fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new NereidError(
      'MALFORMED_JSON',
      `the body is not valid JSON: ${(error as Error).message}`,
    )
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode === 413) {
    return new NereidError(
      'BODY_TOO_LARGE',
      `the request body is larger than the limit of ${bodyLimit} bytes`,
      { limitBytes: bodyLimit },
    )
  }
  return null
}

/**
 * SERVICE_UNAVAILABLE is a temporary condition (the database or the object storage is
 * unreachable, a write lost a race): clients and load balancers retry after `Retry-After`.
 */
export function setRetryAfter(reply: FastifyReply, error: NereidError): void {
  if (error.code !== 'SERVICE_UNAVAILABLE') return
  const seconds = Number(error.details?.retryAfterSeconds)
  reply.header('Retry-After', String(Number.isInteger(seconds) && seconds > 0 ? seconds : 1))
}

export function sendError(reply: FastifyReply, error: NereidError): FastifyReply {
  setRetryAfter(reply, error)
  return reply
    .code(ERROR_CODES[error.code as ErrorCode].status)
    .type('application/json')
    .send({ error: error.toJSON() })
}

export function registerErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const known = toNereidError(error, bodyLimit)
    if (known) {
      if (known.statusCode >= 500) request.log.error({ err: error }, known.message)
      return sendError(reply, known)
    }
    request.log.error({ err: error }, 'unexpected error')
    return sendError(
      reply,
      new NereidError(
        'INTERNAL',
        `internal server error (request ${request.id}); the server log has the details`,
      ),
    )
  })
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new NereidError('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`),
    ),
  )
}
