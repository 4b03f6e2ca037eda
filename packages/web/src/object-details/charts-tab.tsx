import { useMemo, useState } from 'react'
import type { ProjectRef } from '../api/nereid-api.js'
import type { FieldWire, ObjectInfo } from '../api/wire-types.js'
import { ChartControls } from '../charts/chart-controls.js'
import { RUN_PALETTE } from '../charts/core/run-colors.js'
import { LazyMount } from '../charts/lazy-mount.js'
import { MetricChart, type ChartSettings } from '../charts/metric-chart.js'
import type { ChartLine } from '../charts/use-chart-data.js'
import { isMonitoringPath } from './object-fields.js'

/**
 * Charts of an object's float series: a grid (charts mount as they scroll into view), a search,
 * and "combine" to draw the chosen series together in one chart.
 */
export function ChartsTab({
  projectRef,
  object,
  fields,
  monitoring = false,
}: {
  projectRef: ProjectRef
  object: ObjectInfo
  fields: FieldWire[]
  monitoring?: boolean
}) {
  const [settings, setSettings] = useState<ChartSettings>({
    mode: 'step',
    smoothing: 0,
    logScale: false,
  })
  const [search, setSearch] = useState('')
  const [combined, setCombined] = useState<ReadonlySet<string>>(new Set())
  const series = useMemo(
    () =>
      fields
        .filter(
          (field) => field.type === 'floatSeries' && isMonitoringPath(field.path) === monitoring,
        )
        .map((field) => field.path)
        .sort(),
    [fields, monitoring],
  )
  const needle = search.trim().toLowerCase()
  const shown = needle ? series.filter((path) => path.toLowerCase().includes(needle)) : series
  const start = Date.parse(object.createdAt)
  const line = (path: string, index: number): ChartLine => ({
    key: path,
    object: object.id,
    path,
    label: path,
    color: RUN_PALETTE[index % RUN_PALETTE.length]!,
    start,
  })
  const toggle = (path: string) =>
    setCombined((current) => {
      const next = new Set(current)
      if (next.has(path)) next.delete(path)
      else next.add(path)
      return next
    })

  if (series.length === 0) {
    return (
      <div className="page muted">
        {monitoring
          ? 'No monitoring was recorded for this run (CPU, memory and GPU are logged under monitoring/ by the clients).'
          : 'This object has no float series yet.'}
      </div>
    )
  }
  return (
    <div className="page">
      <div className="row" style={{ marginBottom: 12 }}>
        <input
          aria-label="Search charts"
          placeholder={`Search ${series.length} series`}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <ChartControls settings={settings} onChange={setSettings} />
        {combined.size > 0 && (
          <button onClick={() => setCombined(new Set())}>Clear combined ({combined.size})</button>
        )}
      </div>
      {combined.size > 0 && (
        <div className="chart-card" style={{ marginBottom: 12 }}>
          <MetricChart
            projectRef={projectRef}
            title={`${combined.size} series together`}
            lines={[...combined].map((path, index) => line(path, index))}
            settings={settings}
            height={320}
          />
        </div>
      )}
      <div className="chart-grid">
        {shown.map((path, index) => (
          <div key={path} className="chart-card" data-chart={path}>
            <label
              className="row small"
              style={{ position: 'absolute', right: 90, top: 10, zIndex: 2 }}
            >
              <input type="checkbox" checked={combined.has(path)} onChange={() => toggle(path)} />
              combine
            </label>
            <LazyMount minHeight={260}>
              <MetricChart
                projectRef={projectRef}
                title={path}
                lines={[line(path, index)]}
                settings={settings}
              />
            </LazyMount>
          </div>
        ))}
      </div>
    </div>
  )
}
