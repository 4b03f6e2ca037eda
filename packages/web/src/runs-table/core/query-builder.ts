import {
  formatQuery,
  parseQuery,
  type NqlExpr,
  type NqlFieldType,
  type NqlOperator,
  type NqlValue,
} from '@nereid/core'

/** One row of the query builder: a condition the user assembles from menus and a text box. */
export interface BuilderCondition {
  path: string
  type: NqlFieldType | null
  operator: NqlOperator
  /** As typed; read as the type asks (number, true/false, text). */
  value: string
}

const COMPARE: NqlOperator[] = ['=', '!=', '<', '<=', '>', '>=']
const TEXT: NqlOperator[] = ['=', '!=', 'CONTAINS', 'NOT CONTAINS', 'MATCHES', 'NOT MATCHES']
const PRESENCE: NqlOperator[] = ['EXISTS', 'NOT EXISTS']

/** The operators the server accepts for a field type (docs/nql.md, "Operators by type"). */
export function operatorsFor(type: NqlFieldType | null): NqlOperator[] {
  switch (type) {
    case 'float':
    case 'int':
    case 'datetime':
    case 'floatSeries':
      return [...COMPARE, ...PRESENCE]
    case 'bool':
    case 'runState':
      return ['=', '!=', ...PRESENCE]
    case 'stringSet':
      return ['CONTAINS', 'NOT CONTAINS', ...PRESENCE]
    case 'fileSeries':
    case 'fileSet':
      return PRESENCE
    case null:
      return [...COMPARE, 'CONTAINS', 'NOT CONTAINS', 'MATCHES', 'NOT MATCHES', ...PRESENCE]
    default:
      return [...TEXT, '<', '<=', '>', '>=', ...PRESENCE]
  }
}

export function needsValue(operator: NqlOperator): boolean {
  return operator !== 'EXISTS' && operator !== 'NOT EXISTS'
}

export type BuildResult =
  { ok: true; query: string } | { ok: false; index: number; message: string }

/** The NQL text for the builder's conditions, all of which must hold. */
export function buildQuery(conditions: readonly BuilderCondition[]): BuildResult {
  const items: NqlExpr[] = []
  for (const [index, condition] of conditions.entries()) {
    if (condition.path.trim() === '') return { ok: false, index, message: 'choose a field' }
    let value: NqlValue | undefined
    if (needsValue(condition.operator)) {
      const read = readValue(condition)
      if (typeof read === 'string') return { ok: false, index, message: read }
      value = read
    }
    items.push({
      kind: 'condition',
      field: condition.type
        ? { path: condition.path.trim(), type: condition.type }
        : { path: condition.path.trim() },
      operator: condition.operator,
      ...(value ? { value } : {}),
      position: 0,
    })
  }
  if (items.length === 0) return { ok: true, query: '' }
  return { ok: true, query: formatQuery(items.length === 1 ? items[0]! : { kind: 'and', items }) }
}

/** A value the type can hold, or what is wrong with the text. */
function readValue(condition: BuilderCondition): NqlValue | string {
  const text = condition.value.trim()
  switch (condition.type) {
    case 'float':
    case 'int':
    case 'floatSeries': {
      const number = Number(text)
      if (text === '' || !Number.isFinite(number)) return `"${text}" is not a number`
      return { kind: 'number', value: number, raw: text }
    }
    case 'bool':
      if (text !== 'true' && text !== 'false') return 'enter true or false'
      return { kind: 'bool', value: text === 'true' }
    default:
      return { kind: 'string', value: condition.value }
  }
}

/**
 * The builder's conditions for a query, when the query is conditions joined by AND (what the
 * builder writes); null for anything else, which is then edited as text.
 */
export function conditionsFromQuery(text: string): BuilderCondition[] | null {
  let expr: NqlExpr | null
  try {
    expr = parseQuery(text).expr
  } catch {
    return null
  }
  if (expr === null) return []
  const items = expr.kind === 'and' ? expr.items : [expr]
  const conditions: BuilderCondition[] = []
  for (const item of items) {
    if (item.kind !== 'condition' || item.field.aggregate !== undefined) return null
    conditions.push({
      path: item.field.path,
      type: item.field.type ?? null,
      operator: item.operator,
      value:
        item.value === undefined
          ? ''
          : item.value.kind === 'number'
            ? item.value.raw
            : String(item.value.value),
    })
  }
  return conditions
}

/** Where a query fails to parse, for the inline error under the query box. */
export function querySyntaxError(text: string): { position: number; message: string } | null {
  try {
    parseQuery(text)
    return null
  } catch (error) {
    const details = (error as { details?: { position?: unknown } }).details
    return {
      position: typeof details?.position === 'number' ? details.position : 0,
      message: (error as Error).message,
    }
  }
}
