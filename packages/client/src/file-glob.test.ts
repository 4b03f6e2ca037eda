import * as fs from 'node:fs'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { expandFiles, globToRegExp } from './file-glob.js'

describe('file set globs', () => {
  let root = ''
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nereid-glob-'))
    for (const file of ['src/a.py', 'src/b.txt', 'src/deep/c.py', 'README.md']) {
      mkdirSync(join(root, file, '..'), { recursive: true })
      writeFileSync(join(root, file), file)
    }
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))
  const paths = (patterns: string[], base = root) =>
    expandFiles(fs, patterns, base).map((f) => f.path)

  it('translates globs', () => {
    expect(globToRegExp('**/*.py').test('a/b/c.py')).toBe(true)
    expect(globToRegExp('**/*.py').test('c.py')).toBe(true)
    expect(globToRegExp('*.py').test('a/c.py')).toBe(false)
    expect(globToRegExp('file?.[ch]').test('file1.c')).toBe(true)
  })

  it('takes files, whole folders and globs, relative to the base', () => {
    expect(paths(['README.md'])).toEqual(['README.md'])
    expect(paths(['src'])).toEqual(['src/a.py', 'src/b.txt', 'src/deep/c.py'])
    expect(paths(['src/**/*.py'])).toEqual(['src/a.py', 'src/deep/c.py'])
    expect(paths(['src/*.py', 'src/a.py'])).toEqual(['src/a.py'])
  })

  it('names files outside the base by their place under the pattern', () => {
    expect(paths([join(root, 'src')], join(root, 'elsewhere'))).toEqual([
      'src/a.py',
      'src/b.txt',
      'src/deep/c.py',
    ])
  })

  it('says which path does not exist', () => {
    expect(() => paths(['nope'])).toThrow(
      expect.objectContaining({
        code: 'FILE_NOT_FOUND',
        message: expect.stringContaining('"nope"'),
      }),
    )
  })
})
