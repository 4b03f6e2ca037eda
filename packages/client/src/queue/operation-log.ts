import { join } from 'node:path'
import type { FileSystem } from '../env.js'
import { readFrame, recordPoints, type LogRecord } from './log-record.js'

/** How much one read from the log may return; the sender turns it into one request. */
export interface ReadLimits {
  records: number
  points: number
  bytes: number
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  records: 1000,
  points: 200_000,
  bytes: 8 * 1024 * 1024,
}

interface Segment {
  firstSeq: number
  file: string
  size: number
}

const SEGMENT_NAME = /^(\d{16})\.log$/

/**
 * The append-only operation log of one object, in `<folder>/log/`: numbered records in
 * segment files named by their first sequence number, plus `ack`, the highest sequence number
 * the server acknowledged. Records up to `ack` may be forgotten: whole segments below it are
 * deleted. Writes go to the page cache at once (a killed process loses nothing written) and
 * reach the disk at the next `flushToDisk` (the SDK does it every second and at stop), not once
 * per record.
 *
 * One process owns a log at a time (see `folder-lock.ts`); readers in the same process follow
 * the writer through `readAfter`.
 */
export class OperationLog {
  readonly folder: string
  readonly #fs: FileSystem
  readonly #segments: Segment[]
  readonly #maxSegmentBytes: number
  #fd: number | null = null
  #lastSeq: number
  #ackedSeq: number
  #unsyncedBytes = 0
  #syncing = false
  #readCursor: { segment: number; offset: number; seq: number } | null = null
  /** Records dropped while opening because their frames were damaged. */
  readonly damaged: string[] = []

  private constructor(
    folder: string,
    fs: FileSystem,
    segments: Segment[],
    lastSeq: number,
    ackedSeq: number,
    maxSegmentBytes: number,
  ) {
    this.folder = folder
    this.#fs = fs
    this.#segments = segments
    this.#lastSeq = lastSeq
    this.#ackedSeq = ackedSeq
    this.#maxSegmentBytes = maxSegmentBytes
  }

  /**
   * Opens the log of `folder` (creating it when missing). A frame torn by a crash at the end of
   * the last segment is cut off, so appending continues after the last whole record.
   */
  static open(
    folder: string,
    fs: FileSystem,
    options: { maxSegmentBytes?: number; readOnly?: boolean } = {},
  ): OperationLog {
    const logDir = join(folder, 'log')
    if (!options.readOnly) fs.mkdirSync(logDir, { recursive: true })
    const names = fs.existsSync(logDir) ? (fs.readdirSync(logDir) as string[]) : []
    const segments: Segment[] = names
      .map((name) => SEGMENT_NAME.exec(name))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({
        firstSeq: Number(match[1]),
        file: join(logDir, match[0]),
        size: fs.statSync(join(logDir, match[0])).size,
      }))
      .sort((a, b) => a.firstSeq - b.firstSeq)
    const ackedSeq = readAck(folder, fs)
    const log = new OperationLog(
      folder,
      fs,
      segments,
      ackedSeq,
      ackedSeq,
      options.maxSegmentBytes ?? 64 * 1024 * 1024,
    )
    log.#recoverTail(options.readOnly ?? false)
    return log
  }

  /** Highest sequence number written. */
  get lastSeq(): number {
    return this.#lastSeq
  }

  /** Highest sequence number the server acknowledged (or that needs no sending). */
  get ackedSeq(): number {
    return this.#ackedSeq
  }

  get pendingRecords(): number {
    return this.#lastSeq - this.#ackedSeq
  }

  /** Bytes of the log files on disk. */
  get bytesOnDisk(): number {
    return this.#segments.reduce((sum, segment) => sum + segment.size, 0)
  }

  /**
   * Appends encoded records whose sequence numbers run from `lastSeq + 1` to `newLastSeq`, in
   * one write.
   */
  append(frames: Buffer[], newLastSeq: number): void {
    if (frames.length === 0) return
    const bytes = frames.length === 1 ? frames[0]! : Buffer.concat(frames)
    let segment = this.#segments.at(-1)
    if (segment === undefined || (segment.size > 0 && segment.size >= this.#maxSegmentBytes)) {
      segment = this.#startSegment(this.#lastSeq + 1)
    }
    const fd = this.#writeFd(segment)
    let written = 0
    while (written < bytes.length) {
      written += this.#fs.writeSync(fd, bytes, written, bytes.length - written)
    }
    segment.size += bytes.length
    this.#unsyncedBytes += bytes.length
    this.#lastSeq = newLastSeq
  }

  /**
   * Records after `afterSeq`, within `limits` (at least one record when there is any). Reads
   * follow on from where the previous read stopped, so the sender never rescans the log.
   */
  readAfter(afterSeq: number, limits: ReadLimits = DEFAULT_READ_LIMITS): LogRecord[] {
    if (afterSeq >= this.#lastSeq) return []
    const reused = this.#readCursor !== null && this.#readCursor.seq === afterSeq
    const records = this.#read(
      afterSeq,
      limits,
      reused ? { ...this.#readCursor! } : this.#seek(afterSeq),
    )
    // A cursor that found nothing where records should be is retried from the segment start.
    return records.length === 0 && reused
      ? this.#read(afterSeq, limits, this.#seek(afterSeq))
      : records
  }

  #read(
    afterSeq: number,
    limits: ReadLimits,
    cursor: { segment: number; offset: number; seq: number },
  ): LogRecord[] {
    const records: LogRecord[] = []
    let points = 0
    let bytes = 0
    segments: while (cursor.segment < this.#segments.length) {
      const segment = this.#segments[cursor.segment]!
      const isLast = cursor.segment === this.#segments.length - 1
      if (cursor.offset >= segment.size) {
        if (isLast) break
        Object.assign(cursor, { segment: cursor.segment + 1, offset: 0 })
        continue
      }
      let chunk = this.#readChunk(segment, cursor.offset, Math.max(limits.bytes, 65_536))
      let at = 0
      for (;;) {
        if (cursor.offset + at >= segment.size) {
          cursor.offset += at
          continue segments
        }
        const read = readFrame(chunk, at)
        if (read.status === 'ok') {
          const record = read.record
          if (record.seq > afterSeq) {
            const size = read.next - at
            if (
              records.length > 0 &&
              (records.length >= limits.records ||
                points + recordPoints(record) > limits.points ||
                bytes + size > limits.bytes)
            ) {
              cursor.offset += at
              break segments
            }
            records.push(record)
            points += recordPoints(record)
            bytes += size
          }
          cursor.seq = record.seq
          at = read.next
          continue
        }
        if (read.status === 'incomplete' && cursor.offset + at + read.needed <= segment.size) {
          cursor.offset += at
          // A record larger than the chunk is read whole; otherwise read on from here.
          chunk = this.#readChunk(segment, cursor.offset, Math.max(read.needed, limits.bytes))
          at = 0
          continue
        }
        if (read.status === 'incomplete' && isLast) {
          // The end of what was written (a torn tail is cut off when the log is opened).
          cursor.offset += at
          break segments
        }
        // Unreadable from here to the end of this segment: skip to the next one.
        const reason = read.status === 'corrupt' ? read.reason : 'record cut short'
        this.damaged.push(`${segment.file} at byte ${cursor.offset + at}: ${reason}`)
        Object.assign(cursor, { segment: cursor.segment + 1, offset: 0 })
        continue segments
      }
    }
    this.#readCursor = cursor
    return records
  }

  /**
   * Records that the server holds everything up to `seq`: persists the position and deletes
   * segments that hold nothing newer.
   */
  acknowledge(seq: number): void {
    if (seq <= this.#ackedSeq) return
    this.#ackedSeq = Math.min(seq, this.#lastSeq)
    const ack = join(this.folder, 'ack')
    this.#fs.writeFileSync(`${ack}.tmp`, String(this.#ackedSeq))
    this.#fs.renameSync(`${ack}.tmp`, ack)
    // Delete every segment whose successor starts at or below the acknowledged position + 1.
    let removable = 0
    while (
      removable < this.#segments.length - 1 &&
      this.#segments[removable + 1]!.firstSeq - 1 <= this.#ackedSeq
    ) {
      removable++
    }
    for (let i = 0; i < removable; i++) this.#fs.rmSync(this.#segments[i]!.file, { force: true })
    if (removable > 0) {
      this.#segments.splice(0, removable)
      if (this.#readCursor) {
        this.#readCursor = {
          ...this.#readCursor,
          segment: Math.max(0, this.#readCursor.segment - removable),
        }
      }
    }
  }

  /** Starts writing the written bytes to the disk in the background (fdatasync). */
  flushToDisk(done?: (error: Error | null) => void): void {
    if (this.#fd === null || this.#unsyncedBytes === 0 || this.#syncing) {
      done?.(null)
      return
    }
    this.#syncing = true
    this.#unsyncedBytes = 0
    this.#fs.fdatasync(this.#fd, (error) => {
      this.#syncing = false
      done?.(error)
    })
  }

  /** Writes the written bytes to the disk before returning (used at stop and on a crash). */
  flushToDiskNow(): void {
    if (this.#fd === null || this.#unsyncedBytes === 0) return
    this.#fs.fsyncSync(this.#fd)
    this.#unsyncedBytes = 0
  }

  close(): void {
    if (this.#fd !== null) {
      this.flushToDiskNow()
      this.#fs.closeSync(this.#fd)
      this.#fd = null
    }
  }

  #seek(afterSeq: number): { segment: number; offset: number; seq: number } {
    let index = 0
    for (let i = 0; i < this.#segments.length; i++) {
      if (this.#segments[i]!.firstSeq <= afterSeq + 1) index = i
    }
    const first = this.#segments[index]?.firstSeq ?? afterSeq + 1
    return { segment: index, offset: 0, seq: first - 1 }
  }

  #readChunk(segment: Segment, offset: number, length: number): Buffer {
    const size = Math.max(0, Math.min(length, segment.size - offset))
    const buffer = Buffer.allocUnsafe(size)
    if (size === 0) return buffer
    const fd = this.#fs.openSync(segment.file, 'r')
    try {
      let read = 0
      while (read < size) {
        const n = this.#fs.readSync(fd, buffer, read, size - read, offset + read)
        if (n === 0) break
        read += n
      }
      return read === size ? buffer : buffer.subarray(0, read)
    } finally {
      this.#fs.closeSync(fd)
    }
  }

  #startSegment(firstSeq: number): Segment {
    if (this.#fd !== null) {
      this.flushToDiskNow()
      this.#fs.closeSync(this.#fd)
      this.#fd = null
    }
    const name = `${String(firstSeq).padStart(16, '0')}.log`
    const segment = { firstSeq, file: join(this.folder, 'log', name), size: 0 }
    this.#segments.push(segment)
    return segment
  }

  #writeFd(segment: Segment): number {
    if (this.#fd === null) this.#fd = this.#fs.openSync(segment.file, 'a')
    return this.#fd
  }

  /** Finds the last whole record; cuts a torn frame off the end of the last segment. */
  #recoverTail(readOnly: boolean): void {
    for (let index = this.#segments.length - 1; index >= 0; index--) {
      const segment = this.#segments[index]!
      let offset = 0
      let last = -1
      const bytes = this.#readChunk(segment, 0, segment.size)
      while (offset < bytes.length) {
        const read = readFrame(bytes, offset)
        if (read.status !== 'ok') {
          if (read.status === 'corrupt')
            this.damaged.push(`${segment.file} at byte ${offset}: ${read.reason}`)
          break
        }
        last = read.record.seq
        offset = read.next
      }
      if (offset < segment.size && !readOnly && index === this.#segments.length - 1) {
        const fd = this.#fs.openSync(segment.file, 'r+')
        this.#fs.ftruncateSync(fd, offset)
        this.#fs.closeSync(fd)
        segment.size = offset
      }
      if (last >= 0) {
        this.#lastSeq = Math.max(this.#lastSeq, last)
        return
      }
      // A segment with no whole record: its first record would have been firstSeq.
      this.#lastSeq = Math.max(this.#lastSeq, segment.firstSeq - 1)
      if (index < this.#segments.length - 1) return
    }
  }
}

function readAck(folder: string, fs: FileSystem): number {
  try {
    const value = Number(fs.readFileSync(join(folder, 'ack'), 'utf8'))
    return Number.isSafeInteger(value) && value > 0 ? value : 0
  } catch {
    return 0
  }
}
