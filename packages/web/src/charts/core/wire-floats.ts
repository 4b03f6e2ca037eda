import type { WireFloat } from '../../api/wire-types.js'

/** Floats from JSON, where NaN and infinities travel as strings. */
export function floatsFromWire(values: readonly (WireFloat | unknown)[]): Float64Array {
  const out = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = floatFromWire(values[i])
  return out
}

export function floatFromWire(value: unknown): number {
  if (typeof value === 'number') return value
  if (value === 'Infinity') return Infinity
  if (value === '-Infinity') return -Infinity
  return Number.NaN
}
