import { describe, expect, it } from 'vitest'
import {
  DEFAULT_TABLE_STATE,
  hasTableParams,
  sameState,
  stateFromParams,
  stateFromViewDocument,
  stateToParams,
  stateToViewDocument,
  viewIdFromParams,
  type TableState,
} from './table-state.js'

const state: TableState = {
  columns: ['sys/id', 'train/loss', 'params/a,b'],
  pinned: ['sys/id'],
  query: '`params/lr`:float > 0.1 AND `sys/tags`:stringSet CONTAINS "a&b"',
  sort: { path: 'train/loss', direction: 'asc' },
  groupBy: 'params/optimizer',
  showTrashed: true,
}

describe('table state in the URL', () => {
  it('round-trips every part of the state, whatever characters paths and queries hold', () => {
    const params = stateToParams(state, 'best')
    const read = new URLSearchParams(params.toString())
    expect(stateFromParams(read)).toEqual(state)
    expect(viewIdFromParams(read)).toBe('best')
  })

  it('keeps an empty column list and an empty pin list distinct from "not said"', () => {
    const empty = { ...state, columns: [], pinned: [] }
    expect(stateFromParams(stateToParams(empty))).toEqual(empty)
  })

  it('reads a link the app wrote as the whole state, over any saved view', () => {
    const view = { ...state, query: 'x > 1', groupBy: 'g', showTrashed: true }
    const cleared = { ...state, query: '', sort: null, groupBy: null, showTrashed: false }
    expect(stateFromParams(stateToParams(cleared, 'v'), view)).toEqual(cleared)
  })

  it('falls back to the base state for what a hand-written URL does not say', () => {
    const params = new URLSearchParams('q=x')
    expect(stateFromParams(params)).toEqual({ ...DEFAULT_TABLE_STATE, query: 'x' })
    expect(hasTableParams(params)).toBe(true)
    expect(hasTableParams(new URLSearchParams('view=abc'))).toBe(false)
  })

  it('compares states by what they show', () => {
    expect(sameState(state, { ...state })).toBe(true)
    expect(sameState(state, { ...state, showTrashed: false })).toBe(false)
  })
})

describe('table state in a saved view', () => {
  it('round-trips through the view document', () => {
    expect(stateFromViewDocument(stateToViewDocument(state))).toEqual(state)
  })

  it('reads documents written by other clients leniently', () => {
    expect(
      stateFromViewDocument({
        columns: ['a', { path: 'b' }, { nope: 1 }, 'a'],
        sort: { path: 'a' },
        groupBy: '',
      }),
    ).toEqual({
      ...DEFAULT_TABLE_STATE,
      columns: ['a', 'b'],
      sort: { path: 'a', direction: 'desc' },
    })
  })
})
