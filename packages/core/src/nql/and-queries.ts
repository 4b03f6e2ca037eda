import type { NqlExpr } from './ast.js'

/**
 * Combines filters so that all must hold, e.g. a user's query with the server's own
 * `sys/trashed = false`. Null (empty) queries match everything, so they drop out.
 */
export function andQueries(...exprs: (NqlExpr | null)[]): NqlExpr | null {
  const items: NqlExpr[] = []
  for (const expr of exprs) {
    if (expr === null) continue
    if (expr.kind === 'and') items.push(...expr.items)
    else items.push(expr)
  }
  if (items.length === 0) return null
  if (items.length === 1) return items[0]!
  return { kind: 'and', items }
}
