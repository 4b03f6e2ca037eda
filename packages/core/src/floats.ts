import type { FloatWire } from './operations.js'

/**
 * JSON has no NaN or Infinity. Nereid carries them as the strings "NaN", "Infinity" and
 * "-Infinity" in both directions; everywhere else a float is a plain JSON number.
 */
export function floatFromWire(value: FloatWire): number {
  if (typeof value === 'number') return value
  switch (value) {
    case 'NaN':
      return Number.NaN
    case 'Infinity':
      return Number.POSITIVE_INFINITY
    case '-Infinity':
      return Number.NEGATIVE_INFINITY
  }
}

export function floatToWire(value: number): FloatWire {
  if (Number.isFinite(value)) return value
  if (Number.isNaN(value)) return 'NaN'
  return value > 0 ? 'Infinity' : '-Infinity'
}
