import { describe, expect, it } from 'vitest'
import { OperationBuffer, type SeriesState } from './operation-buffer.js'

const series = (path: string): SeriesState => ({
  path,
  lastStep: Number.NEGATIVE_INFINITY,
  group: null,
})

describe('operation buffer', () => {
  it('gathers the points of each series into one group between barriers', () => {
    const buffer = new OperationBuffer()
    const loss = series('loss')
    const acc = series('acc')
    for (let i = 0; i < 3; i++) {
      buffer.floatGroup(loss).push(i, i, 0)
      buffer.floatGroup(acc).push(i, i * 2, 0)
    }
    const entries = buffer.take()
    expect(entries.map((entry) => entry.kind)).toEqual(['floats', 'floats'])
    expect(entries.map((entry) => ('count' in entry ? entry.count : 0))).toEqual([3, 3])
  })

  it('never moves a point across another operation', () => {
    const buffer = new OperationBuffer()
    const loss = series('loss')
    buffer.floatGroup(loss).push(0, 1, 0)
    buffer.pushWire('{"op":"deleteField","path":"loss"}')
    buffer.floatGroup(loss).push(0, 2, 0)
    const entries = buffer.take()
    expect(entries.map((entry) => entry.kind)).toEqual(['floats', 'wire', 'floats'])
  })

  it('starts new groups after each take', () => {
    const buffer = new OperationBuffer()
    const loss = series('loss')
    buffer.floatGroup(loss).push(0, 1, 0)
    const first = buffer.floatGroup(loss)
    buffer.take()
    expect(buffer.floatGroup(loss)).not.toBe(first)
  })

  it('asks for a spill when the points held reach the limit', () => {
    const buffer = new OperationBuffer({ spillPoints: 3, maxGroupPoints: 2 })
    const loss = series('loss')
    expect(buffer.added(1)).toBe(false)
    expect(buffer.added(1)).toBe(false)
    expect(buffer.added(1)).toBe(true)
    // Groups are capped: a full one is followed by a new one.
    buffer.floatGroup(loss).push(0, 0, 0)
    buffer.floatGroup(loss).push(1, 0, 0)
    buffer.floatGroup(loss).push(2, 0, 0)
    expect(buffer.take()).toHaveLength(2)
    expect(buffer.pending).toBe(0)
  })
})
