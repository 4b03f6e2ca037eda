import { useState } from 'react'
import type { WidgetKind, WidgetWire } from '../api/wire-types.js'
import { Modal } from '../components/modal.js'
import { querySyntaxError } from '../runs-table/core/query-builder.js'

export const WIDGET_KINDS: { kind: WidgetKind; label: string; size: [number, number] }[] = [
  { kind: 'lineChart', label: 'Line chart', size: [6, 5] },
  { kind: 'singleValue', label: 'Single value', size: [3, 2] },
  { kind: 'parameterTable', label: 'Parameter table', size: [6, 4] },
  { kind: 'fileContent', label: 'File content', size: [6, 5] },
  { kind: 'imageGallery', label: 'Image gallery', size: [6, 5] },
  { kind: 'markdown', label: 'Text (Markdown)', size: [4, 3] },
]

const list = (text: string) =>
  text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean)

/** The form for a widget's title and settings; the same for adding and for editing. */
export function WidgetEditor({
  widget,
  onSave,
  onClose,
}: {
  widget: Omit<WidgetWire, 'layout'> & { layout?: WidgetWire['layout'] }
  onSave(widget: Omit<WidgetWire, 'layout'>): void
  onClose(): void
}) {
  const config = widget.config as Record<string, unknown>
  const [kind, setKind] = useState<WidgetKind>(widget.kind)
  const [title, setTitle] = useState(widget.title)
  const [series, setSeries] = useState(((config.series as string[]) ?? []).join('\n'))
  const [paths, setPaths] = useState(((config.paths as string[]) ?? []).join('\n'))
  const [runs, setRuns] = useState(((config.runs as string[]) ?? []).join(', '))
  const [query, setQuery] = useState(String(config.query ?? ''))
  const [maxRuns, setMaxRuns] = useState(String(config.maxRuns ?? 10))
  const [run, setRun] = useState(String(config.run ?? ''))
  const [path, setPath] = useState(String(config.path ?? ''))
  const [file, setFile] = useState(String(config.file ?? ''))
  const [text, setText] = useState(String(config.text ?? ''))
  const [xAxis, setXAxis] = useState(String(config.xAxis ?? 'step'))
  const [logScale, setLogScale] = useState(config.logScale === true)
  const [problem, setProblem] = useState<string | null>(null)

  const build = (): Record<string, unknown> | string => {
    const runSelection = () => {
      const named = list(runs)
      if (named.length > 0) return { runs: named }
      if (query.trim()) {
        const error = querySyntaxError(query)
        if (error) return `the query does not parse: ${error.message}`
      }
      return {
        ...(query.trim() ? { query: query.trim() } : {}),
        maxRuns: Math.max(1, Math.min(100, Number(maxRuns) || 10)),
      }
    }
    switch (kind) {
      case 'lineChart': {
        if (list(series).length === 0) return 'name at least one series, e.g. train/loss'
        const selection = runSelection()
        if (typeof selection === 'string') return selection
        return { series: list(series), ...selection, xAxis, logScale }
      }
      case 'parameterTable': {
        if (list(paths).length === 0) return 'name at least one field, e.g. params/lr'
        const selection = runSelection()
        if (typeof selection === 'string') return selection
        return { paths: list(paths), ...selection }
      }
      case 'singleValue':
        if (!run.trim() || !path.trim()) return 'name the run and the field'
        return { run: run.trim(), path: path.trim() }
      case 'fileContent':
        if (!run.trim() || !path.trim()) return 'name the run and the file field'
        return { run: run.trim(), path: path.trim(), ...(file.trim() ? { file: file.trim() } : {}) }
      case 'imageGallery':
        if (!run.trim() || !path.trim()) return 'name the run and the image series'
        return { run: run.trim(), path: path.trim() }
      case 'markdown':
        return { text }
    }
  }

  const save = () => {
    const built = build()
    if (typeof built === 'string') {
      setProblem(built)
      return
    }
    onSave({ id: widget.id, kind, title: title.trim(), config: built })
  }

  const usesRuns = kind === 'lineChart' || kind === 'parameterTable'
  const usesOneRun = kind === 'singleValue' || kind === 'fileContent' || kind === 'imageGallery'
  return (
    <Modal
      title={widget.title ? `Edit “${widget.title}”` : 'Add a widget'}
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" onClick={save}>
            Save widget
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor="widget-kind">Kind</label>
        <select
          id="widget-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as WidgetKind)}
        >
          {WIDGET_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="widget-title">Title</label>
        <input
          id="widget-title"
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      {kind === 'lineChart' && (
        <div className="field">
          <label htmlFor="widget-series">Series (one per line)</label>
          <textarea
            id="widget-series"
            rows={3}
            value={series}
            onChange={(e) => setSeries(e.target.value)}
            placeholder="train/loss"
          />
        </div>
      )}
      {kind === 'parameterTable' && (
        <div className="field">
          <label htmlFor="widget-paths">Fields (one per line)</label>
          <textarea
            id="widget-paths"
            rows={3}
            value={paths}
            onChange={(e) => setPaths(e.target.value)}
            placeholder="params/lr"
          />
        </div>
      )}
      {usesRuns && (
        <>
          <div className="field">
            <label htmlFor="widget-runs">Runs (ids, comma-separated)</label>
            <input
              id="widget-runs"
              value={runs}
              onChange={(e) => setRuns(e.target.value)}
              placeholder="VISION-1, VISION-2"
            />
          </div>
          <div className="field">
            <label htmlFor="widget-query">…or the newest runs matching a query</label>
            <input
              id="widget-query"
              className="mono"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder='`sys/tags`:stringSet CONTAINS "prod"'
            />
          </div>
          <div className="field">
            <label htmlFor="widget-max">At most this many runs</label>
            <input
              id="widget-max"
              type="number"
              min={1}
              max={100}
              value={maxRuns}
              onChange={(e) => setMaxRuns(e.target.value)}
            />
          </div>
        </>
      )}
      {kind === 'lineChart' && (
        <div className="row">
          <label className="row">
            X axis
            <select value={xAxis} onChange={(e) => setXAxis(e.target.value)}>
              <option value="step">Step</option>
              <option value="time">Wall time</option>
              <option value="relative">Relative time</option>
            </select>
          </label>
          <label className="row">
            <input
              type="checkbox"
              checked={logScale}
              onChange={(e) => setLogScale(e.target.checked)}
            />{' '}
            Log scale
          </label>
        </div>
      )}
      {usesOneRun && (
        <>
          <div className="field">
            <label htmlFor="widget-run">Run</label>
            <input
              id="widget-run"
              value={run}
              onChange={(e) => setRun(e.target.value)}
              placeholder="VISION-12"
            />
          </div>
          <div className="field">
            <label htmlFor="widget-path">Field</label>
            <input id="widget-path" value={path} onChange={(e) => setPath(e.target.value)} />
          </div>
        </>
      )}
      {kind === 'fileContent' && (
        <div className="field">
          <label htmlFor="widget-file">File inside a file set (optional)</label>
          <input id="widget-file" value={file} onChange={(e) => setFile(e.target.value)} />
        </div>
      )}
      {kind === 'markdown' && (
        <div className="field">
          <label htmlFor="widget-text">Text (Markdown)</label>
          <textarea
            id="widget-text"
            rows={8}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
      )}
      {problem && (
        <div className="error-box" role="alert">
          {problem}
        </div>
      )}
    </Modal>
  )
}
