/**
 * What the x axis shows: the step, wall-clock time, or time since the run's first point.
 * The server buckets by step or by time; relative time is wall time shifted per run.
 */
export type XAxisMode = 'step' | 'time' | 'relative'

export const X_AXIS_MODES: readonly XAxisMode[] = ['step', 'time', 'relative']

export function serverAxis(mode: XAxisMode): 'step' | 'time' {
  return mode === 'step' ? 'step' : 'time'
}

/**
 * Chart x units from server units: steps as they are; times (epoch ms) in seconds, as uPlot's
 * time scale wants them.
 */
export function toChartX(mode: XAxisMode, serverX: number): number {
  return mode === 'step' ? serverX : serverX / 1000
}

export function toServerX(mode: XAxisMode, chartX: number): number {
  return mode === 'step' ? chartX : chartX * 1000
}

/** "1h 02m", "3m 05s", "12.5s": a relative-time tick. */
export function formatElapsed(seconds: number): string {
  const sign = seconds < 0 ? '-' : ''
  let s = Math.abs(seconds)
  if (s < 60) return `${sign}${Number(s.toFixed(s < 10 ? 1 : 0))}s`
  const d = Math.floor(s / 86_400)
  s -= d * 86_400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s = Math.floor(s - m * 60)
  const pad = (n: number) => String(n).padStart(2, '0')
  if (d > 0) return `${sign}${d}d ${pad(h)}h`
  if (h > 0) return `${sign}${h}h ${pad(m)}m`
  return `${sign}${m}m ${pad(s)}s`
}
