import type { AlignedValue } from './align-series.js'

/**
 * Exponential moving average with TensorBoard's debiasing: the first points are not pulled
 * towards zero. `weight` 0 leaves the series as it is; 0.99 smooths strongly. Gaps (null) and
 * alignment artifacts (undefined) stay where they are and are skipped by the average.
 */
export function smoothEma(values: readonly AlignedValue[], weight: number): AlignedValue[] {
  if (!(weight > 0)) return values.slice()
  const w = Math.min(weight, 0.999)
  const out = new Array<AlignedValue>(values.length)
  let last = 0
  let steps = 0
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined || !Number.isFinite(value)) {
      out[i] = value
      continue
    }
    last = last * w + (1 - w) * value
    steps++
    out[i] = last / (1 - Math.pow(w, steps))
  }
  return out
}
