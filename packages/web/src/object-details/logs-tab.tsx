import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import type { FieldWire } from '../api/wire-types.js'
import { ErrorMessage } from '../components/error-message.js'
import { ProgressBar } from '../components/progress.js'

const PAGE = 10_000
const MAX_LINES = 500_000

/** String series (stdout, stderr, any text log) as a searchable, scrollable log. */
export function LogsTab({
  projectRef,
  object,
  fields,
}: {
  projectRef: ProjectRef
  object: string
  fields: FieldWire[]
}) {
  const series = fields
    .filter((field) => field.type === 'stringSeries')
    .map((field) => field.path)
    .sort()
  const preferred = series.find((path) => path.endsWith('stdout')) ?? series[0] ?? null
  const [path, setPath] = useState<string | null>(preferred)
  useEffect(() => setPath((current) => current ?? preferred), [preferred])
  if (series.length === 0)
    return <div className="page muted">This object has no text logs (string series).</div>
  return (
    <div className="page">
      <div className="row" style={{ marginBottom: 8 }}>
        <select
          aria-label="Log"
          value={path ?? ''}
          onChange={(event) => setPath(event.target.value)}
        >
          {series.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </div>
      {path && <LogView key={path} projectRef={projectRef} object={object} path={path} />}
    </div>
  )
}

function LogView({
  projectRef,
  object,
  path,
}: {
  projectRef: ProjectRef
  object: string
  path: string
}) {
  const api = useApi()
  const [lines, setLines] = useState<{ step: number; text: string }[]>([])
  const [total, setTotal] = useState<number | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [search, setSearch] = useState('')
  const scroll = useRef<HTMLDivElement>(null)

  // Reads the whole log page by page, showing each page as it arrives.
  useEffect(() => {
    const controller = new AbortController()
    ;(async () => {
      let offset = 0
      for (;;) {
        const page = await api.series.page(
          projectRef,
          object,
          { path, offset, limit: PAGE },
          controller.signal,
        )
        setTotal(page.total)
        const batch = page.values.map((value, i) => ({ step: page.steps[i]!, text: String(value) }))
        setLines((current) => [...current, ...batch])
        offset += batch.length
        if (batch.length === 0 || offset >= Math.min(page.total, MAX_LINES)) break
      }
    })().catch((failure) => {
      if (!controller.signal.aborted) setError(failure)
    })
    return () => controller.abort()
  }, [api, projectRef, object, path])

  const needle = search.trim().toLowerCase()
  const shown = useMemo(
    () => (needle ? lines.filter((line) => line.text.toLowerCase().includes(needle)) : lines),
    [lines, needle],
  )
  const rows = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroll.current,
    estimateSize: () => 18,
    overscan: 30,
  })
  return (
    <div>
      <div className="row" style={{ marginBottom: 6 }}>
        <input
          aria-label="Search the log"
          placeholder="Search the log"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <span className="small muted">
          {needle ? `${shown.length.toLocaleString()} of ` : ''}
          {lines.length.toLocaleString()} lines
          {total !== null &&
            total > MAX_LINES &&
            ` (the first ${MAX_LINES.toLocaleString()} of ${total.toLocaleString()})`}
        </span>
      </div>
      {total !== null && lines.length < Math.min(total, MAX_LINES) && (
        <ProgressBar
          fraction={lines.length / Math.min(total, MAX_LINES)}
          label="Reading the log…"
        />
      )}
      {error !== null && <ErrorMessage error={error} />}
      <div ref={scroll} className="log-view" style={{ height: '60vh' }}>
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((virtual) => {
            const line = shown[virtual.index]!
            return (
              <div key={virtual.key} className="log-line" style={{ top: virtual.start }}>
                <span className="step">{line.step}</span>
                {highlight(line.text, needle)}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

function highlight(text: string, needle: string) {
  if (!needle) return text
  const at = text.toLowerCase().indexOf(needle)
  if (at < 0) return text
  return (
    <>
      {text.slice(0, at)}
      <mark>{text.slice(at, at + needle.length)}</mark>
      {text.slice(at + needle.length)}
    </>
  )
}
