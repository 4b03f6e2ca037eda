import { describe, expect, it } from 'vitest'
import { namespacePrefixes, validatePath } from './paths.js'

describe('validatePath', () => {
  it('accepts slash-separated segments', () => {
    expect(validatePath('train/loss')).toBe('train/loss')
    expect(validatePath('a')).toBe('a')
    expect(validatePath('params/optimizer/β-1 (x)')).toBe('params/optimizer/β-1 (x)')
  })

  it.each([
    ['', /empty/],
    ['/leading', /empty segment/],
    ['trailing/', /empty segment/],
    ['double//slash', /empty segment/],
    ['tab\there', /control character/],
  ])('rejects %j', (path, message) => {
    expect(() => validatePath(path)).toThrow(message)
    try {
      validatePath(path)
    } catch (error) {
      expect(error).toMatchObject({ code: 'PATH_INVALID', details: { field: 'path' } })
    }
  })

  it('rejects paths longer than 1024 characters and says by how much', () => {
    expect(validatePath('x'.repeat(1024))).toHaveLength(1024)
    expect(() => validatePath('x'.repeat(1025))).toThrow(/1025 characters long; the limit is 1024/)
  })

  it('rejects values that are not strings', () => {
    expect(() => validatePath(42)).toThrow(/must be a string/)
  })
})

describe('namespacePrefixes', () => {
  it('lists every enclosing namespace', () => {
    expect(namespacePrefixes('a/b/c')).toEqual(['a', 'a/b'])
    expect(namespacePrefixes('a')).toEqual([])
  })
})
