import { describe, expect, it } from 'vitest'
import { diffLines } from './line-diff.js'
import { notebookLines, parseNotebook } from './notebook-cells.js'

describe('line diff', () => {
  it('finds the shortest set of added and removed lines', () => {
    const diff = diffLines(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])
    expect(diff.map((line) => `${line.kind[0]}${line.text}`)).toEqual([
      'sa',
      'rb',
      'sc',
      'ax',
      'sd',
    ])
    const removed = diff.find((line) => line.kind === 'removed')
    expect(removed).toEqual({ kind: 'removed', text: 'b', a: 2 })
    const added = diff.find((line) => line.kind === 'added')
    expect(added).toEqual({ kind: 'added', text: 'x', b: 3 })
  })

  it('handles empty sides and identical texts', () => {
    expect(diffLines([], ['a'])).toEqual([{ kind: 'added', text: 'a', b: 1 }])
    expect(diffLines(['a'], [])).toEqual([{ kind: 'removed', text: 'a', a: 1 }])
    expect(diffLines(['a', 'b'], ['a', 'b']).every((line) => line.kind === 'same')).toBe(true)
  })

  it('gives up gracefully on texts too different to diff cheaply', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`)
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`)
    const diff = diffLines(a, b, 10)
    expect(diff.filter((line) => line.kind === 'removed')).toHaveLength(50)
    expect(diff.filter((line) => line.kind === 'added')).toHaveLength(50)
  })
})

describe('notebook checkpoints', () => {
  const ipynb = JSON.stringify({
    cells: [
      { cell_type: 'markdown', source: ['# Title'] },
      {
        cell_type: 'code',
        source: ['x = 1\n', 'print(x)'],
        execution_count: 3,
        outputs: [
          { output_type: 'stream', text: ['1\n'] },
          { output_type: 'error', ename: 'ValueError', evalue: 'bad' },
        ],
      },
    ],
    metadata: { kernelspec: { language: 'python' } },
  })

  it('reads cells with their sources and text outputs', () => {
    const notebook = parseNotebook(ipynb)
    expect(notebook.cells).toEqual([
      { type: 'markdown', source: '# Title', outputs: [], executionCount: null },
      {
        type: 'code',
        source: 'x = 1\nprint(x)',
        outputs: ['1\n', 'ValueError: bad'],
        executionCount: 3,
      },
    ])
    expect(notebookLines(notebook)).toEqual([
      '# ── cell 1 (markdown) ──',
      '# Title',
      '# ── cell 2 (code) ──',
      'x = 1',
      'print(x)',
    ])
  })

  it('says what is wrong with a file that is not a notebook', () => {
    expect(() => parseNotebook('nope')).toThrow(/not JSON/)
    expect(() => parseNotebook('{}')).toThrow(/no "cells"/)
  })
})
