import { ValidationError } from '../errors.js'

export interface SyntaxErrorDetails {
  found?: string
  expected?: string[]
  [key: string]: unknown
}

/**
 * The one way the NQL code reports a bad query. Line and column are added because queries
 * typed into a UI or a notebook often span lines, where an offset alone is hard to follow.
 */
export function nqlSyntaxError(
  source: string,
  message: string,
  position: number,
  details: SyntaxErrorDetails = {},
): ValidationError {
  return new ValidationError(
    message,
    { position, ...lineAndColumn(source, position), ...details },
    'NQL_SYNTAX_ERROR',
  )
}

function lineAndColumn(source: string, position: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < position && i < source.length; i++) {
    if (source[i] === '\n') {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: position - lineStart + 1 }
}

/** Quotes a piece of the query for a message, cut short so one error cannot echo 100 kB. */
export function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text
  return JSON.stringify(shown)
}
