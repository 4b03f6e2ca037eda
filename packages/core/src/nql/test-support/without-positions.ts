import type { NqlCondition, NqlExpr } from '../ast.js'

export type NqlExprWithoutPositions =
  | Omit<NqlCondition, 'position'>
  | { kind: 'and' | 'or'; items: NqlExprWithoutPositions[] }
  | { kind: 'not'; expr: NqlExprWithoutPositions }

/** Drops `position`, which depends on spelling, so trees from different texts can be compared. */
export function withoutPositions(expr: NqlExpr): NqlExprWithoutPositions {
  switch (expr.kind) {
    case 'condition': {
      const { position: _position, ...rest } = expr
      return rest
    }
    case 'not':
      return { kind: 'not', expr: withoutPositions(expr.expr) }
    case 'and':
    case 'or':
      return { kind: expr.kind, items: expr.items.map(withoutPositions) }
  }
}
