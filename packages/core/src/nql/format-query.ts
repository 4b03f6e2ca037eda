import type { NqlCondition, NqlExpr, NqlField, NqlValue } from './ast.js'
import { bareValue } from './bare-value.js'
import { isBareWord } from './lexer.js'

/**
 * Writes an expression as canonical NQL that `parseQuery` reads back to the same tree:
 * backticked names, `:type` where known, double-quoted strings, and parentheses around every
 * AND or OR that sits inside another expression. Conditions and NOT get no parentheses of their
 * own, so the text never nests deeper than the query it came from.
 */
export function formatQuery(expr: NqlExpr): string {
  switch (expr.kind) {
    case 'condition':
      return formatCondition(expr)
    case 'not':
      return `NOT ${formatOperand(expr.expr)}`
    case 'and':
    case 'or': {
      if (expr.items.length === 0) {
        throw new Error(`formatQuery: an "${expr.kind}" node needs at least one item`)
      }
      const keyword = expr.kind === 'and' ? ' AND ' : ' OR '
      return expr.items.map(formatOperand).join(keyword)
    }
  }
}

function formatOperand(expr: NqlExpr): string {
  return expr.kind === 'and' || expr.kind === 'or' ? `(${formatQuery(expr)})` : formatQuery(expr)
}

function formatCondition(condition: NqlCondition): string {
  const field = formatField(condition.field)
  if (condition.value === undefined) return `${field} ${condition.operator}`
  return `${field} ${condition.operator} ${formatValue(condition.value)}`
}

function formatField(field: NqlField): string {
  const name = `\`${field.path.replaceAll('`', '``')}\``
  const typed = field.type === undefined ? name : `${name}:${field.type}`
  return field.aggregate === undefined ? typed : `${field.aggregate}(${typed})`
}

function formatValue(value: NqlValue): string {
  switch (value.kind) {
    case 'string':
      return quoteString(value.value)
    case 'number':
      return formatNumber(value.value, value.raw)
    case 'bool':
      return String(value.value)
    case 'word':
      // A word that would not read back as itself (hand-built, e.g. with a space) is quoted;
      // consumers treat words and strings alike.
      return isBareWord(value.value) && bareValue(value.value).kind === 'word'
        ? value.value
        : quoteString(value.value)
  }
}

/** Keeps the user's spelling (`1e-3`, `.5`) when it still means the value. */
function formatNumber(value: number, raw: string): string {
  const parsed = bareValue(raw)
  if (parsed.kind === 'number' && Object.is(parsed.value, value)) return raw
  return Object.is(value, -0) ? '-0' : String(value)
}

function quoteString(text: string): string {
  return `"${text.replace(/["\\]/g, '\\$&')}"`
}
