import { describe, expect, it } from 'vitest'
import { parseOperationBatch } from './parse-batch.js'

describe('parseOperationBatch', () => {
  it('parses each operation and keeps the invalid ones in place', () => {
    const batch = parseOperationBatch({
      writer: 'w',
      seq: 7,
      operations: [
        { op: 'assignInt', path: 'x', value: 1 },
        { op: 'nope', path: 'y' },
      ],
    })
    expect(batch.writer).toBe('w')
    expect(batch.seq).toBe(7)
    expect(batch.operations[0]).toMatchObject({ kind: 'assign', type: 'int', value: 1 })
    expect(batch.operations[1]).toMatchObject({
      kind: 'invalid',
      error: { code: 'OPERATION_UNKNOWN' },
    })
  })

  it.each([
    [[], 'body'],
    [{ operations: {} }, 'body.operations'],
    [{ operations: [], extra: 1 }, 'body.extra'],
    [{ operations: [], writer: '' }, 'body.writer'],
    [{ operations: [], writer: 'w', seq: 0 }, 'body.seq'],
    [{ operations: [], writer: 'w' }, 'body.seq'],
  ])('rejects the envelope %j naming %s', (body, field) => {
    expect(() => parseOperationBatch(body)).toThrow()
    try {
      parseOperationBatch(body)
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } })
    }
  })

  it('refuses more operations than the batch limit', () => {
    expect(() => parseOperationBatch({ operations: new Array(10_001).fill({}) })).toThrow(
      /the limit is 10000/,
    )
  })
})
