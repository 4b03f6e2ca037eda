import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors.js'
import type { NqlCondition, NqlExpr, NqlField, NqlOperator, NqlValue } from './ast.js'
import { parseQuery } from './parse-query.js'
import { withoutPositions } from './test-support/without-positions.js'

/** The parsed expression with `position` removed, so expectations stay readable. */
function parse(query: string): unknown {
  const expr = parseQuery(query).expr
  return expr === null ? null : withoutPositions(expr)
}

function condition(
  field: NqlField,
  operator: NqlOperator,
  value?: NqlValue,
): Omit<NqlCondition, 'position'> {
  return value === undefined
    ? { kind: 'condition', field, operator }
    : { kind: 'condition', field, operator, value }
}

const num = (raw: string): NqlValue => ({ kind: 'number', value: Number(raw), raw })
const str = (value: string): NqlValue => ({ kind: 'string', value })
const word = (value: string): NqlValue => ({ kind: 'word', value })
const bool = (value: boolean): NqlValue => ({ kind: 'bool', value })
const a1 = condition({ path: 'a' }, '=', num('1'))
const b2 = condition({ path: 'b' }, '=', num('2'))
const c3 = condition({ path: 'c' }, '=', num('3'))

function syntaxError(query: string): ValidationError {
  try {
    parseQuery(query)
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`)
}

describe('parseQuery', () => {
  describe('queries as the Neptune client and users write them', () => {
    it('parses backticked, typed conditions joined by AND', () => {
      expect(parse('(`train/acc`:float > 0.9) AND (`sys/tags`:stringSet CONTAINS "prod")')).toEqual(
        {
          kind: 'and',
          items: [
            condition({ path: 'train/acc', type: 'float' }, '>', num('0.9')),
            condition({ path: 'sys/tags', type: 'stringSet' }, 'CONTAINS', str('prod')),
          ],
        },
      )
    })

    it('parses exactly what the Neptune client generates', () => {
      expect(parse('((`x`:float > 1) AND (`sys/trashed`:bool = false))')).toEqual({
        kind: 'and',
        items: [
          condition({ path: 'x', type: 'float' }, '>', num('1')),
          condition({ path: 'sys/trashed', type: 'bool' }, '=', bool(false)),
        ],
      })
    })

    it('accepts attribute names without backticks and spaces around the colon', () => {
      expect(parse("(sys/tags: stringSet CONTAINS 'x')")).toEqual(
        condition({ path: 'sys/tags', type: 'stringSet' }, 'CONTAINS', str('x')),
      )
    })

    it('accepts bare-word values', () => {
      expect(parse('(sys/state: experimentState = running)')).toEqual(
        condition({ path: 'sys/state', type: 'runState' }, '=', word('running')),
      )
    })

    it('accepts conditions without a type', () => {
      expect(parse('train/loss < 0.5')).toEqual(condition({ path: 'train/loss' }, '<', num('0.5')))
    })

    it('joins conditions with OR', () => {
      expect(parse('`sys/id`:string = "CLS-12" OR `sys/id`:string = "CLS-13"')).toEqual({
        kind: 'or',
        items: [
          condition({ path: 'sys/id', type: 'string' }, '=', str('CLS-12')),
          condition({ path: 'sys/id', type: 'string' }, '=', str('CLS-13')),
        ],
      })
    })

    it('accepts bare names with slashes, dashes, underscores, dots and digits', () => {
      expect(parse('metrics/val-f1_score.v2 >= 0.85')).toEqual(
        condition({ path: 'metrics/val-f1_score.v2' }, '>=', num('0.85')),
      )
    })

    it('accepts backticked names with spaces, colons and other punctuation', () => {
      expect(parse('`my params/lr (x): a-b.c` = 1')).toEqual(
        condition({ path: 'my params/lr (x): a-b.c' }, '=', num('1')),
      )
    })

    it('ignores line breaks and tabs between tokens', () => {
      expect(parse('a = 1\n\tAND\n\tb = 2')).toEqual({ kind: 'and', items: [a1, b2] })
    })

    it('returns null for an empty or whitespace-only query', () => {
      expect(parseQuery('')).toEqual({ expr: null })
      expect(parseQuery('  \n\t ')).toEqual({ expr: null })
    })

    it('records where each condition starts', () => {
      const expr = parseQuery('(a = 1) OR  last(b) > 2').expr
      expect(expr).toMatchObject({ items: [{ position: 1 }, { position: 12 }] })
    })
  })

  describe('operators', () => {
    it.each([
      ['=', '='],
      ['==', '='],
      ['!=', '!='],
      ['<>', '!='],
      ['<', '<'],
      ['<=', '<='],
      ['>', '>'],
      ['>=', '>='],
    ])('reads %s as %s', (written, operator) => {
      expect(parse(`a ${written} 1`)).toEqual(
        condition({ path: 'a' }, operator as NqlOperator, num('1')),
      )
    })

    it('needs no spaces around symbolic operators', () => {
      expect(parse('a:float>=1')).toEqual(condition({ path: 'a', type: 'float' }, '>=', num('1')))
    })

    it('reads CONTAINS, MATCHES and their negations', () => {
      expect(parse('`sys/tags`:stringSet NOT CONTAINS "bad"')).toEqual(
        condition({ path: 'sys/tags', type: 'stringSet' }, 'NOT CONTAINS', str('bad')),
      )
      expect(parse('`sys/name`:string MATCHES "^resnet.*"')).toEqual(
        condition({ path: 'sys/name', type: 'string' }, 'MATCHES', str('^resnet.*')),
      )
      expect(parse('`sys/name` NOT MATCHES "x"')).toEqual(
        condition({ path: 'sys/name' }, 'NOT MATCHES', str('x')),
      )
    })

    it('reads EXISTS and NOT EXISTS without a value', () => {
      expect(parse('`params/lr` EXISTS')).toEqual(condition({ path: 'params/lr' }, 'EXISTS'))
      expect(parse('`params/lr`:float NOT EXISTS')).toEqual(
        condition({ path: 'params/lr', type: 'float' }, 'NOT EXISTS'),
      )
    })

    it('treats keywords case-insensitively', () => {
      expect(parse('a contains "x" and not b Exists or c not matches "y"')).toEqual({
        kind: 'or',
        items: [
          {
            kind: 'and',
            items: [
              condition({ path: 'a' }, 'CONTAINS', str('x')),
              { kind: 'not', expr: condition({ path: 'b' }, 'EXISTS') },
            ],
          },
          condition({ path: 'c' }, 'NOT MATCHES', str('y')),
        ],
      })
    })
  })

  describe('values', () => {
    it.each(['-1', '0.5', '1e-3', '.5', '+2', '1.', '6.02E23'])('reads %s as a number', (raw) => {
      expect(parse(`a = ${raw}`)).toEqual(condition({ path: 'a' }, '=', num(raw)))
    })

    it('reads NaN, Infinity and -Infinity as numbers', () => {
      expect(parse('a = NaN')).toEqual(condition({ path: 'a' }, '=', num('NaN')))
      expect(parse('a = Infinity')).toEqual(condition({ path: 'a' }, '=', num('Infinity')))
      expect(parse('a = -Infinity')).toEqual(condition({ path: 'a' }, '=', num('-Infinity')))
    })

    it('reads true and false in any case as booleans', () => {
      expect(parse('a = TRUE')).toEqual(condition({ path: 'a' }, '=', bool(true)))
      expect(parse('a = False')).toEqual(condition({ path: 'a' }, '=', bool(false)))
    })

    it('keeps quoted numbers and booleans as strings', () => {
      expect(parse('a = "1"')).toEqual(condition({ path: 'a' }, '=', str('1')))
      expect(parse("a = 'true'")).toEqual(condition({ path: 'a' }, '=', str('true')))
    })

    it('reads other bare values as words, up to whitespace or ")"', () => {
      expect(parse('(sys/id = CLS-12)')).toEqual(condition({ path: 'sys/id' }, '=', word('CLS-12')))
      expect(parse('t:datetime > 2024-01-01T00:00:00Z')).toEqual(
        condition({ path: 't', type: 'datetime' }, '>', word('2024-01-01T00:00:00Z')),
      )
      expect(parse('a = 1e')).toEqual(condition({ path: 'a' }, '=', word('1e')))
    })

    it('reads escapes in double- and single-quoted strings', () => {
      expect(parse(String.raw`a = "x \"y\" \\ z"`)).toEqual(
        condition({ path: 'a' }, '=', str('x "y" \\ z')),
      )
      expect(parse(String.raw`a = 'it\'s'`)).toEqual(condition({ path: 'a' }, '=', str("it's")))
    })

    it('accepts an empty string', () => {
      expect(parse('a = ""')).toEqual(condition({ path: 'a' }, '=', str('')))
    })
  })

  describe('types', () => {
    it.each([
      ['float', 'float'],
      ['int', 'int'],
      ['integer', 'int'],
      ['bool', 'bool'],
      ['boolean', 'bool'],
      ['string', 'string'],
      ['datetime', 'datetime'],
      ['stringSet', 'stringSet'],
      ['floatSeries', 'floatSeries'],
      ['stringSeries', 'stringSeries'],
      ['fileSeries', 'fileSeries'],
      ['imageSeries', 'fileSeries'],
      ['file', 'file'],
      ['fileSet', 'fileSet'],
      ['artifact', 'artifact'],
      ['gitRef', 'gitRef'],
      ['experimentState', 'runState'],
      ['runState', 'runState'],
      ['notebookRef', 'notebookRef'],
      ['FLOAT', 'float'],
      ['stringset', 'stringSet'],
    ])('reads type %s as %s', (written, type) => {
      expect(parse(`a:${written} EXISTS`)).toEqual(
        condition({ path: 'a', type } as NqlField, 'EXISTS'),
      )
    })
  })

  describe('series aggregates', () => {
    it('reads an aggregate around a typed field', () => {
      expect(parse('last(`acc`:floatSeries) > 0.88')).toEqual(
        condition({ path: 'acc', type: 'floatSeries', aggregate: 'last' }, '>', num('0.88')),
      )
    })

    it.each(['last', 'min', 'max', 'average', 'variance'])(
      'reads %s() on an untyped field',
      (name) => {
        expect(parse(`${name}(train/loss) <= 0.1`)).toEqual(
          condition({ path: 'train/loss', aggregate: name } as NqlField, '<=', num('0.1')),
        )
      },
    )

    it('treats aggregate names case-insensitively and allows spaces', () => {
      expect(parse('MIN ( `train/loss` ) <= 0.1')).toEqual(
        condition({ path: 'train/loss', aggregate: 'min' }, '<=', num('0.1')),
      )
    })
  })

  describe('precedence and grouping', () => {
    it('binds NOT tighter than AND, and AND tighter than OR', () => {
      expect(parse('NOT a = 1 OR b = 2 AND c = 3')).toEqual({
        kind: 'or',
        items: [
          { kind: 'not', expr: a1 },
          { kind: 'and', items: [b2, c3] },
        ],
      })
    })

    it('groups with parentheses', () => {
      expect(parse('(a = 1 OR b = 2) AND c = 3')).toEqual({
        kind: 'and',
        items: [{ kind: 'or', items: [a1, b2] }, c3],
      })
    })

    it('flattens chains of one operator into one node', () => {
      expect(parse('a = 1 AND b = 2 AND c = 3')).toEqual({ kind: 'and', items: [a1, b2, c3] })
      expect(parse('a = 1 OR b = 2 OR c = 3')).toEqual({ kind: 'or', items: [a1, b2, c3] })
    })

    it('drops redundant parentheses', () => {
      expect(parse('(((a = 1)))')).toEqual(a1)
    })

    it('reads NOT before a condition, a group, or another NOT', () => {
      expect(parse('NOT (a = 1)')).toEqual({ kind: 'not', expr: a1 })
      expect(parse('a = 1 AND NOT b EXISTS')).toEqual({
        kind: 'and',
        items: [a1, { kind: 'not', expr: condition({ path: 'b' }, 'EXISTS') }],
      })
      expect(parse('NOT NOT a = 1')).toEqual({ kind: 'not', expr: { kind: 'not', expr: a1 } })
    })

    it('accepts nesting up to the depth limit', () => {
      const query = `${'('.repeat(32)}${'NOT '.repeat(32)}a = 1${')'.repeat(32)}`
      let expr = parseQuery(query).expr as NqlExpr
      for (let i = 0; i < 32; i++) {
        expect(expr.kind).toBe('not')
        if (expr.kind === 'not') expr = expr.expr
      }
      expect(expr.kind).toBe('condition')
    })
  })

  describe('syntax errors', () => {
    it('says which operator is missing after which field', () => {
      const error = syntaxError('train/loss 0.5')
      expect(error.code).toBe('NQL_SYNTAX_ERROR')
      expect(error.message).toBe(
        'Expected an operator after "train/loss" at position 11, found "0.5"',
      )
      expect(error.details).toMatchObject({ position: 11, line: 1, column: 12, found: '0.5' })
    })

    it('reports an unclosed parenthesis at the parenthesis', () => {
      const error = syntaxError('a = 1 AND (b = 2 OR c = 3')
      expect(error.message).toBe('Unclosed parenthesis opened at position 10')
      expect(error.details).toMatchObject({ position: 10 })
    })

    it('reports a closing parenthesis that matches nothing', () => {
      expect(syntaxError('a = 1)').message).toMatch(/Unexpected "\)" at position 5/)
    })

    it('rejects empty parentheses', () => {
      expect(syntaxError('a = 1 AND ()').message).toBe('Empty parentheses at position 10')
    })

    it('names an unknown type and lists the known ones', () => {
      const error = syntaxError('train/loss: flaot > 1')
      expect(error.message).toMatch(
        /^Unknown type "flaot" at position 12; expected one of: float, int, /,
      )
      expect(error.details).toMatchObject({ position: 12, found: 'flaot' })
    })

    it('names an unknown aggregate', () => {
      expect(syntaxError('median(x) > 1').message).toMatch(
        /Unknown aggregate "median" at position 0; expected one of: last, min, max, average, variance/,
      )
    })

    it('rejects trailing garbage', () => {
      expect(syntaxError('a = 1 b = 2').message).toBe(
        'Unexpected "b" at position 6; expected AND, OR or the end of the query',
      )
      expect(syntaxError('(a = 1 b = 2)').details).toMatchObject({ position: 7 })
    })

    it('rejects a dangling AND, OR or NOT', () => {
      expect(syntaxError('a = 1 AND').message).toBe(
        'Expected an attribute name after "AND" at position 9, found the end of the query',
      )
      expect(syntaxError('a = 1 OR OR b = 1').details).toMatchObject({ position: 9 })
      expect(syntaxError('NOT').details).toMatchObject({ position: 3 })
    })

    it('rejects a missing value', () => {
      expect(syntaxError('a >').message).toBe(
        'Expected a value after ">" at position 3, found the end of the query',
      )
      expect(syntaxError('(a = )').details).toMatchObject({ position: 5 })
    })

    it('rejects NOT followed by anything but CONTAINS, MATCHES or EXISTS', () => {
      expect(syntaxError('a NOT = 1').message).toMatch(
        /Expected CONTAINS, MATCHES or EXISTS after "NOT"/,
      )
    })

    it('rejects a missing type after a colon', () => {
      expect(syntaxError('a: = 1').message).toMatch(/Expected a type after ":" at position 3/)
    })

    it('rejects a bad aggregate call', () => {
      expect(syntaxError('last(a > 1').message).toMatch(/Expected "\)" to close last\(/)
      expect(syntaxError('last(a').message).toBe('Unclosed parenthesis opened at position 4')
    })

    it('gives line and column on multi-line queries', () => {
      expect(syntaxError('a = 1\nAND b 2').details).toMatchObject({
        position: 12,
        line: 2,
        column: 7,
      })
    })
  })

  describe('semantic checks', () => {
    it('rejects a value after EXISTS or NOT EXISTS', () => {
      const error = syntaxError('a EXISTS 1')
      expect(error.message).toBe('EXISTS takes no value, found "1" at position 9')
      expect(syntaxError('a NOT EXISTS "x"').details).toMatchObject({ position: 13 })
    })

    it('rejects a number or boolean after CONTAINS or MATCHES', () => {
      const error = syntaxError('`sys/tags`:stringSet CONTAINS 2024')
      expect(error.message).toMatch(/CONTAINS needs a text value at position 30, found "2024"/)
      expect(syntaxError('a NOT MATCHES true').details).toMatchObject({ position: 14 })
    })

    it('rejects ordering comparisons with a boolean', () => {
      expect(syntaxError('a > true').message).toMatch(
        /">" cannot compare with a boolean at position 4/,
      )
    })

    it('accepts ordering comparisons with numbers, strings and words', () => {
      expect(() => parseQuery('t:datetime >= "2024-01-01" AND s < abc AND n <= 3')).not.toThrow()
    })

    it('rejects an aggregate over a field typed as anything but floatSeries', () => {
      const error = syntaxError('last(`acc`:string) > 1')
      expect(error.message).toBe(
        'last() needs a floatSeries attribute, but "acc" is typed string at position 11',
      )
    })

    it('rejects an invalid regular expression at the position of the pattern', () => {
      const error = syntaxError('`sys/name` MATCHES "res(net"')
      expect(error.message).toMatch(/^Invalid regular expression "res\(net" at position 19: /)
      expect(error.details).toMatchObject({ position: 19 })
    })
  })
})
