import { LIMITS } from '../limits.js'
import type { NqlCondition, NqlExpr, NqlField, NqlOperator, NqlQuery, NqlValue } from './ast.js'
import { bareValue } from './bare-value.js'
import { Lexer, type Token } from './lexer.js'
import { nqlSyntaxError, quote, type SyntaxErrorDetails } from './syntax-error.js'
import {
  AGGREGATES,
  ALL_OPERATORS,
  FIELD_TYPE_NAMES,
  FIELD_TYPE_SPELLINGS,
  SYMBOL_OPERATORS,
  keywordOf,
} from './vocabulary.js'

const TEXT_OPERATORS: readonly NqlOperator[] = [
  'CONTAINS',
  'NOT CONTAINS',
  'MATCHES',
  'NOT MATCHES',
]
const ORDER_OPERATORS: readonly NqlOperator[] = ['<', '<=', '>', '>=']

/**
 * Parses an NQL query as Neptune clients and users write it. An empty query gives
 * `{ expr: null }`, which matches everything. Any mistake throws a `ValidationError` with
 * code `NQL_SYNTAX_ERROR` whose details carry the 0-based `position` of the offending token.
 */
export function parseQuery(text: string): NqlQuery {
  if (text.length > LIMITS.maxQueryLength) {
    throw nqlSyntaxError(
      text,
      `Query is ${text.length} characters long; the limit (maxQueryLength) is ${LIMITS.maxQueryLength}`,
      LIMITS.maxQueryLength,
      { limit: LIMITS.maxQueryLength },
    )
  }
  return { expr: new Parser(text).query() }
}

/**
 * Recursive descent, one method per precedence level: OR < AND < NOT. Only parentheses and
 * NOT recurse, and both check the depth first, so hostile nesting fails after at most
 * `maxQueryDepth` frames and without reading the rest of the query.
 */
class Parser {
  private readonly lexer: Lexer
  /** The last two tokens consumed, so messages can say what came before the offending one. */
  private previous: Token | undefined
  private beforePrevious: Token | undefined

  constructor(private readonly source: string) {
    this.lexer = new Lexer(source)
  }

  query(): NqlExpr | null {
    if (this.lexer.peek().kind === 'end') return null
    const expr = this.or(0)
    const token = this.lexer.peek()
    if (token.kind === ')') {
      throw this.error(
        `Unexpected ")" at position ${token.position}; no parenthesis is open`,
        token,
      )
    }
    if (token.kind !== 'end') {
      throw this.error(
        `Unexpected ${this.describe(token)} at position ${token.position}; expected AND, OR or the end of the query`,
        token,
        ['AND', 'OR', 'end of query'],
      )
    }
    return expr
  }

  private or(depth: number): NqlExpr {
    const items = [this.and(depth)]
    while (keywordOf(this.lexer.peek()) === 'or') {
      this.take()
      items.push(this.and(depth))
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items }
  }

  private and(depth: number): NqlExpr {
    const items = [this.unary(depth)]
    while (keywordOf(this.lexer.peek()) === 'and') {
      this.take()
      items.push(this.unary(depth))
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items }
  }

  private unary(depth: number): NqlExpr {
    const token = this.lexer.peek()
    if (keywordOf(token) === 'not') {
      this.enter(depth + 1, token)
      this.take()
      return { kind: 'not', expr: this.unary(depth + 1) }
    }
    if (token.kind === '(') {
      this.enter(depth + 1, token)
      this.take()
      if (this.lexer.peek().kind === ')') {
        throw this.error(`Empty parentheses at position ${token.position}`, token)
      }
      const expr = this.or(depth + 1)
      this.close(token, 'AND, OR or ")"', ['AND', 'OR', ')'])
      return expr
    }
    return this.condition()
  }

  private condition(): NqlCondition {
    const start = this.lexer.peek()
    const field = this.field()
    const fieldText = this.source.slice(start.position, this.previous!.end)
    const operator = this.operator(fieldText)
    const condition: NqlCondition = { kind: 'condition', field, operator, position: start.position }
    if (operator === 'EXISTS' || operator === 'NOT EXISTS') {
      this.checkNoValue(operator)
      return condition
    }
    condition.value = this.value(operator)
    return condition
  }

  private field(): NqlField {
    const token = this.take()
    if (token.kind !== 'word' || this.lexer.peek().kind !== '(') return this.fieldRef(token).field
    const aggregate = AGGREGATES.find((name) => name === keywordOf(token))
    if (aggregate === undefined) {
      throw this.error(
        `Unknown aggregate ${quote(token.text)} at position ${token.position}; expected one of: ${AGGREGATES.join(', ')}`,
        token,
        [...AGGREGATES],
      )
    }
    const open = this.take()
    const { field, typeToken } = this.fieldRef(this.take())
    this.close(open, `")" to close ${aggregate}(`, [')'])
    if (field.type !== undefined && field.type !== 'floatSeries') {
      throw this.error(
        `${aggregate}() needs a floatSeries attribute, but ${quote(field.path)} is typed ${field.type} at position ${typeToken!.position}`,
        typeToken!,
        ['floatSeries'],
      )
    }
    return { ...field, aggregate }
  }

  private fieldRef(token: Token): { field: NqlField; typeToken?: Token } {
    const keyword = keywordOf(token)
    const isName =
      token.kind === 'name' || (token.kind === 'word' && keyword !== 'and' && keyword !== 'or')
    if (!isName) throw this.expected('an attribute name', token, ['an attribute name'])
    const field: NqlField = { path: token.text }
    if (this.lexer.peek().kind !== ':') return { field }
    this.take()
    const typeToken = this.take()
    if (typeToken.kind !== 'word') throw this.expected('a type', typeToken, FIELD_TYPE_SPELLINGS)
    const type = FIELD_TYPE_NAMES.get(keywordOf(typeToken) ?? '')
    if (type === undefined) {
      throw this.error(
        `Unknown type ${quote(typeToken.text)} at position ${typeToken.position}; expected one of: ${FIELD_TYPE_SPELLINGS.join(', ')}`,
        typeToken,
        FIELD_TYPE_SPELLINGS,
      )
    }
    field.type = type
    return { field, typeToken }
  }

  private operator(fieldText: string): NqlOperator {
    const token = this.take()
    const symbol = token.kind === 'operator' ? SYMBOL_OPERATORS.get(token.text) : undefined
    if (symbol !== undefined) return symbol
    const keyword = keywordOf(token)
    if (keyword === 'contains' || keyword === 'matches' || keyword === 'exists') {
      return keyword.toUpperCase() as NqlOperator
    }
    if (keyword === 'not') {
      const next = this.take()
      const negated = keywordOf(next)
      if (negated === 'contains' || negated === 'matches' || negated === 'exists') {
        return `NOT ${negated.toUpperCase()}` as NqlOperator
      }
      throw this.expected('CONTAINS, MATCHES or EXISTS', next, ['CONTAINS', 'MATCHES', 'EXISTS'])
    }
    throw this.expected('an operator', token, [...ALL_OPERATORS], fieldText)
  }

  private checkNoValue(operator: NqlOperator): void {
    const token = this.lexer.peek()
    const keyword = keywordOf(token)
    const looksLikeValue =
      token.kind === 'string' || (token.kind === 'word' && keyword !== 'and' && keyword !== 'or')
    if (looksLikeValue) {
      throw this.error(
        `${operator} takes no value, found ${this.describe(token)} at position ${token.position}`,
        token,
        ['AND', 'OR', ')', 'end of query'],
      )
    }
  }

  private value(operator: NqlOperator): NqlValue {
    const token = this.record(this.lexer.nextValue())
    let value: NqlValue
    if (token.kind === 'string') value = { kind: 'string', value: token.text }
    else if (token.kind === 'word') value = bareValue(token.text)
    else throw this.expected('a value', token, ['a string', 'a number', 'true', 'false', 'a word'])
    this.checkValue(operator, value, token)
    return value
  }

  private checkValue(operator: NqlOperator, value: NqlValue, token: Token): void {
    const text = this.lexer.sourceOf(token)
    if (TEXT_OPERATORS.includes(operator) && value.kind !== 'string' && value.kind !== 'word') {
      throw this.error(
        `${operator} needs a text value at position ${token.position}, found ${quote(text)}; put it in quotes to compare it as text`,
        token,
        ['a string'],
      )
    }
    if (ORDER_OPERATORS.includes(operator) && value.kind === 'bool') {
      throw this.error(
        `"${operator}" cannot compare with a boolean at position ${token.position}; use = or !=`,
        token,
        ['a number', 'a string'],
      )
    }
    if ((operator === 'MATCHES' || operator === 'NOT MATCHES') && value.kind !== 'number') {
      const reason = regexError(String(value.value))
      if (reason !== undefined) {
        throw this.error(
          `Invalid regular expression ${quote(String(value.value))} at position ${token.position}: ${reason}`,
          token,
          ['a valid regular expression'],
        )
      }
    }
  }

  /** Consumes the `)` matching `open`, or explains what is missing. */
  private close(open: Token, what: string, expected: string[]): void {
    const token = this.take()
    if (token.kind === ')') return
    if (token.kind === 'end') {
      throw this.error(`Unclosed parenthesis opened at position ${open.position}`, open, [')'])
    }
    throw this.expected(what, token, expected)
  }

  private enter(depth: number, token: Token): void {
    if (depth <= LIMITS.maxQueryDepth) return
    throw this.error(
      `Query nests too deeply at position ${token.position}; the limit (maxQueryDepth) is ${LIMITS.maxQueryDepth} levels of parentheses and NOT`,
      token,
      [],
      { limit: LIMITS.maxQueryDepth },
    )
  }

  private take(): Token {
    return this.record(this.lexer.next())
  }

  private record(token: Token): Token {
    this.beforePrevious = this.previous
    this.previous = token
    return token
  }

  private expected(what: string, token: Token, expected: string[], after?: string): Error {
    const before = token === this.previous ? this.beforePrevious : this.previous
    const afterText = after ?? (before && this.lexer.sourceOf(before))
    const where = afterText === undefined ? '' : ` after ${quote(afterText)}`
    return this.error(
      `Expected ${what}${where} at position ${token.position}, found ${this.describe(token)}`,
      token,
      expected,
    )
  }

  private error(
    message: string,
    token: Token,
    expected?: string[],
    extra?: SyntaxErrorDetails,
  ): Error {
    const details: SyntaxErrorDetails = { found: this.found(token), ...extra }
    if (expected !== undefined && expected.length > 0) details.expected = expected
    return nqlSyntaxError(this.source, message, token.position, details)
  }

  private describe(token: Token): string {
    return token.kind === 'end' ? 'the end of the query' : quote(this.lexer.sourceOf(token))
  }

  private found(token: Token): string {
    return token.kind === 'end' ? 'end of query' : this.lexer.sourceOf(token).slice(0, 40)
  }
}

function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern)
    return undefined
  } catch (error) {
    // V8 puts the pattern first and the reason last: "Invalid regular expression: /(/: ..."
    return String((error as Error).message)
      .split(': ')
      .at(-1)
  }
}
