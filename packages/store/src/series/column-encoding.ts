import { readFloat64Column, writeFloat64Column } from './float-bytes.js'

/**
 * Compact encodings for the step and timestamp columns of a block (format version 2). Steps
 * are usually 0, 1, 2, …, and timestamps integral milliseconds close to each other: stored
 * raw they are two thirds of a float block. An arithmetic column costs 16 bytes, a column of
 * 32-bit offsets from a base half the raw size. Smaller blocks mean fewer database pages per
 * write and per chart read.
 *
 * Every encoding occupies a multiple of 8 bytes, so the value column after it stays aligned.
 */
export const COLUMN_RAW = 0
export const COLUMN_ARITHMETIC = 1
export const COLUMN_INT32_OFFSETS = 2

const INT32_MAX = 2 ** 31 - 1

export function chooseColumnEncoding(values: Float64Array): number {
  const n = values.length
  if (n <= 2) return COLUMN_RAW
  const first = values[0]!
  const delta = values[1]! - first
  if (Number.isFinite(delta)) {
    let arithmetic = true
    for (let i = 2; i < n; i++) {
      if (values[i] !== first + i * delta) {
        arithmetic = false
        break
      }
    }
    if (arithmetic) return COLUMN_ARITHMETIC
  }
  for (let i = 0; i < n; i++) {
    const offset = values[i]! - first
    if (
      !Number.isInteger(values[i]) ||
      offset > INT32_MAX ||
      offset < -INT32_MAX ||
      Object.is(values[i], -0)
    ) {
      return COLUMN_RAW
    }
  }
  return COLUMN_INT32_OFFSETS
}

export function encodedColumnBytes(encoding: number, n: number): number {
  switch (encoding) {
    case COLUMN_ARITHMETIC:
      return 16
    case COLUMN_INT32_OFFSETS:
      return 8 + Math.ceil((4 * n) / 8) * 8
    default:
      return 8 * n
  }
}

export function writeColumn(
  out: Uint8Array,
  offset: number,
  values: Float64Array,
  encoding: number,
): void {
  const view = new DataView(out.buffer, out.byteOffset + offset)
  switch (encoding) {
    case COLUMN_ARITHMETIC:
      view.setFloat64(0, values[0]!, true)
      view.setFloat64(8, values[1]! - values[0]!, true)
      return
    case COLUMN_INT32_OFFSETS: {
      const base = values[0]!
      view.setFloat64(0, base, true)
      for (let i = 0; i < values.length; i++) view.setInt32(8 + 4 * i, values[i]! - base, true)
      return
    }
    default:
      writeFloat64Column(out, offset, values)
  }
}

export function readColumn(
  bytes: Uint8Array,
  offset: number,
  n: number,
  encoding: number,
): Float64Array {
  switch (encoding) {
    case COLUMN_RAW:
      return readFloat64Column(bytes, offset, n)
    case COLUMN_ARITHMETIC: {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 16)
      const first = view.getFloat64(0, true)
      const delta = view.getFloat64(8, true)
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = first + i * delta
      return out
    }
    case COLUMN_INT32_OFFSETS: {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8 + 4 * n)
      const base = view.getFloat64(0, true)
      const out = new Float64Array(n)
      for (let i = 0; i < n; i++) out[i] = base + view.getInt32(8 + 4 * i, true)
      return out
    }
    default:
      throw new Error(`Corrupt series block: unknown column encoding ${encoding}`)
  }
}
