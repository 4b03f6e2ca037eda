/**
 * The polylines of a sparkline: values scaled into a width × height box (y grows downwards),
 * broken where a value is not finite. A flat series is drawn through the middle.
 */
export function sparklineSegments(
  values: ArrayLike<number>,
  width: number,
  height: number,
  padding = 2,
): [number, number][][] {
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (!Number.isFinite(value)) continue
    if (value < min) min = value
    if (value > max) max = value
  }
  if (min === Infinity) return []
  const span = max - min
  const innerHeight = height - 2 * padding
  const step = values.length > 1 ? (width - 2 * padding) / (values.length - 1) : 0
  const segments: [number, number][][] = []
  let current: [number, number][] = []
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (!Number.isFinite(value)) {
      if (current.length > 0) segments.push(current)
      current = []
      continue
    }
    const y = span === 0 ? height / 2 : padding + innerHeight * (1 - (value - min) / span)
    current.push([padding + i * step, y])
  }
  if (current.length > 0) segments.push(current)
  return segments
}
