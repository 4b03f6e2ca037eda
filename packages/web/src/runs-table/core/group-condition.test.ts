import { parseQuery } from '@nereid/core'
import { describe, expect, it } from 'vitest'
import { groupCondition, groupingContext, queryForGroup } from './group-condition.js'

describe('group conditions', () => {
  const plain = groupingContext('params/optimizer', [
    { value: 'adam', type: 'string', count: 2, aggregates: {} },
    { value: null, type: null, count: 1, aggregates: {} },
  ])

  it('selects a group by its value with the field type', () => {
    const text = queryForGroup(null, groupCondition(plain, { value: 'ad"am', type: 'string' }))
    expect(text).toBe('`params/optimizer`:string = "ad\\"am"')
    expect(parseQuery(text).expr).not.toBeNull()
    expect(queryForGroup(null, groupCondition(plain, { value: 0.5, type: 'float' }))).toBe(
      '`params/optimizer`:float = 0.5',
    )
    expect(queryForGroup(null, groupCondition(plain, { value: false, type: 'bool' }))).toBe(
      '`params/optimizer`:bool = false',
    )
  })

  it('selects the group without a value by the absence of the field', () => {
    expect(queryForGroup(null, groupCondition(plain, { value: null, type: null }))).toBe(
      '`params/optimizer` NOT EXISTS',
    )
  })

  it('selects tag groups by membership, and untagged runs by having none of the tags', () => {
    const tags = groupingContext('sys/tags', [
      { value: 'a', type: 'stringSet', count: 1, aggregates: {} },
      { value: 'b', type: 'stringSet', count: 1, aggregates: {} },
      { value: null, type: null, count: 1, aggregates: {} },
    ])
    expect(queryForGroup(null, groupCondition(tags, { value: 'a', type: 'stringSet' }))).toBe(
      '`sys/tags`:stringSet CONTAINS "a"',
    )
    expect(queryForGroup(null, groupCondition(tags, { value: null, type: null }))).toBe(
      'NOT (`sys/tags`:stringSet CONTAINS "a" OR `sys/tags`:stringSet CONTAINS "b")',
    )
  })

  it('adds the group condition to the user filter', () => {
    const user = parseQuery('`params/lr`:float > 0.1 OR `x` EXISTS').expr
    expect(queryForGroup(user, groupCondition(plain, { value: 'sgd', type: 'string' }))).toBe(
      '(`params/lr`:float > 0.1 OR `x` EXISTS) AND `params/optimizer`:string = "sgd"',
    )
  })
})
