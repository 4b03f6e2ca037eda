import type { NqlAggregate, NqlFieldType, NqlOperator } from './ast.js'
import type { Token } from './lexer.js'

/** Type names as users write them, lower-cased, mapped to the one spelling the AST uses. */
export const FIELD_TYPE_NAMES: ReadonlyMap<string, NqlFieldType> = new Map<string, NqlFieldType>([
  ['float', 'float'],
  ['int', 'int'],
  ['integer', 'int'],
  ['bool', 'bool'],
  ['boolean', 'bool'],
  ['string', 'string'],
  ['datetime', 'datetime'],
  ['stringset', 'stringSet'],
  ['floatseries', 'floatSeries'],
  ['stringseries', 'stringSeries'],
  ['fileseries', 'fileSeries'],
  ['imageseries', 'fileSeries'],
  ['file', 'file'],
  ['fileset', 'fileSet'],
  ['artifact', 'artifact'],
  ['gitref', 'gitRef'],
  ['experimentstate', 'runState'],
  ['runstate', 'runState'],
  ['notebookref', 'notebookRef'],
])

/** The spellings listed in "unknown type" messages, aliases included so users find theirs. */
export const FIELD_TYPE_SPELLINGS = [
  'float',
  'int',
  'integer',
  'bool',
  'boolean',
  'string',
  'datetime',
  'stringSet',
  'floatSeries',
  'stringSeries',
  'fileSeries',
  'imageSeries',
  'file',
  'fileSet',
  'artifact',
  'gitRef',
  'experimentState',
  'runState',
  'notebookRef',
]

export const AGGREGATES: readonly NqlAggregate[] = ['last', 'min', 'max', 'average', 'variance']

export const SYMBOL_OPERATORS: ReadonlyMap<string, NqlOperator> = new Map<string, NqlOperator>([
  ['=', '='],
  ['==', '='],
  ['!=', '!='],
  ['<>', '!='],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
])

export const ALL_OPERATORS: readonly NqlOperator[] = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'CONTAINS',
  'NOT CONTAINS',
  'MATCHES',
  'NOT MATCHES',
  'EXISTS',
  'NOT EXISTS',
]

/**
 * The lower-cased text of a bare word made of ASCII letters, for case-insensitive matching of
 * keywords, types and aggregates. Limiting it to ASCII keeps look-alikes such as the Kelvin
 * sign, which `toLowerCase` maps to "k", from turning into keywords.
 */
export function keywordOf(token: Token): string | undefined {
  if (token.kind !== 'word' || !/^[A-Za-z]+$/.test(token.text)) return undefined
  return token.text.toLowerCase()
}
