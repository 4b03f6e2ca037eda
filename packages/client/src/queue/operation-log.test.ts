import * as fs from 'node:fs'
import { mkdtempSync, readdirSync, rmSync, statSync, appendFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeWireRecord, type LogRecord } from './log-record.js'
import { OperationLog } from './operation-log.js'

const op = (seq: number) =>
  encodeWireRecord(seq, JSON.stringify({ op: 'assignInt', path: 'n', value: seq }))
const seqs = (records: LogRecord[]) => records.map((record) => record.seq)

describe('operation log', () => {
  let folder = ''
  afterEach(() => rmSync(folder, { recursive: true, force: true }))
  const fresh = (options = {}) => {
    folder = mkdtempSync(join(tmpdir(), 'nereid-log-'))
    return OperationLog.open(folder, fs, options)
  }

  function append(log: OperationLog, from: number, to: number) {
    const frames = []
    for (let seq = from; seq <= to; seq++) frames.push(op(seq))
    log.append(frames, to)
  }

  it('returns records in sequence order, following the writer as it appends', () => {
    const log = fresh()
    append(log, 1, 3)
    expect(seqs(log.readAfter(0))).toEqual([1, 2, 3])
    append(log, 4, 5)
    expect(seqs(log.readAfter(3))).toEqual([4, 5])
    expect(seqs(log.readAfter(1))).toEqual([2, 3, 4, 5])
    expect(log.readAfter(5)).toEqual([])
    log.close()
  })

  it('keeps every record written before the process died, and cuts off a torn one', () => {
    const log = fresh()
    append(log, 1, 4)
    // The process "dies": no close(), and half of a fifth frame reached the file.
    const segment = join(folder, 'log', readdirSync(join(folder, 'log'))[0]!)
    appendFileSync(segment, op(5).subarray(0, 10))
    const reopened = OperationLog.open(folder, fs)
    expect(reopened.lastSeq).toBe(4)
    expect(seqs(reopened.readAfter(0))).toEqual([1, 2, 3, 4])
    append(reopened, 5, 6)
    expect(seqs(reopened.readAfter(0))).toEqual([1, 2, 3, 4, 5, 6])
    reopened.close()
  })

  it('remembers the acknowledged position and deletes segments that hold nothing newer', () => {
    const log = fresh({ maxSegmentBytes: 200 })
    for (let seq = 1; seq <= 12; seq += 3) append(log, seq, seq + 2)
    const segments = () => readdirSync(join(folder, 'log')).length
    expect(segments()).toBeGreaterThan(1)
    log.acknowledge(9)
    expect(log.pendingRecords).toBe(3)
    expect(seqs(log.readAfter(log.ackedSeq))).toEqual([10, 11, 12])
    log.close()
    const reopened = OperationLog.open(folder, fs, { maxSegmentBytes: 200 })
    expect(reopened.ackedSeq).toBe(9)
    expect(reopened.lastSeq).toBe(12)
    reopened.acknowledge(12)
    append(reopened, 13, 13)
    expect(seqs(reopened.readAfter(12))).toEqual([13])
    reopened.close()
  })

  it('continues numbering after everything was acknowledged and trimmed', () => {
    const log = fresh({ maxSegmentBytes: 1 })
    append(log, 1, 2)
    append(log, 3, 3)
    log.acknowledge(3)
    log.close()
    const reopened = OperationLog.open(folder, fs, { maxSegmentBytes: 1 })
    expect(reopened.lastSeq).toBe(3)
    expect(reopened.pendingRecords).toBe(0)
    reopened.close()
  })

  it('reads within limits, at least one record each time', () => {
    const log = fresh()
    append(log, 1, 10)
    const limits = { records: 4, points: 1_000_000, bytes: 1_000_000 }
    expect(seqs(log.readAfter(0, limits))).toEqual([1, 2, 3, 4])
    expect(seqs(log.readAfter(4, limits))).toEqual([5, 6, 7, 8])
    expect(seqs(log.readAfter(8, { records: 100, points: 100, bytes: 1 }))).toEqual([9])
    log.close()
  })

  it('skips a damaged segment and reads on from the next one', () => {
    const log = fresh({ maxSegmentBytes: 150 })
    for (let seq = 1; seq <= 9; seq += 3) append(log, seq, seq + 2)
    log.close()
    const names = readdirSync(join(folder, 'log')).sort()
    expect(names.length).toBeGreaterThanOrEqual(3)
    // Flip a byte in the middle of the first segment's second record.
    const first = join(folder, 'log', names[0]!)
    const bytes = fs.readFileSync(first)
    const at = op(1).length + 12
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at)
    fs.writeFileSync(first, bytes)
    const reopened = OperationLog.open(folder, fs, { maxSegmentBytes: 150 })
    expect(seqs(reopened.readAfter(0))).toEqual([1, 4, 5, 6, 7, 8, 9])
    expect(reopened.damaged).toEqual([expect.stringContaining('checksum mismatch')])
    reopened.close()
  })

  it('opens read-only without changing anything (for nereid status)', () => {
    const log = fresh()
    append(log, 1, 2)
    const segment = join(folder, 'log', readdirSync(join(folder, 'log'))[0]!)
    appendFileSync(segment, Buffer.from([1, 2, 3]))
    const size = statSync(segment).size
    const reader = OperationLog.open(folder, fs, { readOnly: true })
    expect(reader.pendingRecords).toBe(2)
    expect(statSync(segment).size).toBe(size)
    log.close()
  })
})
