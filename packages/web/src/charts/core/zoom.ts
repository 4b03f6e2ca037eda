import { toServerX, type XAxisMode } from './x-axis.js'

/** Bounds a chart asks the server for, in the server's units (steps or epoch ms). */
export interface ServerRange {
  from: number
  to: number
}

/** The most buckets one read may ask for (the server's limit). */
export const MAX_BUCKETS = 10_000

/**
 * One bucket per pixel column of the plot: as fine as the screen can show, so the band of
 * each bucket is exactly what one pixel column covers.
 */
export function bucketsForWidth(widthPx: number, pixelRatio = 1): number {
  const columns = Math.round(widthPx * Math.min(pixelRatio, 2))
  return Math.max(50, Math.min(MAX_BUCKETS, columns))
}

/**
 * The server range for a zoomed chart x range. `shift` is the run's start for relative time
 * (chart x 0 is the run's first point), 0 otherwise.
 */
export function serverRange(
  mode: XAxisMode,
  chart: { min: number; max: number },
  shift = 0,
): ServerRange {
  const from = toServerX(mode, chart.min) + shift
  const to = toServerX(mode, chart.max) + shift
  // Widen to whole steps (or milliseconds) so the points at both edges stay in.
  return { from: Math.floor(from), to: Math.ceil(to) }
}
