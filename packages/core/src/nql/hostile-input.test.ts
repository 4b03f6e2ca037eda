import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors.js'
import { LIMITS } from '../limits.js'
import { parseQuery } from './parse-query.js'

function syntaxError(query: string): ValidationError {
  try {
    parseQuery(query)
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  throw new Error('expected the query to be rejected')
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now()
  const result = run()
  return { result, ms: performance.now() - started }
}

describe('parseQuery with hostile input', () => {
  it('keeps quotes and SQL fragments inside a string value as plain text', () => {
    expect(parseQuery('`a`:string = "x\' OR 1=1 --"').expr).toMatchObject({
      kind: 'condition',
      field: { path: 'a', type: 'string' },
      operator: '=',
      value: { kind: 'string', value: "x' OR 1=1 --" },
    })
  })

  it('rejects a statement separator at the ";"', () => {
    const error = syntaxError('a = 1; DROP TABLE objects')
    expect(error.code).toBe('NQL_SYNTAX_ERROR')
    expect(error.details).toMatchObject({ position: 5, found: ';' })
  })

  it('rejects a SQL comment after a condition', () => {
    expect(syntaxError('a = 1 -- comment').details).toMatchObject({ position: 6 })
  })

  it('fails fast on 10,000 nested parentheses, naming the depth limit', () => {
    const query = '('.repeat(10_000) + 'a = 1' + ')'.repeat(10_000)
    const { result: error, ms } = timed(() => syntaxError(query))
    expect(ms).toBeLessThan(500)
    expect(error.code).toBe('NQL_SYNTAX_ERROR')
    expect(error.message).toContain(`limit (maxQueryDepth) is ${LIMITS.maxQueryDepth}`)
    expect(error.details).toMatchObject({
      position: LIMITS.maxQueryDepth,
      limit: LIMITS.maxQueryDepth,
    })
  })

  it('fails fast on 10,000 nested NOTs', () => {
    const { result: error, ms } = timed(() => syntaxError('NOT '.repeat(10_000) + 'a = 1'))
    expect(ms).toBeLessThan(500)
    expect(error.message).toMatch(/nests too deeply/)
  })

  it('counts parentheses and NOT together against the depth limit', () => {
    const half = LIMITS.maxQueryDepth / 2
    const atLimit = '(NOT '.repeat(half) + 'a = 1' + ')'.repeat(half)
    expect(parseQuery(atLimit).expr).not.toBeNull()
    expect(syntaxError(`NOT ${atLimit}`).message).toMatch(/nests too deeply/)
  })

  it('parses a long flat chain of conditions without deep recursion', () => {
    const query = Array.from({ length: 5_000 }, (_, i) => `a = ${i}`).join(' OR ')
    const { result, ms } = timed(() => parseQuery(query))
    expect(ms).toBeLessThan(1_000)
    expect(result.expr).toMatchObject({ kind: 'or' })
    if (result.expr?.kind === 'or') expect(result.expr.items).toHaveLength(5_000)
  })

  it('rejects a query one character over the length limit, naming the limit', () => {
    const query = `a = "${'x'.repeat(LIMITS.maxQueryLength - 5)}"`
    expect(query).toHaveLength(LIMITS.maxQueryLength + 1)
    const error = syntaxError(query)
    expect(error.code).toBe('NQL_SYNTAX_ERROR')
    expect(error.message).toBe(
      `Query is ${LIMITS.maxQueryLength + 1} characters long; the limit (maxQueryLength) is ${LIMITS.maxQueryLength}`,
    )
    expect(error.details).toMatchObject({ limit: LIMITS.maxQueryLength })
  })

  it('accepts a query exactly at the length limit', () => {
    const query = `a = "${'x'.repeat(LIMITS.maxQueryLength - 6)}"`
    expect(query).toHaveLength(LIMITS.maxQueryLength)
    expect(parseQuery(query).expr).toMatchObject({ value: { kind: 'string' } })
  })

  it('keeps messages short when the offending token is huge', () => {
    const error = syntaxError(`a ${'b'.repeat(90_000)}`)
    expect(error.message.length).toBeLessThan(200)
  })

  it('reads long digit runs and near-numbers in linear time', () => {
    const { ms } = timed(() => parseQuery(`a = ${'1'.repeat(90_000)}x`))
    expect(ms).toBeLessThan(500)
  })

  it('reports unterminated strings and backticks at the opening character', () => {
    expect(syntaxError('a = 1 OR b = "open').details).toMatchObject({ position: 13 })
    expect(syntaxError("a = 'open").message).toMatch(/Unterminated string starting at position 4/)
    expect(syntaxError('a = 1 OR `b = 1').message).toMatch(
      /Unclosed backtick starting at position 9/,
    )
  })

  it('accepts unicode in names and values, counting positions in UTF-16 code units', () => {
    expect(parseQuery('`métriques/précision` = "日本語 ✓"').expr).toMatchObject({
      field: { path: 'métriques/précision' },
      value: { kind: 'string', value: '日本語 ✓' },
    })
    expect(parseQuery('損失/訓練 < 0.5').expr).toMatchObject({ field: { path: '損失/訓練' } })
    expect(parseQuery('tag = 🚀launch').expr).toMatchObject({
      value: { kind: 'word', value: '🚀launch' },
    })
    expect(syntaxError('🚀 0.5').details).toMatchObject({ position: 3 })
  })

  it('does not mistake look-alike letters for keywords', () => {
    // U+017F LONG S upper-cases to "S"; U+212A KELVIN SIGN lower-cases to "k".
    expect(syntaxError('a exi\u017fts').message).toMatch(/Expected an operator after "a"/)
    expect(syntaxError('a:noteboo\u212Aref EXISTS').message).toMatch(/Unknown type/)
  })

  it('treats names of Object.prototype members as unknown types and aggregates', () => {
    expect(syntaxError('a:constructor = 1').message).toMatch(/Unknown type "constructor"/)
    expect(syntaxError('a:__proto__ = 1').message).toMatch(/Unknown type "__proto__"/)
    expect(syntaxError('toString(a) > 1').message).toMatch(/Unknown aggregate "toString"/)
  })

  it('keeps __proto__ as an ordinary attribute name', () => {
    const expr = parseQuery('__proto__ = 1').expr
    expect(expr).toMatchObject({ field: { path: '__proto__' } })
    expect(Object.getPrototypeOf(expr)).toBe(Object.prototype)
  })

  it('only compiles MATCHES patterns, so a catastrophic pattern costs nothing here', () => {
    expect(parseQuery('a MATCHES "^(a+)+$"').expr).toMatchObject({ operator: 'MATCHES' })
  })

  it('treats control characters inside strings as text', () => {
    expect(parseQuery('a = "\u0000\u0007"').expr).toMatchObject({
      value: { value: '\u0000\u0007' },
    })
  })
})
