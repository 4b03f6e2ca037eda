import type { FieldType } from '@nereid/core'
import { describe, expect, it } from 'vitest'
import {
  addColumn,
  buildColumns,
  columnOffsets,
  moveColumn,
  nextSort,
  removeColumn,
  togglePin,
} from './column-model.js'
import { pickerEntries, pickerFields } from './field-picker.js'
import { moveFocus } from './keyboard-focus.js'

const types = new Map<string, FieldType[]>([
  ['sys/id', ['string']],
  ['train/loss', ['floatSeries']],
  ['params/lr', ['float']],
  ['sys/tags', ['stringSet']],
])

describe('column model', () => {
  const state = {
    columns: ['sys/id', 'train/loss', 'params/lr', 'sys/tags'],
    pinned: ['params/lr', 'sys/id'],
    sort: { path: 'params/lr', direction: 'asc' as const },
  }

  it('puts pinned columns first, in pin order, with labels, types and widths', () => {
    const columns = buildColumns(state, types, { 'train/loss': 300, 'sys/tags': 10 })
    expect(columns.map((c) => [c.path, c.label, c.type, c.pinned, c.numeric])).toEqual([
      ['params/lr', 'params/lr', 'float', true, true],
      ['sys/id', 'ID', 'string', true, false],
      ['train/loss', 'train/loss', 'floatSeries', false, true],
      ['sys/tags', 'Tags', 'stringSet', false, false],
    ])
    expect(columns[2]!.width).toBe(300)
    expect(columns[3]!.width).toBe(60)
  })

  it('shows a column the project has no field for yet, without a type', () => {
    const [column] = buildColumns({ columns: ['later/metric'], pinned: [] }, types)
    expect(column).toMatchObject({ type: null, numeric: false })
  })

  it('adds, moves and removes columns; removing one drops its pin and sort', () => {
    const added = addColumn(state, 'val/acc')
    expect(added.columns.at(-1)).toBe('val/acc')
    expect(addColumn(added, 'val/acc')).toBe(added)
    expect(moveColumn(added, 'val/acc', 0).columns[0]).toBe('val/acc')
    const removed = removeColumn(added, 'params/lr')
    expect(removed.columns).not.toContain('params/lr')
    expect(removed.pinned).toEqual(['sys/id'])
    expect(removed.sort).toBeNull()
  })

  it('pins and unpins', () => {
    expect(togglePin(state, 'train/loss').pinned).toEqual(['params/lr', 'sys/id', 'train/loss'])
    expect(togglePin(state, 'sys/id').pinned).toEqual(['params/lr'])
  })

  it('cycles the sort of a column: descending, ascending, off', () => {
    expect(nextSort(null, 'a')).toEqual({ path: 'a', direction: 'desc' })
    expect(nextSort({ path: 'a', direction: 'desc' }, 'a')).toEqual({ path: 'a', direction: 'asc' })
    expect(nextSort({ path: 'a', direction: 'asc' }, 'a')).toBeNull()
    expect(nextSort({ path: 'a', direction: 'asc' }, 'b')).toEqual({ path: 'b', direction: 'desc' })
  })

  it('lays columns out left to right', () => {
    expect(columnOffsets([{ width: 100 }, { width: 50 }])).toEqual([0, 100, 150])
  })
})

describe('field picker', () => {
  const fields = pickerFields([
    { path: 'train/loss', type: 'floatSeries' },
    { path: 'train/acc', type: 'floatSeries' },
    { path: 'val/loss', type: 'floatSeries' },
    { path: 'sys/name', type: 'string' },
    { path: 'x/mixed', type: 'float' },
    { path: 'x/mixed', type: 'string' },
  ])

  it('groups the types of a path', () => {
    expect(fields.find((f) => f.path === 'x/mixed')?.types).toEqual(['float', 'string'])
  })

  it('offers accepted names first, then other matches', () => {
    const entries = pickerEntries(fields, 'loss', (p) => p === 'val/loss', new Set(['train/loss']))
    expect(entries.map((e) => [e.path, e.accepted, e.shown])).toEqual([
      ['val/loss', true, false],
      ['train/loss', false, true],
    ])
  })

  it('matches every word of the search anywhere in the path, user fields before sys/', () => {
    expect(pickerEntries(fields, 'a', () => false, new Set()).map((e) => e.path)).toEqual([
      'train/acc',
      'train/loss',
      'val/loss',
      'sys/name',
    ])
    expect(pickerEntries(fields, 'tr los', () => false, new Set()).map((e) => e.path)).toEqual([
      'train/loss',
    ])
  })
})

describe('keyboard navigation', () => {
  const bounds = { rows: 100, columns: 5, pageRows: 20 }

  it('moves one cell with arrows and stays inside the table', () => {
    expect(moveFocus({ row: 0, column: 0 }, 'ArrowDown', bounds)).toEqual({ row: 1, column: 0 })
    expect(moveFocus({ row: 0, column: 0 }, 'ArrowUp', bounds)).toEqual({ row: -1, column: 0 })
    expect(moveFocus({ row: -1, column: 0 }, 'ArrowUp', bounds)).toEqual({ row: -1, column: 0 })
    expect(moveFocus({ row: 3, column: 4 }, 'ArrowRight', bounds)).toEqual({ row: 3, column: 4 })
  })

  it('moves a screen with PageUp and PageDown, and to the ends with Home and End', () => {
    expect(moveFocus({ row: 90, column: 1 }, 'PageDown', bounds)).toEqual({ row: 99, column: 1 })
    expect(moveFocus({ row: 5, column: 1 }, 'PageUp', bounds)).toEqual({ row: 0, column: 1 })
    expect(moveFocus({ row: 5, column: 2 }, 'End', bounds)).toEqual({ row: 5, column: 4 })
    expect(moveFocus({ row: 5, column: 2 }, 'End', bounds, true)).toEqual({ row: 99, column: 4 })
    expect(moveFocus({ row: 5, column: 2 }, 'Home', bounds, true)).toEqual({ row: 0, column: 0 })
    expect(moveFocus({ row: 5, column: 2 }, 'x', bounds)).toBeNull()
  })
})
