import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors.js'
import { Lexer, isBareWord, type Token } from './lexer.js'

function tokens(source: string): Pick<Token, 'kind' | 'text' | 'position'>[] {
  const lexer = new Lexer(source)
  const result: Pick<Token, 'kind' | 'text' | 'position'>[] = []
  for (;;) {
    const { kind, text, position } = lexer.next()
    result.push({ kind, text, position })
    if (kind === 'end') return result
  }
}

function lexError(source: string, read: (lexer: Lexer) => void = drain): ValidationError {
  try {
    read(new Lexer(source))
  } catch (error) {
    if (error instanceof ValidationError) return error
    throw error
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`)
}

function drain(lexer: Lexer): void {
  while (lexer.next().kind !== 'end');
}

describe('Lexer', () => {
  it('splits names, operators, parentheses and colons, with their offsets', () => {
    expect(tokens('(`train/acc`:float >= 0.9)')).toEqual([
      { kind: '(', text: '(', position: 0 },
      { kind: 'name', text: 'train/acc', position: 1 },
      { kind: ':', text: ':', position: 12 },
      { kind: 'word', text: 'float', position: 13 },
      { kind: 'operator', text: '>=', position: 19 },
      { kind: 'word', text: '0.9', position: 22 },
      { kind: ')', text: ')', position: 25 },
      { kind: 'end', text: '', position: 26 },
    ])
  })

  it('reads every operator spelling, longest first', () => {
    const ops = tokens('= == != <> < <= > >=').filter((token) => token.kind === 'operator')
    expect(ops.map((token) => token.text)).toEqual(['=', '==', '!=', '<>', '<', '<=', '>', '>='])
  })

  it('ends a bare name at a colon or an operator character', () => {
    expect(tokens('a/b-c_d.e:float>1').map((token) => token.text)).toEqual([
      'a/b-c_d.e',
      ':',
      'float',
      '>',
      '1',
      '',
    ])
  })

  it('decodes backslash escapes of quotes and backslashes in strings', () => {
    expect(new Lexer(String.raw`"say \"hi\" \\ now"`).next().text).toBe('say "hi" \\ now')
    expect(new Lexer(String.raw`'it\'s'`).next().text).toBe("it's")
  })

  it('keeps other backslashes, so regular expressions need no doubling', () => {
    expect(new Lexer(String.raw`"^\d+\.\w$"`).next().text).toBe(String.raw`^\d+\.\w$`)
  })

  it('reads a doubled backtick inside a name as one backtick', () => {
    expect(new Lexer('`a``b`').next()).toMatchObject({ kind: 'name', text: 'a`b' })
  })

  it('reads values with their own rules: colons and operator characters belong to the word', () => {
    const lexer = new Lexer('t > 2024-01-01T00:00:00Z)')
    lexer.next()
    lexer.next()
    expect(lexer.nextValue()).toMatchObject({ kind: 'word', text: '2024-01-01T00:00:00Z' })
    expect(lexer.next().kind).toBe(')')
  })

  it('re-reads a peeked token as a value when the parser asks for one', () => {
    const lexer = new Lexer('x=a:b')
    lexer.next()
    lexer.next()
    expect(lexer.peek().text).toBe('a')
    expect(lexer.nextValue().text).toBe('a:b')
  })

  it('treats any unicode whitespace as a separator', () => {
    expect(tokens('a\u00a0=\n\t1').map((token) => token.kind)).toEqual([
      'word',
      'operator',
      'word',
      'end',
    ])
  })

  it('reports an unterminated string at its opening quote', () => {
    expect(lexError('a = "never closed').details).toMatchObject({ position: 4 })
    expect(lexError("a = 'never closed").message).toMatch(
      /Unterminated string starting at position 4/,
    )
  })

  it('reports an unclosed backtick at its opening backtick', () => {
    const error = lexError('x = 1 AND `train/loss < 1')
    expect(error.message).toMatch(/Unclosed backtick starting at position 10/)
    expect(error.details).toMatchObject({ position: 10 })
  })

  it('rejects an empty backticked name', () => {
    expect(lexError('`` = 1').message).toMatch(/Empty attribute name at position 0/)
  })

  it('rejects characters that belong to no token', () => {
    expect(lexError('a ; b').details).toMatchObject({ position: 2, found: ';' })
    expect(lexError('a ! b').message).toMatch(/did you mean "!="/)
  })

  it('gives line and column for queries that span lines', () => {
    expect(lexError('a = 1 AND\n  b = "x').details).toMatchObject({
      position: 16,
      line: 2,
      column: 7,
    })
  })

  it('tokenizes a long query in linear time', () => {
    const source = `${'x'.repeat(50_000)} = "${'\\"'.repeat(20_000)}"`
    const started = performance.now()
    expect(tokens(source)).toHaveLength(4)
    expect(performance.now() - started).toBeLessThan(500)
  })
})

describe('isBareWord', () => {
  it('accepts what reads back as one bare value', () => {
    expect(isBareWord('running')).toBe(true)
    expect(isBareWord('2024-01-01T00:00:00Z')).toBe(true)
  })

  it('refuses empty text, separators and leading quotes', () => {
    for (const text of ['', 'a b', 'a)', 'a;', '"a', "'a", '`a'])
      expect(isBareWord(text)).toBe(false)
  })
})
