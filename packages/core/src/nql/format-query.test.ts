import { describe, expect, it } from 'vitest'
import type { NqlExpr } from './ast.js'
import { formatQuery } from './format-query.js'
import { parseQuery } from './parse-query.js'
import { withoutPositions } from './test-support/without-positions.js'

function parsed(query: string): NqlExpr {
  const expr = parseQuery(query).expr
  if (expr === null) throw new Error(`${JSON.stringify(query)} is empty`)
  return expr
}

const ROUND_TRIP = [
  '(`train/acc`:float > 0.9) AND (`sys/tags`:stringSet CONTAINS "prod")',
  '((`x`:float > 1) AND (`sys/trashed`:bool = false))',
  "(sys/tags: stringSet CONTAINS 'x')",
  '(sys/state: experimentState = running)',
  '(`f1`:float >= 0.85)',
  '`sys/id`:string = "CLS-12" OR `sys/id`:string = "CLS-13"',
  'train/loss < 0.5',
  'NOT (a = 1)',
  'a = 1 AND NOT b EXISTS',
  '`params/lr` EXISTS',
  '`params/lr`:float NOT EXISTS',
  '`sys/name`:string MATCHES "^resnet.*"',
  '`sys/name` NOT MATCHES "x"',
  '`sys/tags`:stringSet NOT CONTAINS "bad"',
  'last(`acc`:floatSeries) > 0.88',
  'min(`train/loss`) <= 0.1',
  'MAX(x) > 1 OR average(y) < 2 OR variance(z) = 0',
  'a == 1 AND b <> 2 AND c != 3',
  'a = -1 OR a = 1e-3 OR a = .5 OR a = +2 OR a = 1. OR a = 007',
  'a = NaN OR a = Infinity OR a = -Infinity',
  'a = TRUE AND b = false',
  't:datetime > 2024-01-01T00:00:00Z',
  String.raw`a = "quote \" backslash \\ regex \d"`,
  String.raw`a = 'single \' quote' AND b = "it's"`,
  '`odd``name` = 1',
  '`with space/and:colon` = ""',
  '(a = 1 OR b = 2) AND (c = 3 OR NOT (d = 4 AND e = 5))',
  '(a = 1 AND b = 2) AND c = 3',
  'NOT NOT a = 1',
  'NOT (a = 1 OR b = 2) AND c = 3',
  '`日本/損失` < 0.5 AND tag = 🚀',
  'a = AND',
  'x:integer = 3 AND y:boolean = true AND z:imageSeries EXISTS',
]

describe('formatQuery', () => {
  it.each(ROUND_TRIP)('writes text that parses back to the same tree: %s', (query) => {
    const expr = parsed(query)
    expect(withoutPositions(parsed(formatQuery(expr)))).toEqual(withoutPositions(expr))
  })

  it('backticks names and writes types and aggregates canonically', () => {
    expect(formatQuery(parsed('LAST(acc: FloatSeries) >= 0.5'))).toBe(
      'last(`acc`:floatSeries) >= 0.5',
    )
    expect(formatQuery(parsed('sys/state:experimentState == running'))).toBe(
      '`sys/state`:runState = running',
    )
  })

  it('double-quotes strings, escaping quotes and backslashes', () => {
    // Query text: a = 'say "hi" \\'  which holds the value: say "hi" \
    expect(formatQuery(parsed(`a = 'say "hi" \\\\'`))).toBe('`a` = "say \\"hi\\" \\\\"')
  })

  it('parenthesises AND and OR inside other expressions, and nothing else', () => {
    expect(formatQuery(parsed('((a = 1)) AND (b = 2 OR NOT c EXISTS)'))).toBe(
      '`a` = 1 AND (`b` = 2 OR NOT `c` EXISTS)',
    )
    expect(formatQuery(parsed('NOT (a = 1 AND b = 2)'))).toBe('NOT (`a` = 1 AND `b` = 2)')
  })

  it('keeps the spelling of numbers that users wrote', () => {
    expect(formatQuery(parsed('a = 1e-3 OR a = .5'))).toBe('`a` = 1e-3 OR `a` = .5')
  })

  it('writes a number whose raw text was lost by its value', () => {
    const expr: NqlExpr = {
      kind: 'condition',
      field: { path: 'a' },
      operator: '=',
      value: { kind: 'number', value: 0.25, raw: '' },
      position: 0,
    }
    expect(formatQuery(expr)).toBe('`a` = 0.25')
  })

  it('quotes a hand-built word that would not read back as one word', () => {
    const expr: NqlExpr = {
      kind: 'condition',
      field: { path: 'a' },
      operator: '=',
      value: { kind: 'word', value: 'two words' },
      position: 0,
    }
    expect(formatQuery(expr)).toBe('`a` = "two words"')
  })

  it('keeps the nesting of a formatted query within the nesting of its source', () => {
    const query = '(NOT '.repeat(32) + 'a = 1' + ')'.repeat(32)
    expect(() => parseQuery(formatQuery(parsed(query)))).not.toThrow()
  })
})
