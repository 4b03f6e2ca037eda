import type { FileInfo } from '@nereid/core'
import {
  chooseColumnEncoding,
  COLUMN_RAW,
  encodedColumnBytes,
  readColumn,
  writeColumn,
} from './column-encoding.js'
import { readFloat64Column, readUint32, writeFloat64Column, writeUint32 } from './float-bytes.js'

/**
 * Series points are stored as packed blocks (`series_blocks.payload`), not one row per point:
 * a row per point tops out near 0.8 M points/s on SQLite, blocks reach several million.
 *
 * Payload format, version 1 (all numbers little-endian):
 *
 *   offset 0       u8   format version (1)
 *   offset 1       u8   kind: 0 = float, 1 = string, 2 = file
 *   offset 2       u16  reserved, 0
 *   offset 4       u32  count (n)
 *   offset 8       f64[n] steps
 *   offset 8+8n    f64[n] timestamps (epoch ms)
 *   offset 8+16n   float:       f64[n] values, and nothing after (length is exactly 8+24n)
 *                  string/file: the values as a UTF-8 JSON array of n items, to the end
 *
 * The 8-byte header keeps every float column 8-byte aligned, so a payload whose bytes start
 * on an 8-byte boundary decodes to Float64Array views over it without copying. Float values
 * are copied bytewise, so NaN, ±Infinity and -0 survive bit-exactly.
 *
 * Version 2 (what is written now) is the same but for two header bytes and the encoding of
 * the step and timestamp columns (column-encoding.ts):
 *
 *   offset 2       u8   step column encoding (0 raw, 1 arithmetic, 2 int32 offsets)
 *   offset 3       u8   timestamp column encoding (same codes)
 *   offset 8       steps, then timestamps, each in its encoding (a multiple of 8 bytes)
 *   then           values exactly as in version 1
 *
 * Version 1 blocks stay readable.
 */

export const BLOCK_CAPACITY = 1024
export const BLOCK_FORMAT_VERSION = 2

const HEADER_BYTES = 8
const KIND_FLOAT = 0
const KIND_STRING = 1
const KIND_FILE = 2

export interface FloatColumns {
  steps: Float64Array
  timestamps: Float64Array
  values: Float64Array
}

export interface StringColumns {
  steps: Float64Array
  timestamps: Float64Array
  values: string[]
}

export interface FileColumns {
  steps: Float64Array
  timestamps: Float64Array
  values: FileInfo[]
}

export type SeriesColumns = FloatColumns | StringColumns | FileColumns

export type DecodedBlock =
  | ({ type: 'floatSeries' } & FloatColumns)
  | ({ type: 'stringSeries' } & StringColumns)
  | ({ type: 'fileSeries' } & FileColumns)

export type SeriesType = DecodedBlock['type']

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

export function encodeFloatBlock(cols: FloatColumns): Uint8Array {
  const n = columnCount(cols)
  const layout = columnLayout(cols)
  const out = new Uint8Array(layout.valuesAt + 8 * n)
  writeHeaderAndSteps(out, KIND_FLOAT, cols, layout)
  writeFloat64Column(out, layout.valuesAt, cols.values)
  return out
}

export function encodeStringBlock(cols: StringColumns): Uint8Array {
  columnCount(cols)
  return encodeJsonBlock(KIND_STRING, cols, cols.values)
}

export function encodeFileBlock(cols: FileColumns): Uint8Array {
  columnCount(cols)
  // Only the known fields are kept, so stray properties on the caller's objects never
  // reach the database and every stored file decodes to the same shape.
  const files = cols.values.map((f) => ({
    hash: f.hash,
    size: f.size,
    name: f.name,
    ext: f.ext,
    contentType: f.contentType,
  }))
  return encodeJsonBlock(KIND_FILE, cols, files)
}

/**
 * Decodes a payload. Float columns alias `bytes` when it is 8-byte aligned (callers must not
 * reuse the buffer while holding the result) and are copies otherwise.
 */
export function decodeBlock(bytes: Uint8Array): DecodedBlock {
  if (bytes.length < HEADER_BYTES) {
    throw new Error(`Corrupt series block: ${bytes.length} bytes, shorter than the 8-byte header`)
  }
  const version = bytes[0]!
  const kind = bytes[1]!
  if (version !== 1 && version !== BLOCK_FORMAT_VERSION) {
    throw new Error(`Corrupt series block: unknown format version ${version} (expected 1 or 2)`)
  }
  if (version === 1 && (bytes[2] !== 0 || bytes[3] !== 0)) {
    throw new Error('Corrupt series block: reserved header bytes are not zero')
  }
  const n = readUint32(bytes, 4)
  const stepEncoding = version === 1 ? COLUMN_RAW : bytes[2]!
  const timestampEncoding = version === 1 ? COLUMN_RAW : bytes[3]!
  const timestampsAt = HEADER_BYTES + encodedColumnBytes(stepEncoding, n)
  const columnsEnd = timestampsAt + encodedColumnBytes(timestampEncoding, n)
  if (bytes.length < columnsEnd) {
    throw new Error(`Corrupt series block: ${bytes.length} bytes cannot hold ${n} points`)
  }
  const readSteps = () => readColumn(bytes, HEADER_BYTES, n, stepEncoding)
  const readTimestamps = () => readColumn(bytes, timestampsAt, n, timestampEncoding)
  if (kind === KIND_FLOAT) {
    const expected = columnsEnd + 8 * n
    if (bytes.length !== expected) {
      throw new Error(
        `Corrupt series block: float block of ${n} points must be ${expected} bytes, got ${bytes.length}`,
      )
    }
    return {
      type: 'floatSeries',
      steps: readSteps(),
      timestamps: readTimestamps(),
      values: readFloat64Column(bytes, columnsEnd, n),
    }
  }
  if (kind !== KIND_STRING && kind !== KIND_FILE) {
    throw new Error(`Corrupt series block: unknown kind ${kind} (expected 0, 1 or 2)`)
  }
  if (bytes.length < columnsEnd + 2) {
    throw new Error(
      `Corrupt series block: ${bytes.length} bytes cannot hold ${n} points and a JSON value array`,
    )
  }
  const values = parseJsonValues(bytes.subarray(columnsEnd), n)
  const steps = readSteps()
  const timestamps = readTimestamps()
  if (kind === KIND_STRING) {
    for (let i = 0; i < n; i++) {
      if (typeof values[i] !== 'string') {
        throw new Error(`Corrupt series block: string value ${i} is not a string`)
      }
    }
    return { type: 'stringSeries', steps, timestamps, values: values as string[] }
  }
  for (let i = 0; i < n; i++) {
    if (!isFileInfo(values[i])) {
      throw new Error(`Corrupt series block: file value ${i} is not a file description`)
    }
  }
  return { type: 'fileSeries', steps, timestamps, values: values as FileInfo[] }
}

/** Appends `b` after `a` (e.g. a partial tail block and new points) into fresh arrays. */
export function concatColumns<C extends SeriesColumns>(a: C, b: C): C {
  const steps = concatFloat64(a.steps, b.steps)
  const timestamps = concatFloat64(a.timestamps, b.timestamps)
  const values =
    a.values instanceof Float64Array
      ? concatFloat64(a.values, b.values as Float64Array)
      : [...(a.values as unknown[]), ...(b.values as unknown[])]
  return { steps, timestamps, values } as C
}

/** Points [start, end) as views (floats) or shallow copies (strings, files). */
export function sliceColumns<C extends SeriesColumns>(cols: C, start: number, end: number): C {
  const values =
    cols.values instanceof Float64Array
      ? cols.values.subarray(start, end)
      : (cols.values as unknown[]).slice(start, end)
  return {
    steps: cols.steps.subarray(start, end),
    timestamps: cols.timestamps.subarray(start, end),
    values,
  } as C
}

export function concatFloat64(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

function columnCount(cols: SeriesColumns): number {
  const n = cols.steps.length
  if (cols.timestamps.length !== n || cols.values.length !== n) {
    throw new Error(
      `Series columns differ in length: ${n} steps, ${cols.timestamps.length} timestamps, ${cols.values.length} values`,
    )
  }
  if (n > 0xffffffff) throw new Error(`A series block cannot hold ${n} points`)
  return n
}

interface ColumnLayout {
  steps: number
  timestamps: number
  timestampsAt: number
  valuesAt: number
}

function columnLayout(cols: SeriesColumns): ColumnLayout {
  const n = cols.steps.length
  const steps = chooseColumnEncoding(cols.steps)
  const timestamps = chooseColumnEncoding(cols.timestamps)
  const timestampsAt = HEADER_BYTES + encodedColumnBytes(steps, n)
  return {
    steps,
    timestamps,
    timestampsAt,
    valuesAt: timestampsAt + encodedColumnBytes(timestamps, n),
  }
}

function writeHeaderAndSteps(
  out: Uint8Array,
  kind: number,
  cols: SeriesColumns,
  layout: ColumnLayout,
): void {
  const n = cols.steps.length
  out[0] = BLOCK_FORMAT_VERSION
  out[1] = kind
  out[2] = layout.steps
  out[3] = layout.timestamps
  writeUint32(out, 4, n)
  writeColumn(out, HEADER_BYTES, cols.steps, layout.steps)
  writeColumn(out, layout.timestampsAt, cols.timestamps, layout.timestamps)
}

function encodeJsonBlock(kind: number, cols: SeriesColumns, values: unknown[]): Uint8Array {
  const json = utf8Encoder.encode(JSON.stringify(values))
  const layout = columnLayout(cols)
  const out = new Uint8Array(layout.valuesAt + json.length)
  writeHeaderAndSteps(out, kind, cols, layout)
  out.set(json, layout.valuesAt)
  return out
}

function parseJsonValues(bytes: Uint8Array, n: number): unknown[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(utf8Decoder.decode(bytes))
  } catch (error) {
    throw new Error(`Corrupt series block: value array is not UTF-8 JSON (${String(error)})`)
  }
  if (!Array.isArray(parsed)) throw new Error('Corrupt series block: values are not a JSON array')
  if (parsed.length !== n) {
    throw new Error(
      `Corrupt series block: header says ${n} points, value array holds ${parsed.length}`,
    )
  }
  return parsed
}

function isFileInfo(value: unknown): value is FileInfo {
  if (typeof value !== 'object' || value === null) return false
  const file = value as Record<string, unknown>
  return (
    typeof file.hash === 'string' &&
    typeof file.size === 'number' &&
    typeof file.name === 'string' &&
    typeof file.ext === 'string' &&
    typeof file.contentType === 'string'
  )
}
