import type { SeriesBuckets } from '@nereid/store'
import { Type } from '@sinclair/typebox'
import { floatArray } from './present.js'

/** The x axis of a bucketed read: steps or wall time. */
export const BucketAxis = Type.Union([Type.Literal('step'), Type.Literal('time')], {
  default: 'step',
})

const FloatColumn = Type.Array(Type.Union([Type.Number(), Type.String()]), {
  description: 'Floats; NaN and infinities as strings',
})

/**
 * A float series downsampled for a chart, as the single-series and the many-line bucket
 * routes answer it: exact points (`mode: "points"`) or per-bucket columns.
 */
export const BucketColumns = {
  mode: Type.Union([Type.Literal('points'), Type.Literal('buckets')]),
  x: Type.String(),
  steps: Type.Optional(FloatColumn),
  timestamps: Type.Optional(FloatColumn),
  values: Type.Optional(FloatColumn),
  xFrom: Type.Optional(FloatColumn),
  xTo: Type.Optional(FloatColumn),
  count: Type.Optional(FloatColumn),
  min: Type.Optional(FloatColumn),
  max: Type.Optional(FloatColumn),
  mean: Type.Optional(FloatColumn),
  last: Type.Optional(FloatColumn),
  lastStep: Type.Optional(FloatColumn),
}

/** The columns of a bucketed read with non-finite floats spelled out. */
export function presentBuckets(result: SeriesBuckets): Record<string, unknown> {
  const body: Record<string, unknown> = { mode: result.mode, x: result.x }
  for (const [key, value] of Object.entries(result))
    if (value instanceof Float64Array) body[key] = floatArray(value)
  return body
}
