/**
 * A value in an aligned column: a number, `null` for a real gap (the series has a point there
 * but no finite value: the line breaks), or `undefined` for an alignment artifact (the series
 * has no point at this x because another series does: the line is drawn across). This is
 * uPlot's convention for joined data.
 */
export type AlignedValue = number | null | undefined

export interface AlignInput {
  /** Ascending x values. */
  x: Float64Array
  /** Columns of the same length as x (line, band min, band max, …). */
  columns: Float64Array[]
}

export interface Aligned {
  x: Float64Array
  /** Per input, its columns spread over the shared x. */
  columns: AlignedValue[][][]
}

/**
 * Joins series that were sampled at different x values (runs logged at different steps,
 * buckets of runs of different lengths) onto one shared, ascending x without duplicates.
 * When one input repeats an x, its last value there wins.
 */
export function alignSeries(inputs: readonly AlignInput[]): Aligned {
  let total = 0
  for (const input of inputs) total += input.x.length
  const all = new Float64Array(total)
  let offset = 0
  for (const input of inputs) {
    all.set(input.x, offset)
    offset += input.x.length
  }
  all.sort()
  let unique = 0
  for (let i = 0; i < all.length; i++) {
    const value = all[i]!
    if (Number.isNaN(value)) continue
    if (unique === 0 || all[unique - 1] !== value) all[unique++] = value
  }
  const x = all.slice(0, unique)

  const columns = inputs.map((input) => {
    const out = input.columns.map(() => new Array<AlignedValue>(unique).fill(undefined))
    let k = 0
    for (let i = 0; i < input.x.length; i++) {
      const at = input.x[i]!
      if (Number.isNaN(at)) continue
      while (x[k]! < at) k++
      input.columns.forEach((column, c) => {
        const value = column[i]!
        out[c]![k] = Number.isFinite(value) ? value : null
      })
    }
    return out
  })
  return { x, columns }
}
