import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { pickerEntries, type PickerField } from './core/field-picker.js'

/**
 * Adds any field of the project as a column: a searchable list of every path with its type,
 * the project's accepted metric names first.
 */
export function FieldPicker({
  fields,
  shown,
  isAccepted,
  onPick,
  onClose,
  loading,
}: {
  fields: PickerField[]
  shown: ReadonlySet<string>
  isAccepted(path: string): boolean
  onPick(path: string): void
  onClose(): void
  loading: boolean
}) {
  const [search, setSearch] = useState('')
  const [active, setActive] = useState(0)
  const box = useRef<HTMLDivElement>(null)
  const entries = useMemo(
    () => pickerEntries(fields, search, isAccepted, shown),
    [fields, search, isAccepted, shown],
  )
  useEffect(() => setActive(0), [search])
  useEffect(() => {
    const onDown = (event: MouseEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) onClose()
    }
    document.addEventListener('mousedown', onDown)
    return () => document.removeEventListener('mousedown', onDown)
  }, [onClose])
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') setActive(Math.min(entries.length - 1, active + 1))
    else if (event.key === 'ArrowUp') setActive(Math.max(0, active - 1))
    else if (event.key === 'Enter' && entries[active]) onPick(entries[active]!.path)
    else if (event.key === 'Escape') onClose()
    else return
    event.preventDefault()
  }
  return (
    <div
      ref={box}
      className="popover"
      style={{ width: 440, top: 40, right: 16 }}
      role="dialog"
      aria-label="Add a column"
    >
      <input
        autoFocus
        aria-label="Search fields"
        placeholder="Search fields (e.g. loss, params/lr)"
        value={search}
        style={{ width: '100%' }}
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={onKey}
      />
      {loading && <div className="small muted">Loading the project's fields…</div>}
      <div className="picker-list" role="listbox">
        {entries.map((entry, index) => (
          <div
            key={entry.path}
            role="option"
            aria-selected={index === active}
            className={`picker-item${index === active ? ' active' : ''}`}
            onMouseEnter={() => setActive(index)}
            onClick={() => onPick(entry.path)}
            data-path={entry.path}
          >
            <span className="grow ellipsis mono">{entry.path}</span>
            {entry.accepted && (
              <span className="badge" title="An accepted name of this project">
                accepted
              </span>
            )}
            <span className="faint small">{entry.types.join(' / ')}</span>
            {entry.shown && <span className="small">✓</span>}
          </div>
        ))}
        {!loading && entries.length === 0 && <div className="small muted">No field matches.</div>}
      </div>
    </div>
  )
}
