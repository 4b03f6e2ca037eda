import { describe, expect, it } from 'vitest'
import { COLUMN_BLOCK, columnsToRead } from './column-window.js'

const table = (count: number, pinned: string[] = []) => [
  ...pinned.map((path) => ({ path, pinned: true })),
  ...Array.from({ length: count }, (_, i) => ({
    path: `c/${String(i).padStart(2, '0')}`,
    pinned: false,
  })),
]

describe('columns to read', () => {
  it('reads every column of a narrow table', () => {
    const columns = table(10, ['sys/id'])
    expect(columnsToRead(columns, { first: 0, last: 9 })).toEqual(
      columns.map((column) => column.path).sort(),
    )
  })

  it('reads the pinned columns and the blocks around those on screen', () => {
    const read = columnsToRead(table(50, ['sys/id']), { first: 10, last: 21 })
    expect(read[0]).toBe('c/08')
    expect(read.at(-2)).toBe('c/31')
    expect(read.at(-1)).toBe('sys/id')
    expect(read).toHaveLength(24 + 1)
  })

  it('reads the same columns while the view stays within its blocks', () => {
    const columns = table(50)
    const at = (first: number) => columnsToRead(columns, { first, last: first + 11 })
    expect(at(1)).toEqual(at(0))
    expect(at(COLUMN_BLOCK)).not.toEqual(at(0))
  })

  it('reads the first three blocks before the width is known, as a first screen would', () => {
    const columns = table(50, ['sys/id'])
    const first = columnsToRead(columns, null)
    expect(first).toHaveLength(3 * COLUMN_BLOCK + 1)
    // The window a table reports before its first layout changes nothing.
    expect(columnsToRead(columns, { first: 0, last: 0 })).toEqual(first)
    expect(columnsToRead(columns, { first: 0, last: 12 })).toEqual(first)
  })
})
