import { describe, expect, it } from 'vitest'
import { parseOperation } from './parse-operation.js'

describe('parseOperation', () => {
  it('packs series columns into typed arrays, with NaN for absent steps', () => {
    const operation = parseOperation({
      op: 'appendFloats',
      path: 'loss',
      values: [1, 'NaN', 'Infinity'],
      steps: [0, null, 5],
    })
    expect(operation.kind).toBe('appendFloats')
    if (operation.kind !== 'appendFloats') return
    expect(Array.from(operation.values)).toEqual([1, Number.NaN, Infinity])
    expect(Array.from(operation.steps)).toEqual([0, Number.NaN, 5])
    expect(Array.from(operation.timestamps).every(Number.isNaN)).toBe(true)
  })

  it('rejects columns of different lengths', () => {
    expect(() =>
      parseOperation({ op: 'appendFloats', path: 'x', values: [1, 2], steps: [1] }),
    ).toThrow(/steps has 1 entries but values has 2/)
  })

  it('rejects non-finite steps', () => {
    expect(() =>
      parseOperation({
        op: 'appendFloats',
        path: 'x',
        values: [1],
        steps: [Number.POSITIVE_INFINITY],
      }),
    ).toThrow()
  })

  it('names the unknown operation and lists the known ones', () => {
    expect(() => parseOperation({ op: 'explode', path: 'x' })).toThrow(
      /unknown operation "explode"/,
    )
    try {
      parseOperation({ op: 'explode', path: 'x' })
    } catch (error) {
      expect(error).toMatchObject({ code: 'OPERATION_UNKNOWN' })
    }
  })

  it('says which field of a known operation is wrong', () => {
    try {
      parseOperation({ op: 'assignInt', path: 'x', value: 'seven' })
      expect.unreachable()
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'value' } })
    }
  })

  it('rejects extra properties', () => {
    expect(() => parseOperation({ op: 'assignInt', path: 'x', value: 1, extra: true })).toThrow()
  })

  it('accepts datetimes as ISO strings or epoch milliseconds', () => {
    expect(
      parseOperation({ op: 'assignDatetime', path: 't', value: '2026-01-01T00:00:00Z' }),
    ).toMatchObject({ value: Date.UTC(2026, 0, 1) })
    expect(parseOperation({ op: 'assignDatetime', path: 't', value: 5 })).toMatchObject({
      value: 5,
    })
    expect(() => parseOperation({ op: 'assignDatetime', path: 't', value: 'yesterday' })).toThrow()
  })

  it('rejects integers beyond the exact range', () => {
    expect(() => parseOperation({ op: 'assignInt', path: 'x', value: 2 ** 60 })).toThrow(
      /exact integer range/,
    )
  })

  it('guards the sys namespace', () => {
    expect(() => parseOperation({ op: 'assignString', path: 'sys/state', value: 'x' })).toThrow(
      /maintained by the server/,
    )
    expect(parseOperation({ op: 'assignString', path: 'sys/name', value: 'run' })).toMatchObject({
      kind: 'assign',
    })
    expect(() => parseOperation({ op: 'assignString', path: 'sys/stage', value: 'beta' })).toThrow(
      /sys\/stage must be one of/,
    )
  })

  it('rejects file-set paths that leave the set', () => {
    const hash = 'a'.repeat(64)
    for (const path of ['../x', 'a/../../b', '/abs', 'a//b', '.']) {
      expect(() =>
        parseOperation({ op: 'uploadFileSet', path: 'src', reset: false, files: [{ path, hash }] }),
      ).toThrow()
    }
  })

  it('requires a sha256 for file references', () => {
    expect(() => parseOperation({ op: 'uploadFile', path: 'f', hash: 'not-a-hash' })).toThrow(
      /sha256/,
    )
  })

  it('deduplicates string set values', () => {
    expect(
      parseOperation({ op: 'addStrings', path: 'sys/tags', values: ['a', 'a', 'b'] }),
    ).toMatchObject({ values: ['a', 'b'] })
  })
})
