import { describe, expect, it } from 'vitest'
import { andQueries } from './and-queries.js'
import type { NqlExpr } from './ast.js'
import { formatQuery } from './format-query.js'
import { parseQuery } from './parse-query.js'

const expr = (query: string): NqlExpr | null => parseQuery(query).expr

describe('andQueries', () => {
  it('returns null when every query is empty', () => {
    expect(andQueries()).toBeNull()
    expect(andQueries(null, expr(' '))).toBeNull()
  })

  it('returns a single query unchanged', () => {
    const only = expr('a = 1 OR b = 2')
    expect(andQueries(null, only, null)).toBe(only)
  })

  it('flattens ANDs into one node and keeps ORs grouped', () => {
    const combined = andQueries(expr('a = 1 AND b = 2'), expr('c = 3 OR d = 4'), expr('e EXISTS'))
    expect(combined).toMatchObject({
      kind: 'and',
      items: [
        { field: { path: 'a' } },
        { field: { path: 'b' } },
        { kind: 'or' },
        { field: { path: 'e' } },
      ],
    })
    expect(formatQuery(combined!)).toBe(
      '`a` = 1 AND `b` = 2 AND (`c` = 3 OR `d` = 4) AND `e` EXISTS',
    )
  })

  it('combines a user query with a server-side filter', () => {
    const combined = andQueries(
      expr('NOT sys/failed:bool = true'),
      expr('`sys/trashed`:bool = false'),
    )
    expect(formatQuery(combined!)).toBe(
      'NOT `sys/failed`:bool = true AND `sys/trashed`:bool = false',
    )
  })
})
