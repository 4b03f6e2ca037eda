import type { BucketsWire } from '../../api/wire-types.js'
import { floatsFromWire } from './wire-floats.js'

/**
 * One run's series as a chart draws it: the line (`y`) and, when the server bucketed the
 * series, the band of each bucket's true minimum and maximum, so a spike that the line's mean
 * smooths away still shows. NaN in `y`, `min` or `max` is a real gap (no finite value there).
 */
export interface SeriesColumns {
  x: Float64Array
  y: Float64Array
  /** Null when the points are exact (no band needed). */
  min: Float64Array | null
  max: Float64Array | null
  /** True when every point of the range came back (no bucketing). */
  exact: boolean
}

/**
 * Converts a bucket read into columns. A bucket is drawn at the middle of the x extent of the
 * points it holds; empty buckets are left out (nothing was logged there, which is not a gap).
 * `xShift` is subtracted from every x (relative time: the run's start).
 */
export function columnsFromBuckets(wire: BucketsWire, xShift = 0): SeriesColumns {
  if (wire.mode === 'points') {
    const x = floatsFromWire(wire.x === 'step' ? wire.steps : wire.timestamps)
    if (xShift !== 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! - xShift
    return { x, y: floatsFromWire(wire.values), min: null, max: null, exact: true }
  }
  const count = floatsFromWire(wire.count)
  const xFrom = floatsFromWire(wire.xFrom)
  const xTo = floatsFromWire(wire.xTo)
  const mean = floatsFromWire(wire.mean)
  const min = floatsFromWire(wire.min)
  const max = floatsFromWire(wire.max)
  let filled = 0
  for (let i = 0; i < count.length; i++) if (count[i]! > 0) filled++
  const out = {
    x: new Float64Array(filled),
    y: new Float64Array(filled),
    min: new Float64Array(filled),
    max: new Float64Array(filled),
  }
  let j = 0
  for (let i = 0; i < count.length; i++) {
    if (!(count[i]! > 0)) continue
    out.x[j] = (xFrom[i]! + xTo[i]!) / 2 - xShift
    out.y[j] = mean[i]!
    out.min[j] = min[i]!
    out.max[j] = max[i]!
    j++
  }
  return { ...out, exact: false }
}

/** The x extent of columns, or null when they hold no point. */
export function xExtent(columns: SeriesColumns): { min: number; max: number } | null {
  const { x } = columns
  if (x.length === 0) return null
  return { min: x[0]!, max: x[x.length - 1]! }
}
