import { describe, expect, it } from 'vitest'
import {
  buildQuery,
  conditionsFromQuery,
  operatorsFor,
  querySyntaxError,
  type BuilderCondition,
} from './query-builder.js'

describe('query builder', () => {
  it('writes conditions as NQL joined by AND', () => {
    const conditions: BuilderCondition[] = [
      { path: 'params/lr', type: 'float', operator: '>', value: '0.01' },
      { path: 'sys/tags', type: 'stringSet', operator: 'CONTAINS', value: 'prod "A"' },
      { path: 'model/weights', type: 'file', operator: 'EXISTS', value: '' },
    ]
    expect(buildQuery(conditions)).toEqual({
      ok: true,
      query:
        '`params/lr`:float > 0.01 AND `sys/tags`:stringSet CONTAINS "prod \\"A\\"" AND `model/weights`:file EXISTS',
    })
  })

  it('names the condition whose value does not fit its type', () => {
    expect(
      buildQuery([
        { path: 'a', type: 'string', operator: '=', value: 'x' },
        { path: 'b', type: 'int', operator: '=', value: 'ten' },
      ]),
    ).toEqual({ ok: false, index: 1, message: '"ten" is not a number' })
    expect(buildQuery([{ path: ' ', type: null, operator: '=', value: '' }])).toMatchObject({
      ok: false,
      message: 'choose a field',
    })
  })

  it('reads back what it writes, and refuses queries it cannot show', () => {
    const conditions: BuilderCondition[] = [
      { path: 'params/lr', type: 'float', operator: '<=', value: '1e-3' },
      { path: 'sys/failed', type: 'bool', operator: '=', value: 'false' },
    ]
    const built = buildQuery(conditions)
    expect(built.ok && conditionsFromQuery(built.query)).toEqual(conditions)
    expect(conditionsFromQuery('a > 1 OR b > 2')).toBeNull()
    expect(conditionsFromQuery('last(`loss`) < 1')).toBeNull()
    expect(conditionsFromQuery('')).toEqual([])
  })

  it('offers the operators each type accepts', () => {
    expect(operatorsFor('stringSet')).toEqual(['CONTAINS', 'NOT CONTAINS', 'EXISTS', 'NOT EXISTS'])
    expect(operatorsFor('bool')).toEqual(['=', '!=', 'EXISTS', 'NOT EXISTS'])
    expect(operatorsFor('fileSet')).toEqual(['EXISTS', 'NOT EXISTS'])
  })

  it('points at the position of a syntax error', () => {
    expect(querySyntaxError('`a`:float > 1')).toBeNull()
    const error = querySyntaxError('`a`:float > 1 AND (b')
    expect(error?.position).toBeGreaterThan(14)
    expect(error?.message).toBeTruthy()
  })
})
