import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv.js'
import { buildFileTree } from './file-tree.js'
import { prettyJson, previewKind } from './preview-kind.js'

describe('CSV previews', () => {
  it('reads quoted cells with delimiters, quotes and newlines inside', () => {
    const { rows } = parseCsv('name,note\r\n"a, b","say ""hi""\nthere"\nc,d\n')
    expect(rows).toEqual([
      ['name', 'note'],
      ['a, b', 'say "hi"\nthere'],
      ['c', 'd'],
    ])
  })

  it('guesses semicolons and tabs', () => {
    expect(parseCsv('a;b\n1;2').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(parseCsv('a\tb\n1\t2').delimiter).toBe('\t')
  })

  it('stops after the first rows of a large file and says so', () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i},x`).join('\n')
    const { rows, truncated } = parseCsv(text, 10)
    expect(rows).toHaveLength(10)
    expect(truncated).toBe(true)
  })
})

describe('file previews', () => {
  it('chooses the preview by extension and content type', () => {
    expect(previewKind('plot.PNG')).toBe('image')
    expect(previewKind('data.bin', 'image/jpeg')).toBe('image')
    expect(previewKind('metrics.csv')).toBe('csv')
    expect(previewKind('config.json')).toBe('json')
    expect(previewKind('report.html')).toBe('html')
    expect(previewKind('train.py')).toBe('text')
    expect(previewKind('weights.pt')).toBe('none')
    expect(previewKind('huge.txt', '', 50 * 1024 * 1024)).toBe('none')
  })

  it('pretty-prints JSON and JSON lines, leaving other text alone', () => {
    expect(prettyJson('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', valid: true })
    expect(prettyJson('{"a":1}\n{"b":2}\n')).toEqual({ text: '{"a":1}\n{"b":2}', valid: true })
    expect(prettyJson('not json').valid).toBe(false)
  })
})

describe('file set tree', () => {
  it('nests files in folders with their sizes, folders first', () => {
    const tree = buildFileTree([
      { path: 'src/train.py', size: 10 },
      { path: 'README.md', size: 5 },
      { path: 'src/data/load.py', size: 20 },
    ])
    expect(tree.size).toBe(35)
    expect(tree.fileCount).toBe(3)
    expect(tree.children.map((c) => c.name)).toEqual(['src', 'README.md'])
    const src = tree.children[0]!
    expect(src.children.map((c) => [c.name, c.size])).toEqual([
      ['data', 20],
      ['train.py', 10],
    ])
    expect(src.children[0]!.children[0]!.path).toBe('src/data/load.py')
  })
})
