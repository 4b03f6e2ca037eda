/**
 * The syntax tree of an NQL query, the filter language of Neptune's search API. The parser
 * normalises spellings (type aliases, `==`, `<>`, keyword case), so consumers see one form.
 */

export type NqlFieldType =
  | 'float'
  | 'int'
  | 'bool'
  | 'string'
  | 'datetime'
  | 'stringSet'
  | 'floatSeries'
  | 'stringSeries'
  | 'fileSeries'
  | 'file'
  | 'fileSet'
  | 'artifact'
  | 'gitRef'
  | 'runState'
  | 'notebookRef'

export type NqlAggregate = 'last' | 'min' | 'max' | 'average' | 'variance'

export type NqlOperator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'CONTAINS'
  | 'NOT CONTAINS'
  | 'MATCHES'
  | 'NOT MATCHES'
  | 'EXISTS'
  | 'NOT EXISTS'

/** `word` is an unquoted value that is neither a number nor a boolean; treat it as a string. */
export type NqlValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; raw: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'word'; value: string }

export interface NqlField {
  path: string
  type?: NqlFieldType
  aggregate?: NqlAggregate
}

export interface NqlCondition {
  kind: 'condition'
  field: NqlField
  operator: NqlOperator
  /** Absent only for EXISTS and NOT EXISTS. */
  value?: NqlValue
  /** 0-based offset of the condition's first character in the query text. */
  position: number
}

export type NqlExpr =
  | NqlCondition
  | { kind: 'and'; items: NqlExpr[] }
  | { kind: 'or'; items: NqlExpr[] }
  | { kind: 'not'; expr: NqlExpr }

export interface NqlQuery {
  /** Null for an empty query, which matches everything. */
  expr: NqlExpr | null
}
