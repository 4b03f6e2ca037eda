import { LIMITS, NereidError, type ErrorCode } from '@nereid/core'
import type { FastifyInstance } from 'fastify'
import { resolveContainer } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'
import { translateOperations } from '../neptune-operations.js'
import { checkStorageLimit } from '../storage-limit.js'

/** The error types Neptune's spec enumerates for per-operation errors. */
const OPERATION_ERROR_TYPES: Partial<Record<ErrorCode, string>> = {
  STEP_NOT_INCREASING: 'logSeriesValueError',
  VALUE_INVALID: 'assignFloatValueError',
}

/** `executeOperations`: every write of the client goes through the one operation applier. */
export async function operationRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, blobService, config, now } = deps

  app.post<{ Querystring: { experimentId: string }; Body: unknown }>(
    '/api/leaderboard/v1/attributes/operations',
    { config: { permission: 'authenticated' }, bodyLimit: LIMITS.maxJsonBodyBytes },
    async (request) => {
      const { object, project } = await resolveContainer(
        store,
        request.principal!,
        request.query.experimentId ?? '',
        'write',
      )
      const body = request.body
      if (!Array.isArray(body)) {
        throw new NereidError('VALIDATION_FAILED', 'the body must be a JSON array of operations', {
          field: 'body',
        })
      }
      if (body.length > LIMITS.maxOperationsPerBatch) {
        throw new NereidError(
          'VALIDATION_FAILED',
          `${body.length} operations in one batch; the limit is ${LIMITS.maxOperationsPerBatch} (NEPTUNE_ASYNC_BATCH_SIZE)`,
          { field: 'body', limit: LIMITS.maxOperationsPerBatch },
        )
      }
      await checkStorageLimit(store, project)
      const operations = await translateOperations(body, async (bytes) => {
        const blob = await blobService.upload(
          (async function* () {
            yield bytes
          })(),
          config.maxUploadBytes,
        )
        return blob.hash
      })
      const { results } = await store.ingest.applyBatch(object.id, { operations }, { now: now() })
      const errors = []
      for (const result of results) {
        if (result.ok) continue
        errors.push({
          errorType: OPERATION_ERROR_TYPES[result.error.code] ?? 'metadata_inconsistency',
          errorDescription: result.error.message,
        })
      }
      return errors
    },
  )
}
