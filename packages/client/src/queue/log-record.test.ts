import { describe, expect, it } from 'vitest'
import {
  encodeFilesRecord,
  encodeFloatsRecord,
  encodeWireRecord,
  readFrame,
  recordPoints,
} from './log-record.js'

describe('log records', () => {
  it('round-trips a wire operation as its JSON text', () => {
    const json = '{"op":"assignFloat","path":"params/lr","value":0.1}'
    const read = readFrame(encodeWireRecord(7, json), 0)
    expect(read).toMatchObject({ status: 'ok', record: { seq: 7, kind: 'wire', json } })
  })

  it('round-trips float columns exactly, NaN steps and non-finite values included', () => {
    const steps = Float64Array.from([0, Number.NaN, 2, 99])
    const values = Float64Array.from([0.1, Number.NaN, Number.NEGATIVE_INFINITY, -0])
    const timestamps = Float64Array.from([1, 2, 3, 4])
    // Only the first `count` points of the (larger) buffers are stored.
    const frame = encodeFloatsRecord(3, 'train/lössé', steps, values, timestamps, 3)
    const read = readFrame(frame, 0)
    if (read.status !== 'ok' || read.record.kind !== 'floats') throw new Error('not read')
    expect(read.record.path).toBe('train/lössé')
    expect(Array.from(read.record.steps)).toEqual([0, Number.NaN, 2])
    expect(Array.from(read.record.values)).toEqual([0.1, Number.NaN, Number.NEGATIVE_INFINITY])
    expect(Array.from(read.record.timestamps)).toEqual([1, 2, 3])
    expect(recordPoints(read.record)).toBe(3)
    expect(read.next).toBe(frame.length)
  })

  it('round-trips file operations with their sources', () => {
    const operation = {
      op: 'uploadFile' as const,
      path: 'model',
      source: { kind: 'path' as const, path: '/tmp/model.pt' },
      name: 'model.pt',
    }
    const read = readFrame(encodeFilesRecord(1, operation), 0)
    expect(read).toMatchObject({ status: 'ok', record: { kind: 'files', operation } })
  })

  it('counts the points of string appends kept as wire JSON', () => {
    const json = JSON.stringify({ op: 'appendStrings', path: 'log', values: ['a', 'b', 'c'] })
    const read = readFrame(encodeWireRecord(1, json), 0)
    if (read.status !== 'ok') throw new Error('not read')
    expect(recordPoints(read.record)).toBe(3)
  })

  it('recognises a frame cut short, and one whose bytes changed', () => {
    const frame = encodeWireRecord(1, '{"op":"deleteField","path":"x"}')
    expect(readFrame(frame.subarray(0, frame.length - 3), 0)).toEqual({
      status: 'incomplete',
      needed: frame.length,
    })
    const damaged = Buffer.from(frame)
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 2) ^ 0xff, damaged.length - 2)
    expect(readFrame(damaged, 0)).toEqual({ status: 'corrupt', reason: 'checksum mismatch' })
  })
})
