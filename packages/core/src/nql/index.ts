export type {
  NqlAggregate,
  NqlCondition,
  NqlExpr,
  NqlField,
  NqlFieldType,
  NqlOperator,
  NqlQuery,
  NqlValue,
} from './ast.js'
export { andQueries } from './and-queries.js'
export { formatQuery } from './format-query.js'
export { parseQuery } from './parse-query.js'
