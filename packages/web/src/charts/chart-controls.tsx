import { X_AXIS_MODES, type XAxisMode } from './core/x-axis.js'
import type { ChartSettings } from './metric-chart.js'

const MODE_LABELS: Record<XAxisMode, string> = {
  step: 'Step',
  time: 'Wall time',
  relative: 'Relative time',
}

/** The x axis, smoothing and log-scale settings shared by a page's charts. */
export function ChartControls({
  settings,
  onChange,
}: {
  settings: ChartSettings
  onChange(settings: ChartSettings): void
}) {
  return (
    <div className="row small">
      <label className="row">
        X axis
        <select
          aria-label="X axis"
          value={settings.mode}
          onChange={(event) => onChange({ ...settings, mode: event.target.value as XAxisMode })}
        >
          {X_AXIS_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {MODE_LABELS[mode]}
            </option>
          ))}
        </select>
      </label>
      <label className="row" title="Exponential moving average; the raw line stays faintly visible">
        Smoothing
        <input
          type="range"
          aria-label="Smoothing"
          min={0}
          max={0.99}
          step={0.01}
          value={settings.smoothing}
          onChange={(event) => onChange({ ...settings, smoothing: Number(event.target.value) })}
        />
        <span className="mono" style={{ width: 32 }}>
          {settings.smoothing.toFixed(2)}
        </span>
      </label>
      <label className="row">
        <input
          type="checkbox"
          checked={settings.logScale}
          onChange={(event) => onChange({ ...settings, logScale: event.target.checked })}
        />
        Log scale
      </label>
    </div>
  )
}
