import { nqlSyntaxError, quote } from './syntax-error.js'

export type TokenKind = 'word' | 'name' | 'string' | 'operator' | '(' | ')' | ':' | 'end'

export interface Token {
  kind: TokenKind
  /** The decoded text: a string without quotes and escapes, a name without backticks. */
  text: string
  /** Offset of the token's first character in the query. */
  position: number
  /** Offset one past the token's last character. */
  end: number
}

const SPACE = /\s/
// `;` and `,` end every bare word so that `a = 1; DROP ...` fails at the `;` rather than
// quietly reading "1;" as a word.
const VALUE_STOP = '();,'
const NAME_STOP = '();,"\'`:=!<>'
const OPERATORS = ['==', '!=', '<>', '<=', '>=', '=', '<', '>']

/** Whether `text` reads back from `nextValue()` as exactly one bare word. */
export function isBareWord(text: string): boolean {
  const first = text[0]
  if (first === undefined || first === '"' || first === "'" || first === '`') return false
  for (const char of text) if (SPACE.test(char) || VALUE_STOP.includes(char)) return false
  return true
}

/**
 * Splits a query into tokens on demand. Bare words mean different things in different places
 * (`2024-01-01T00:00:00Z` holds a `:`, which ends an attribute name), so the parser asks for
 * `nextValue()` where it expects a value and `next()` everywhere else. Every scan is one
 * forward pass: no regular expression runs over unbounded input.
 */
export class Lexer {
  private offset = 0
  private peeked: Token | undefined

  constructor(readonly source: string) {}

  peek(): Token {
    this.peeked ??= this.scan()
    return this.peeked
  }

  next(): Token {
    const token = this.peek()
    this.peeked = undefined
    return token
  }

  nextValue(): Token {
    if (this.peeked !== undefined) {
      // The peeked token was read by the attribute-name rules; read it again as a value.
      this.offset = this.peeked.position
      this.peeked = undefined
    }
    this.skipSpace()
    const char = this.source[this.offset]
    if (char === undefined || char === '(' || char === ')') return this.scan()
    if (char === '"' || char === "'" || char === '`') return this.scan()
    if (VALUE_STOP.includes(char)) throw this.unexpectedCharacter()
    return this.word(VALUE_STOP)
  }

  /** The query text a token was read from, as the user wrote it. */
  sourceOf(token: Token): string {
    return this.source.slice(token.position, token.end)
  }

  private scan(): Token {
    this.skipSpace()
    const start = this.offset
    const char = this.source[start]
    if (char === undefined) return { kind: 'end', text: '', position: start, end: start }
    if (char === '(' || char === ')' || char === ':') {
      this.offset++
      return { kind: char, text: char, position: start, end: this.offset }
    }
    if (char === '"' || char === "'") return this.quotedString(char)
    if (char === '`') return this.backtickName()
    if ('=!<>'.includes(char)) return this.operator()
    if (NAME_STOP.includes(char)) throw this.unexpectedCharacter()
    return this.word(NAME_STOP)
  }

  private skipSpace(): void {
    while (this.offset < this.source.length && SPACE.test(this.source[this.offset]!)) this.offset++
  }

  private word(stop: string): Token {
    const start = this.offset
    while (this.offset < this.source.length) {
      const char = this.source[this.offset]!
      if (SPACE.test(char) || stop.includes(char)) break
      this.offset++
    }
    const text = this.source.slice(start, this.offset)
    return { kind: 'word', text, position: start, end: this.offset }
  }

  private operator(): Token {
    const start = this.offset
    const text = OPERATORS.find((op) => this.source.startsWith(op, start))
    if (text === undefined) {
      throw nqlSyntaxError(
        this.source,
        `Unexpected character "!" at position ${start}; did you mean "!="?`,
        start,
        { found: '!', expected: ['!='] },
      )
    }
    this.offset += text.length
    return { kind: 'operator', text, position: start, end: this.offset }
  }

  /** `\"`, `\'` and `\\` are escapes; any other backslash stays, so regexes read naturally. */
  private quotedString(quoteChar: string): Token {
    const start = this.offset
    let text = ''
    let chunkStart = start + 1
    let i = start + 1
    while (i < this.source.length) {
      const char = this.source[i]
      if (char === quoteChar) {
        text += this.source.slice(chunkStart, i)
        this.offset = i + 1
        return { kind: 'string', text, position: start, end: this.offset }
      }
      const following = this.source[i + 1]
      if (char === '\\' && (following === '"' || following === "'" || following === '\\')) {
        text += this.source.slice(chunkStart, i) + following
        i += 2
        chunkStart = i
        continue
      }
      i++
    }
    throw nqlSyntaxError(
      this.source,
      `Unterminated string starting at position ${start}; it needs a closing ${quoteChar}`,
      start,
      { found: 'the end of the query', expected: [quoteChar] },
    )
  }

  /** A doubled backtick inside a name stands for one, so every path can be written. */
  private backtickName(): Token {
    const start = this.offset
    let text = ''
    let chunkStart = start + 1
    let i = start + 1
    while (i < this.source.length) {
      if (this.source[i] !== '`') {
        i++
        continue
      }
      text += this.source.slice(chunkStart, i)
      if (this.source[i + 1] === '`') {
        text += '`'
        i += 2
        chunkStart = i
        continue
      }
      this.offset = i + 1
      if (text === '') {
        throw nqlSyntaxError(this.source, `Empty attribute name at position ${start}`, start, {
          found: '``',
        })
      }
      return { kind: 'name', text, position: start, end: this.offset }
    }
    throw nqlSyntaxError(
      this.source,
      `Unclosed backtick starting at position ${start}; attribute names end with \``,
      start,
      { found: 'the end of the query', expected: ['`'] },
    )
  }

  private unexpectedCharacter(): Error {
    const char = this.source[this.offset]!
    return nqlSyntaxError(
      this.source,
      `Unexpected character ${quote(char)} at position ${this.offset}`,
      this.offset,
      { found: char },
    )
  }
}
