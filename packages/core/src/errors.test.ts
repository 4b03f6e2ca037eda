import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, NereidError, isNereidError } from './errors.js'

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')
const documented = new Map(
  [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((match) => [
    match[1]!,
    Number(match[2]),
  ]),
)

describe('error registry', () => {
  it('documents every code with its status in docs/errors.md', () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(documented.get(code), `${code} is missing from docs/errors.md`).toBe(status)
    }
  })

  it('documents no code that the registry lacks', () => {
    for (const code of documented.keys()) expect(Object.keys(ERROR_CODES)).toContain(code)
  })

  it('serialises to the wire shape', () => {
    const error = new NereidError('FIELD_NOT_FOUND', 'no field "x"', { path: 'x' })
    expect(error.statusCode).toBe(404)
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'FIELD_NOT_FOUND',
      message: 'no field "x"',
      details: { path: 'x' },
    })
  })

  it('recognises errors by shape, not class identity', () => {
    expect(isNereidError({ code: 'FORBIDDEN', statusCode: 403, message: 'x' })).toBe(true)
    expect(isNereidError({ code: 'NOT_A_CODE', statusCode: 400 })).toBe(false)
    expect(isNereidError(new Error('x'))).toBe(false)
  })
})
