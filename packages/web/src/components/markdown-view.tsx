import { useMemo, type ReactNode } from 'react'
import { parseMarkdown, type Inline } from '../markdown/core/parse-markdown.js'

/** Markdown as elements (never as HTML). */
export function MarkdownView({ text }: { text: string }) {
  const blocks = useMemo(() => parseMarkdown(text), [text])
  return (
    <div className="markdown">
      {blocks.map((block, index) => {
        switch (block.kind) {
          case 'heading': {
            const Tag = `h${Math.min(block.level + 1, 6)}` as 'h2'
            return <Tag key={index}>{inlines(block.children)}</Tag>
          }
          case 'paragraph':
            return <p key={index}>{inlines(block.children)}</p>
          case 'list': {
            const items = block.items.map((item, i) => <li key={i}>{inlines(item)}</li>)
            return block.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>
          }
          case 'quote':
            return (
              <blockquote key={index} className="muted">
                {inlines(block.children)}
              </blockquote>
            )
          case 'code':
            return (
              <pre key={index} className="preview">
                {block.text}
              </pre>
            )
          case 'rule':
            return <hr key={index} />
        }
      })}
    </div>
  )
}

function inlines(children: Inline[]): ReactNode[] {
  return children.map((child, index) => {
    switch (child.kind) {
      case 'text':
        return child.text
      case 'strong':
        return <strong key={index}>{inlines(child.children)}</strong>
      case 'em':
        return <em key={index}>{inlines(child.children)}</em>
      case 'code':
        return <code key={index}>{child.text}</code>
      case 'link':
        return (
          <a key={index} href={child.href} target="_blank" rel="noreferrer noopener">
            {inlines(child.children)}
          </a>
        )
    }
  })
}
