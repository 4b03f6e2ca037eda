import { crc32 } from 'node:zlib'

/**
 * The records of the durable operation log. On disk every record is a frame
 *
 *   u32 LE body length | u32 LE crc32(body) | body
 *   body = u8 kind | f64 LE sequence number | payload
 *
 * so a torn write at the end of a file (a killed process, a full disk) is recognised and cut
 * off, and nothing after a damaged frame is trusted. Float series points, which are most of
 * what a training loop logs, are stored as raw float64 columns: encoding them is a memory
 * copy, not a `JSON.stringify` of every number.
 */

/** A file the sender uploads before it sends the operation that references it. */
export type FileSource =
  /** A file on disk, read when the operation is sent. */
  | { kind: 'path'; path: string }
  /** Bytes the SDK copied into the run's folder (`blobs/<id>`) when they were logged. */
  | { kind: 'stored'; id: string }

/** Operations that need uploads (or local hashing) before they become wire operations. */
export type FileOperation =
  | {
      op: 'uploadFile'
      path: string
      source: FileSource
      name?: string
      ext?: string
      contentType?: string
    }
  | {
      op: 'uploadFileSet'
      path: string
      reset: boolean
      files: { path: string; source: FileSource; mtime?: number }[]
    }
  | {
      op: 'appendFiles'
      path: string
      values: {
        source: FileSource
        name?: string
        ext?: string
        contentType?: string
        description?: string
      }[]
      steps: (number | null)[]
      timestamps: number[]
    }
  | { op: 'trackArtifact'; path: string; sources: string[] }

export type LogRecord =
  /** A wire operation, kept as its JSON text so sending splices it into the batch as is. */
  | { seq: number; kind: 'wire'; json: string }
  | {
      seq: number
      kind: 'floats'
      path: string
      /** NaN where the step was not given (the server assigns previous + 1). */
      steps: Float64Array
      values: Float64Array
      timestamps: Float64Array
    }
  | { seq: number; kind: 'files'; operation: FileOperation }

const KIND_WIRE = 1
const KIND_FLOATS = 2
const KIND_FILES = 3
const FRAME_HEADER = 8
const BODY_HEADER = 9

function frame(kind: number, seq: number, payloadLength: number): { frame: Buffer; at: number } {
  const frame = Buffer.allocUnsafe(FRAME_HEADER + BODY_HEADER + payloadLength)
  frame.writeUInt32LE(BODY_HEADER + payloadLength, 0)
  frame.writeUInt8(kind, FRAME_HEADER)
  frame.writeDoubleLE(seq, FRAME_HEADER + 1)
  return { frame, at: FRAME_HEADER + BODY_HEADER }
}

function seal(buffer: Buffer): Buffer {
  buffer.writeUInt32LE(crc32(buffer.subarray(FRAME_HEADER)), 4)
  return buffer
}

export function encodeWireRecord(seq: number, json: string): Buffer {
  const length = Buffer.byteLength(json)
  const { frame: buffer, at } = frame(KIND_WIRE, seq, length)
  buffer.write(json, at, 'utf8')
  return seal(buffer)
}

export function encodeFilesRecord(seq: number, operation: FileOperation): Buffer {
  const json = JSON.stringify(operation)
  const length = Buffer.byteLength(json)
  const { frame: buffer, at } = frame(KIND_FILES, seq, length)
  buffer.write(json, at, 'utf8')
  return seal(buffer)
}

/** The first `count` points of the columns; steps may hold NaN for "not given". */
export function encodeFloatsRecord(
  seq: number,
  path: string,
  steps: Float64Array,
  values: Float64Array,
  timestamps: Float64Array,
  count: number,
): Buffer {
  const pathLength = Buffer.byteLength(path)
  const columns = count * 8
  const { frame: buffer, at } = frame(KIND_FLOATS, seq, 8 + pathLength + 3 * columns)
  buffer.writeUInt32LE(pathLength, at)
  buffer.write(path, at + 4, 'utf8')
  buffer.writeUInt32LE(count, at + 4 + pathLength)
  let offset = at + 8 + pathLength
  for (const column of [steps, values, timestamps]) {
    buffer.set(new Uint8Array(column.buffer, column.byteOffset, columns), offset)
    offset += columns
  }
  return seal(buffer)
}

export type FrameRead =
  | { status: 'ok'; record: LogRecord; next: number }
  /** The frame continues past the end of the bytes read so far (or was torn by a crash). */
  | { status: 'incomplete'; needed: number }
  | { status: 'corrupt'; reason: string }

/** Reads the frame at `offset` of `bytes`. */
export function readFrame(bytes: Buffer, offset: number): FrameRead {
  if (bytes.length - offset < FRAME_HEADER) return { status: 'incomplete', needed: FRAME_HEADER }
  const length = bytes.readUInt32LE(offset)
  if (length < BODY_HEADER || length > 1 << 30)
    return { status: 'corrupt', reason: `impossible record length ${length}` }
  if (bytes.length - offset < FRAME_HEADER + length)
    return { status: 'incomplete', needed: FRAME_HEADER + length }
  const body = bytes.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + length)
  if (crc32(body) !== bytes.readUInt32LE(offset + 4))
    return { status: 'corrupt', reason: 'checksum mismatch' }
  try {
    return { status: 'ok', record: decodeBody(body), next: offset + FRAME_HEADER + length }
  } catch (error) {
    return { status: 'corrupt', reason: (error as Error).message }
  }
}

function decodeBody(body: Buffer): LogRecord {
  const kind = body.readUInt8(0)
  const seq = body.readDoubleLE(1)
  const payload = body.subarray(BODY_HEADER)
  switch (kind) {
    case KIND_WIRE:
      return { seq, kind: 'wire', json: payload.toString('utf8') }
    case KIND_FILES:
      return { seq, kind: 'files', operation: JSON.parse(payload.toString('utf8')) }
    case KIND_FLOATS: {
      const pathLength = payload.readUInt32LE(0)
      const path = payload.toString('utf8', 4, 4 + pathLength)
      const count = payload.readUInt32LE(4 + pathLength)
      let offset = 8 + pathLength
      const column = () => {
        const out = new Float64Array(count)
        new Uint8Array(out.buffer).set(payload.subarray(offset, offset + count * 8))
        offset += count * 8
        return out
      }
      const steps = column()
      const values = column()
      const timestamps = column()
      return { seq, kind: 'floats', path, steps, values, timestamps }
    }
    default:
      throw new Error(`unknown record kind ${kind}`)
  }
}

/** Number of points a record carries (1 for operations that are not appends). */
export function recordPoints(record: LogRecord): number {
  if (record.kind === 'floats') return record.values.length
  if (record.kind === 'wire' && record.json.startsWith('{"op":"append'))
    return (JSON.parse(record.json) as { values: unknown[] }).values.length
  if (record.kind === 'files' && record.operation.op === 'appendFiles')
    return record.operation.values.length
  return 1
}
