import type { NqlValue } from './ast.js'

// One unambiguous path per input, so a long run of digits cannot make the match backtrack.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/
const SPECIAL_FLOATS = ['NaN', 'Infinity', '-Infinity']

/** What an unquoted value means: a boolean, a number, or else a word to compare as text. */
export function bareValue(text: string): NqlValue {
  if (/^true$/i.test(text)) return { kind: 'bool', value: true }
  if (/^false$/i.test(text)) return { kind: 'bool', value: false }
  if (NUMBER.test(text) || SPECIAL_FLOATS.includes(text)) {
    return { kind: 'number', value: Number(text), raw: text }
  }
  return { kind: 'word', value: text }
}
