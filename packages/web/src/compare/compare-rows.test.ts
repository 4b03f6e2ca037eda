import { describe, expect, it } from 'vitest'
import type { FieldWire } from '../api/wire-types.js'
import { compareRows } from './compare-rows.js'

const f = (path: string, type: FieldWire['type'], value: Record<string, unknown>): FieldWire => ({
  path,
  type,
  value,
})

describe('side-by-side comparison', () => {
  it('lists every path of any run and marks where runs differ', () => {
    const rows = compareRows([
      [
        f('params/lr', 'float', { value: 0.1 }),
        f('params/bs', 'int', { value: 32 }),
        f('sys/id', 'string', { value: 'A' }),
      ],
      [
        f('params/lr', 'float', { value: 0.2 }),
        f('params/bs', 'int', { value: 32 }),
        f('extra', 'string', { value: 'x' }),
      ],
    ])
    expect(rows.map((row) => [row.path, row.differs])).toEqual([
      ['extra', true],
      ['params/bs', false],
      ['params/lr', true],
    ])
    expect(rows[0]!.fields[0]).toBeUndefined()
  })

  it('compares series by their last value and tags regardless of order', () => {
    const rows = compareRows([
      [
        f('loss', 'floatSeries', { last: 1, count: 10 }),
        f('sys/tags', 'stringSet', { values: ['a', 'b'] }),
      ],
      [
        f('loss', 'floatSeries', { last: 1, count: 20 }),
        f('sys/tags', 'stringSet', { values: ['b', 'a'] }),
      ],
    ])
    expect(rows.every((row) => !row.differs)).toBe(true)
  })
})
