import { describe, expect, it } from 'vitest'
import { GroupLayout } from './group-layout.js'

describe('grouped table layout', () => {
  const layout = new GroupLayout([
    { key: 'adam', shownRows: 3 },
    { key: 'sgd', shownRows: 0 },
    { key: 'none', shownRows: 2 },
  ])

  it('lays headers and expanded rows out as one list', () => {
    expect(layout.size).toBe(8)
    expect([0, 1, 3, 4, 5, 6, 7].map((i) => layout.itemAt(i))).toEqual([
      { kind: 'group', group: 0 },
      { kind: 'row', group: 0, offset: 0 },
      { kind: 'row', group: 0, offset: 2 },
      { kind: 'group', group: 1 },
      { kind: 'group', group: 2 },
      { kind: 'row', group: 2, offset: 0 },
      { kind: 'row', group: 2, offset: 1 },
    ])
    expect(layout.itemAt(8)).toBeNull()
    expect(layout.headerIndex(2)).toBe(5)
  })

  it('says which rows of which groups a window of the list shows', () => {
    expect([...layout.rowRanges(2, 8)]).toEqual([
      [0, { start: 1, end: 3 }],
      [2, { start: 0, end: 2 }],
    ])
  })

  it('finds items fast in a table of many large groups', () => {
    const big = new GroupLayout(
      Array.from({ length: 1000 }, (_, i) => ({ key: String(i), shownRows: 1000 })),
    )
    expect(big.size).toBe(1_001_000)
    expect(big.itemAt(500_500)).toEqual({ kind: 'group', group: 500 })
    expect(big.itemAt(500_501)).toEqual({ kind: 'row', group: 500, offset: 0 })
  })
})
