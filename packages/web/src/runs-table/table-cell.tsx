import { memo } from 'react'
import type { FieldWire } from '../api/wire-types.js'
import { cellContent } from './core/format-value.js'
import { Sparkline } from './sparkline.js'

/** The content of one cell, drawn from the field by its type. */
export const CellValue = memo(function CellValue({
  field,
  now,
  sparkline,
}: {
  field: FieldWire | undefined
  now: number
  sparkline?: Float64Array | null | undefined
}) {
  const content = cellContent(field, now)
  switch (content.kind) {
    case 'empty':
      return null
    case 'chips':
      return (
        <span className="value">
          {content.values.map((value) => (
            <span key={value} className="chip">
              {value}
            </span>
          ))}
        </span>
      )
    case 'bool':
      return <span className="value">{content.value ? '✓' : '✗'}</span>
    case 'state':
      return (
        <span className={`value state-${content.value}`}>
          {content.value === 'active' ? '● Active' : 'Inactive'}
        </span>
      )
    case 'date':
      return (
        <span className="value" title={content.title}>
          {content.text}
        </span>
      )
    case 'series':
      return (
        <>
          {sparkline && sparkline.length > 1 && <Sparkline values={sparkline} />}
          <span className="value" title={content.title}>
            {content.text}
          </span>
        </>
      )
    case 'text':
      return (
        <span className="value" title={content.title ?? content.text}>
          {content.text}
        </span>
      )
  }
})
