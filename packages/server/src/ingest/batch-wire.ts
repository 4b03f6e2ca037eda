import { isNereidError, NereidError, parseOperationBatch, type ParsedBatch } from '@nereid/core'
import secureJson from 'secure-json-parse'

/**
 * Parsing an operation batch from its raw JSON bytes, in a form that can cross a worker
 * boundary: errors travel as their JSON (classes do not survive structured cloning) and the
 * typed arrays of series columns are listed for zero-copy transfer.
 */
export type WireParsedBatch =
  | { ok: true; batch: Omit<ParsedBatch, 'operations'> & { operations: WireOperation[] } }
  | { ok: false; error: ReturnType<NereidError['toJSON']> }

type WireOperation =
  | Exclude<ParsedBatch['operations'][number], { kind: 'invalid' }>
  | { kind: 'invalid'; error: ReturnType<NereidError['toJSON']> }

export function parseBatchBytes(bytes: Uint8Array): {
  result: WireParsedBatch
  transfer: ArrayBuffer[]
} {
  let json: unknown
  try {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')
    // secure-json-parse refuses __proto__ and constructor.prototype keys, like Fastify's own
    // parser. Its check runs two regular expressions over the text (~40 µs for a batch of
    // 1,000 points); a text without a backslash cannot spell either key in escapes, so where
    // neither key appears literally, no key can be one of them.
    json =
      !text.includes('\\') && !text.includes('__proto__') && !text.includes('constructor')
        ? JSON.parse(text)
        : secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' })
  } catch (error) {
    return {
      result: {
        ok: false,
        error: new NereidError(
          'MALFORMED_JSON',
          `the body is not valid JSON: ${(error as Error).message}`,
        ).toJSON(),
      },
      transfer: [],
    }
  }
  try {
    const batch = parseOperationBatch(json)
    const transfer: ArrayBuffer[] = []
    const operations = batch.operations.map((operation): WireOperation => {
      if (operation.kind === 'invalid') return { kind: 'invalid', error: operation.error.toJSON() }
      if (operation.kind === 'appendFloats')
        transfer.push(
          operation.steps.buffer as ArrayBuffer,
          operation.timestamps.buffer as ArrayBuffer,
          operation.values.buffer as ArrayBuffer,
        )
      else if (operation.kind === 'appendStrings' || operation.kind === 'appendFiles')
        transfer.push(
          operation.steps.buffer as ArrayBuffer,
          operation.timestamps.buffer as ArrayBuffer,
        )
      return operation
    })
    return { result: { ok: true, batch: { ...batch, operations } }, transfer }
  } catch (error) {
    if (!isNereidError(error)) throw error
    return { result: { ok: false, error: error.toJSON() }, transfer: [] }
  }
}

/** Back from the wire form: errors become NereidErrors again. */
export function fromWire(result: WireParsedBatch): ParsedBatch {
  if (!result.ok)
    throw new NereidError(result.error.code, result.error.message, result.error.details)
  return {
    ...result.batch,
    operations: result.batch.operations.map((operation) =>
      operation.kind === 'invalid'
        ? {
            kind: 'invalid',
            error: new NereidError(
              operation.error.code,
              operation.error.message,
              operation.error.details,
            ),
          }
        : operation,
    ),
  }
}
