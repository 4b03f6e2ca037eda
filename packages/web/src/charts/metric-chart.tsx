import { useEffect, useMemo, useRef, useState } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { ProjectRef } from '../api/nereid-api.js'
import { describeError } from '../api/describe-error.js'
import { buildPlotData, type PlotData } from './core/plot-data.js'
import { formatElapsed, type XAxisMode } from './core/x-axis.js'
import { bucketsForWidth } from './core/zoom.js'
import { useChartData, type ChartLine } from './use-chart-data.js'
import { formatNumber } from '../runs-table/core/format-value.js'

const NO_LINES: ChartLine[] = []

export interface ChartSettings {
  mode: XAxisMode
  smoothing: number
  logScale: boolean
}

/**
 * A line chart of float series: the server's buckets drawn as a line with the min/max band of
 * each pixel column, so no spike is hidden; dragging zooms, and the zoomed range is read again
 * at full resolution; double-click zooms out. uPlot draws; this component only feeds it.
 */
export function MetricChart({
  projectRef,
  lines,
  settings,
  height = 240,
  title,
}: {
  projectRef: ProjectRef
  lines: ChartLine[]
  settings: ChartSettings
  height?: number
  title?: string
}) {
  const box = useRef<HTMLDivElement>(null)
  const plotRef = useRef<uPlot | null>(null)
  const [width, setWidth] = useState(0)
  const [range, setRange] = useState<{ min: number; max: number } | null>(null)
  const [cursor, setCursor] = useState<number | null>(null)
  useEffect(() => setRange(null), [settings.mode])

  useEffect(() => {
    const element = box.current
    if (!element) return
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  // Buckets follow the width in steps of 100 px, so a small resize does not read again.
  const buckets = bucketsForWidth(
    Math.max(100, Math.ceil(width / 100) * 100),
    window.devicePixelRatio,
  )
  // Nothing is read before the first layout: the width decides the bucket count.
  const data = useChartData(projectRef, width > 0 ? lines : NO_LINES, settings.mode, range, buckets)
  const plot = useMemo(
    () => buildPlotData(data.runs, settings),
    [data.runs, settings.mode, settings.smoothing, settings.logScale],
  )
  const latest = useRef({ plot, range, refining: data.refining || data.loading })
  latest.current = { plot, range, refining: data.refining || data.loading }
  useEffect(() => {
    performance.mark('nereid:chart-mount', { detail: { lines: lines.length } })
  }, [])

  // Creates the chart when its shape changes; feeds new data into the same chart otherwise.
  const shape = `${settings.mode}|${settings.logScale}|${plot.series.map((s) => `${s.runKey}:${s.role}:${s.color}`).join(',')}`
  useEffect(() => {
    const element = box.current
    // Drawn once every line has answered: one chart build instead of one per arriving line.
    if (!element || width === 0 || plot.series.length === 0 || data.loading) return
    const styles = getComputedStyle(element)
    const axisStroke = styles.getPropertyValue('--fg-soft').trim() || '#59636e'
    const gridStroke = styles.getPropertyValue('--border-soft').trim() || '#e5e9ee'
    const axis = {
      stroke: axisStroke,
      grid: { stroke: gridStroke, width: 1 },
      ticks: { stroke: gridStroke },
    }
    const options: uPlot.Options = {
      width,
      height,
      scales: { x: { time: settings.mode === 'time' }, y: settings.logScale ? { distr: 3 } : {} },
      axes: [
        {
          ...axis,
          ...(settings.mode === 'relative'
            ? { values: (_u: uPlot, splits: number[]) => splits.map(formatElapsed) }
            : {}),
        },
        {
          ...axis,
          size: 60,
          // uPlot's own labels on a log axis (powers of ten); elsewhere Nereid's number format.
          ...(settings.logScale
            ? {}
            : {
                values: (_u: uPlot, splits: (number | null)[]) =>
                  splits.map((value) => (value === null ? '' : formatNumber(value))),
              }),
        },
      ],
      series: [
        {},
        ...plot.series.map((series): uPlot.Series => ({
          label: `${series.label} (${series.role})`,
          stroke:
            series.role === 'line'
              ? series.color
              : series.role === 'raw'
                ? `${series.color}55`
                : 'transparent',
          width: series.role === 'line' ? 1.5 : 1,
          points: { show: false },
          spanGaps: false,
        })),
      ],
      bands: plot.bands.map(([upper, lower]) => ({
        series: [upper, lower] as [number, number],
        fill: `${plot.series[upper - 1]!.color}33`,
      })),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4) return
            const min = u.posToVal(u.select.left, 'x')
            const max = u.posToVal(u.select.left + u.select.width, 'x')
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false)
            // Redraw at once with what is loaded; finer data follows.
            latest.current = { ...latest.current, range: { min, max }, refining: true }
            u.setScale('x', { min, max })
            setRange({ min, max })
          },
        ],
        setCursor: [(u) => setCursor(u.cursor.idx ?? null)],
        draw: [(u) => markDrawn(element, u, latest.current)],
      },
    }
    const chart = new uPlot(options, plot.data as uPlot.AlignedData, element)
    plotRef.current = chart
    const onDoubleClick = () => setRange(null)
    chart.over.addEventListener('dblclick', onDoubleClick)
    return () => {
      chart.over.removeEventListener('dblclick', onDoubleClick)
      chart.destroy()
      plotRef.current = null
    }
    // The chart is rebuilt only for a new shape or size; data changes go through setData.
  }, [shape, width, height, data.loading])

  useEffect(() => {
    const chart = plotRef.current
    if (!chart) return
    chart.setData(plot.data as uPlot.AlignedData, range === null)
    if (range) chart.setScale('x', range)
  }, [plot, range])

  const legend = legendAt(plot, cursor)
  const firstError = data.errors[0]
  return (
    <div className="metric-chart">
      {title && <div className="chart-title">{title}</div>}
      <div className="chart-status small muted">
        {(data.loading || data.refining) && <span className="spinner" title="Loading" />}
        {range && (
          <button className="link small" onClick={() => setRange(null)}>
            Reset zoom
          </button>
        )}
      </div>
      <div
        ref={box}
        className="chart-canvas"
        style={{ minHeight: height }}
        data-lines={lines.length}
      />
      {firstError && (
        <div className="small" style={{ color: 'var(--danger)' }}>
          {firstError.line.label}: {describeError(firstError.error).detail}
        </div>
      )}
      {!data.loading && width > 0 && lines.length > 0 && plot.points === 0 && (
        <div className="small muted">No points logged yet.</div>
      )}
      <div className="row small" style={{ gap: 12, marginTop: 4 }}>
        {legend.map((entry) => (
          <span key={entry.key} className="row" style={{ gap: 4 }}>
            <span
              style={{ width: 10, height: 3, background: entry.color, display: 'inline-block' }}
            />
            <span className="ellipsis" style={{ maxWidth: 220 }} title={entry.label}>
              {entry.label}
            </span>
            {entry.value !== null && <strong>{formatNumber(entry.value)}</strong>}
          </span>
        ))}
      </div>
    </div>
  )
}

function legendAt(plot: PlotData, index: number | null) {
  return plot.series.flatMap((series, i) => {
    if (series.role !== 'line') return []
    const value = index === null ? undefined : plot.data[i + 1]![index]
    return [
      {
        key: series.runKey,
        label: series.label,
        color: series.color,
        value: typeof value === 'number' ? value : null,
      },
    ]
  })
}

/**
 * Marks the chart drawn, with how many points and whether more precise data is still coming,
 * for the end-to-end tests and the browser benchmark.
 */
function markDrawn(
  element: HTMLElement,
  u: uPlot,
  state: { plot: PlotData; range: { min: number; max: number } | null; refining: boolean },
): void {
  let finite = 0
  for (let s = 1; s < u.data.length; s++) {
    for (const value of u.data[s]!)
      if (typeof value === 'number' && Number.isFinite(value)) finite++
  }
  element.dataset.points = String(finite)
  performance.mark('nereid:chart-drawn', {
    detail: {
      points: finite,
      series: state.plot.series.length,
      zoomed: state.range !== null,
      final: !state.refining,
    },
  })
}
