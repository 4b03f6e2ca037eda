import { describe, expect, it } from 'vitest'
import { parseMarkdown, safeHref } from './parse-markdown.js'

describe('markdown', () => {
  it('reads headings, paragraphs, lists, quotes, code and rules', () => {
    const blocks = parseMarkdown(
      '# Findings\n\nLoss went\ndown.\n\n- one\n- two\n\n1. first\n\n> note\n\n```\nx = 1\n```\n\n---',
    )
    expect(blocks.map((b) => b.kind)).toEqual([
      'heading',
      'paragraph',
      'list',
      'list',
      'quote',
      'code',
      'rule',
    ])
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      children: [{ kind: 'text', text: 'Loss went down.' }],
    })
    expect(blocks[3]).toMatchObject({ kind: 'list', ordered: true })
    expect(blocks[5]).toEqual({ kind: 'code', text: 'x = 1' })
  })

  it('reads bold, italics, inline code and links', () => {
    const [paragraph] = parseMarkdown('**big** and *small* `code` [docs](https://x.org)')
    expect(paragraph).toEqual({
      kind: 'paragraph',
      children: [
        { kind: 'strong', children: [{ kind: 'text', text: 'big' }] },
        { kind: 'text', text: ' and ' },
        { kind: 'em', children: [{ kind: 'text', text: 'small' }] },
        { kind: 'text', text: ' ' },
        { kind: 'code', text: 'code' },
        { kind: 'text', text: ' ' },
        { kind: 'link', href: 'https://x.org', children: [{ kind: 'text', text: 'docs' }] },
      ],
    })
  })

  it('never makes a link that runs script, and keeps HTML as text', () => {
    const [paragraph] = parseMarkdown('[x](javascript:alert(1)) <img src=x onerror=1>')
    expect(JSON.stringify(paragraph)).not.toContain('javascript')
    expect((paragraph as { children: unknown[] }).children[0]).toEqual({ kind: 'text', text: 'x' })
    expect(safeHref('//evil.com')).toBeNull()
    expect(safeHref('/team/vision')).toBe('/team/vision')
  })
})
