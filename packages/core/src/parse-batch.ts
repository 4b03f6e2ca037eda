import { ValidationError, type NereidError } from './errors.js'
import { LIMITS } from './limits.js'
import type { Operation } from './operation.js'
import { parseOperation } from './parse-operation.js'

/** A batch as the applier takes it: each operation parsed, or known to be invalid. */
export interface ParsedBatch {
  writer?: string
  seq?: number
  operations: (Operation | { kind: 'invalid'; error: NereidError })[]
}

/**
 * Validates the envelope of an operation batch (`{ writer?, seq?, operations }`) and parses
 * every operation. A malformed envelope throws; a malformed operation becomes an `invalid`
 * entry so the rest of the batch can still be applied.
 */
export function parseOperationBatch(body: unknown): ParsedBatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('the body must be a JSON object with an "operations" array', {
      field: 'body',
    })
  }
  const { writer, seq, operations, ...rest } = body as Record<string, unknown>
  const extra = Object.keys(rest)
  if (extra.length > 0) {
    throw new ValidationError(
      `unknown property "${extra[0]}"; a batch has "writer", "seq" and "operations"`,
      {
        field: `body.${extra[0]}`,
      },
    )
  }
  if (!Array.isArray(operations)) {
    throw new ValidationError('"operations" must be an array of operations', {
      field: 'body.operations',
    })
  }
  if (operations.length > LIMITS.maxOperationsPerBatch) {
    throw new ValidationError(
      `${operations.length} operations in one batch; the limit is ${LIMITS.maxOperationsPerBatch}`,
      { field: 'body.operations', limit: LIMITS.maxOperationsPerBatch },
    )
  }
  if (
    writer !== undefined &&
    (typeof writer !== 'string' || writer.length === 0 || writer.length > 128)
  ) {
    throw new ValidationError('"writer" must be a string of 1 to 128 characters', {
      field: 'body.writer',
    })
  }
  if (seq !== undefined && (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)) {
    throw new ValidationError('"seq" must be a positive integer', { field: 'body.seq' })
  }
  if ((writer === undefined) !== (seq === undefined)) {
    throw new ValidationError('send "writer" and "seq" together, or neither', { field: 'body.seq' })
  }
  const parsed: ParsedBatch['operations'] = operations.map((raw) => {
    try {
      return parseOperation(raw)
    } catch (error) {
      return { kind: 'invalid', error: error as NereidError }
    }
  })
  return {
    ...(writer !== undefined ? { writer: writer as string } : {}),
    ...(seq !== undefined ? { seq: seq as number } : {}),
    operations: parsed,
  }
}
