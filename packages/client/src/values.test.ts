import { describe, expect, it } from 'vitest'
import { FileValue, assignments, integer } from './values.js'

describe('assignments', () => {
  it('turns an object into one field per leaf, typed by value', () => {
    const when = new Date('2026-01-01T00:00:00Z')
    expect(
      assignments('params', {
        lr: 0.1,
        epochs: integer(3),
        big: 5n,
        name: 'x',
        on: true,
        when,
        inner: { a: 1 },
      }),
    ).toEqual([
      {
        path: 'params/lr',
        type: 'float',
        wire: { op: 'assignFloat', path: 'params/lr', value: 0.1 },
      },
      {
        path: 'params/epochs',
        type: 'int',
        wire: { op: 'assignInt', path: 'params/epochs', value: 3 },
      },
      { path: 'params/big', type: 'int', wire: { op: 'assignInt', path: 'params/big', value: 5 } },
      {
        path: 'params/name',
        type: 'string',
        wire: { op: 'assignString', path: 'params/name', value: 'x' },
      },
      {
        path: 'params/on',
        type: 'bool',
        wire: { op: 'assignBool', path: 'params/on', value: true },
      },
      {
        path: 'params/when',
        type: 'datetime',
        wire: { op: 'assignDatetime', path: 'params/when', value: when.getTime() },
      },
      {
        path: 'params/inner/a',
        type: 'float',
        wire: { op: 'assignFloat', path: 'params/inner/a', value: 1 },
      },
    ])
  })

  it('carries NaN and infinities in their wire spelling', () => {
    expect(assignments('x', Number.NaN)[0]).toMatchObject({ wire: { value: 'NaN' } })
    expect(assignments('x', Number.POSITIVE_INFINITY)[0]).toMatchObject({
      wire: { value: 'Infinity' },
    })
  })

  it('keeps files as files', () => {
    const file = FileValue.fromBuffer(Buffer.from('x'))
    expect(assignments('model', file)).toEqual([{ path: 'model', type: 'file', file }])
  })

  it('refuses integers JavaScript cannot hold exactly', () => {
    expect(() => integer(1.5)).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }))
    expect(() => assignments('n', 2n ** 60n)).toThrow(
      expect.objectContaining({ code: 'VALUE_INVALID' }),
    )
  })
})
