import { describe, expect, it } from 'vitest'
import { createNameMatcher } from './name-matcher.js'

describe('convention name matching', () => {
  it('accepts listed names exactly', () => {
    const accepts = createNameMatcher(['train/loss', 'baseline'])
    expect(accepts('train/loss')).toBe(true)
    expect(accepts('train/loss2')).toBe(false)
  })

  it('lets "*" stand for one path segment or part of it', () => {
    const accepts = createNameMatcher(['val/*', 'train/*_acc'])
    expect(accepts('val/acc')).toBe(true)
    expect(accepts('val/a/b')).toBe(false)
    expect(accepts('train/top1_acc')).toBe(true)
    expect(accepts('train/loss')).toBe(false)
  })

  it('treats other characters literally', () => {
    expect(createNameMatcher(['a.b+(c)'])('a.b+(c)')).toBe(true)
    expect(createNameMatcher(['a.*'])('ab')).toBe(false)
  })

  it('accepts everything when the list is empty', () => {
    expect(createNameMatcher([])('anything')).toBe(true)
  })
})
