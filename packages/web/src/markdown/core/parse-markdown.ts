/**
 * A small Markdown reader for dashboard text widgets and descriptions: headings, paragraphs,
 * lists, quotes, code, rules; bold, italics, inline code and links. It produces a tree that
 * the view renders as elements, so no HTML from the text ever reaches the page.
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'link'; href: string; children: Inline[] }

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'quote'; children: Inline[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' }

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (line.trim() === '') {
      i++
      continue
    }
    if (line.startsWith('```')) {
      const code: string[] = []
      i++
      while (i < lines.length && !lines[i]!.startsWith('```')) code.push(lines[i++]!)
      i++
      blocks.push({ kind: 'code', text: code.join('\n') })
      continue
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line)
    if (heading) {
      blocks.push({
        kind: 'heading',
        level: heading[1]!.length as 1 | 2 | 3 | 4 | 5 | 6,
        children: parseInline(heading[2]!.replace(/\s+#+\s*$/, '')),
      })
      i++
      continue
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ kind: 'rule' })
      i++
      continue
    }
    const item = /^\s*([-*+]|\d+[.)])\s+/
    if (item.test(line)) {
      const ordered = /^\s*\d/.test(line)
      const items: Inline[][] = []
      while (i < lines.length && item.test(lines[i]!)) {
        items.push(parseInline(lines[i]!.replace(item, '')))
        i++
      }
      blocks.push({ kind: 'list', ordered, items })
      continue
    }
    if (line.startsWith('>')) {
      const quoted: string[] = []
      while (i < lines.length && lines[i]!.startsWith('>'))
        quoted.push(lines[i++]!.replace(/^>\s?/, ''))
      blocks.push({ kind: 'quote', children: parseInline(quoted.join(' ')) })
      continue
    }
    const paragraph: string[] = []
    while (
      i < lines.length &&
      lines[i]!.trim() !== '' &&
      !/^(#{1,6}\s|```|>)/.test(lines[i]!) &&
      !item.test(lines[i]!)
    ) {
      paragraph.push(lines[i++]!.trim())
    }
    blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join(' ')) })
  }
  return blocks
}

/** Links may only go to the web, to mail, or within this site: never `javascript:`. */
export function safeHref(href: string): string | null {
  const trimmed = href.trim()
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed
  if (/^[/#?]/.test(trimmed) && !trimmed.startsWith('//')) return trimmed
  return null
}

export function parseInline(text: string): Inline[] {
  const out: Inline[] = []
  let plain = ''
  const flush = () => {
    if (plain) out.push({ kind: 'text', text: plain })
    plain = ''
  }
  let i = 0
  while (i < text.length) {
    const rest = text.slice(i)
    const code = /^`([^`]+)`/.exec(rest)
    if (code) {
      flush()
      out.push({ kind: 'code', text: code[1]! })
      i += code[0].length
      continue
    }
    const strong = /^(\*\*|__)(.+?)\1/.exec(rest)
    if (strong) {
      flush()
      out.push({ kind: 'strong', children: parseInline(strong[2]!) })
      i += strong[0].length
      continue
    }
    const em = /^(\*|_)([^*_]+?)\1/.exec(rest)
    if (em) {
      flush()
      out.push({ kind: 'em', children: parseInline(em[2]!) })
      i += em[0].length
      continue
    }
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)/.exec(rest)
    if (link) {
      const href = safeHref(link[2]!)
      flush()
      if (href) out.push({ kind: 'link', href, children: parseInline(link[1]!) })
      else out.push({ kind: 'text', text: link[1]! })
      i += link[0].length
      continue
    }
    plain += text[i]
    i++
  }
  flush()
  return out
}
