import { describe, expect, it } from 'vitest'
import {
  chunkEnd,
  chunkStart,
  computeBlockStats,
  decodeBlockStats,
  decodeBlockSummary,
  decodeStatsRow,
  hasAllRecords,
  STAT,
  statOf,
  STATS_HEAD_BYTES,
  STATS_RECORD_FIELDS,
  SUB_CHUNK_SIZE,
  summarize,
  upgradeBlockStats,
} from './block-stats.js'
import { atOddOffset, random } from './test-support/series-fixture.js'

function block(n: number, seed = 1) {
  const next = random(seed)
  const steps = new Float64Array(n)
  const timestamps = new Float64Array(n)
  const values = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    steps[i] = i * 2 + 100
    timestamps[i] = 1e12 + i * 1000 + Math.round((next() - 0.5) * 5000)
    values[i] = Math.round((next() - 0.5) * 200)
  }
  return { steps, timestamps, values }
}

describe('computeBlockStats', () => {
  it('summarises the block and every sub-chunk, the last one short', () => {
    const cols = block(100)
    cols.values[5] = NaN
    cols.values[6] = Infinity
    cols.values[99] = NaN
    const stats = computeBlockStats(cols)
    expect(stats).toMatchObject({ count: 100, firstStep: 100, lastStep: 298 })
    expect(stats.minTs).toBe(Math.min(...cols.timestamps))
    expect(stats.maxTs).toBe(Math.max(...cols.timestamps))

    const view = decodeBlockStats(stats.stats)
    expect(view.chunks).toBe(4)
    expect(view.subChunkSize).toBe(SUB_CHUNK_SIZE)
    expect(stats.stats.length).toBe(8 + 5 * STATS_RECORD_FIELDS * 8)
    for (let c = 0; c < view.chunks; c++) {
      const start = chunkStart(view, c)
      const end = chunkEnd(view, c)
      expect(end - start).toBe(c === 3 ? 4 : 32)
      const values = Array.from(cols.values.subarray(start, end))
      const finite = values.filter(Number.isFinite)
      const ts = Array.from(cols.timestamps.subarray(start, end))
      expect(statOf(view, c, STAT.firstStep)).toBe(cols.steps[start])
      expect(statOf(view, c, STAT.lastStep)).toBe(cols.steps[end - 1])
      expect(statOf(view, c, STAT.firstTs)).toBe(cols.timestamps[start])
      expect(statOf(view, c, STAT.minTs)).toBe(Math.min(...ts))
      expect(statOf(view, c, STAT.maxTs)).toBe(Math.max(...ts))
      expect(statOf(view, c, STAT.count)).toBe(end - start)
      expect(statOf(view, c, STAT.finiteCount)).toBe(finite.length)
      expect(statOf(view, c, STAT.min)).toBe(Math.min(...finite))
      expect(statOf(view, c, STAT.max)).toBe(Math.max(...finite))
      expect(statOf(view, c, STAT.sum)).toBe(finite.reduce((a, b) => a + b, 0))
      expect(statOf(view, c, STAT.last)).toBe(values[values.length - 1])
    }
    expect(statOf(view, 3, STAT.last)).toBeNaN()

    const finite = Array.from(cols.values).filter(Number.isFinite)
    const summary = Array.from(decodeBlockSummary(stats.stats)!)
    expect(summary).toEqual([
      100,
      298,
      cols.timestamps[0],
      stats.minTs,
      stats.maxTs,
      100,
      finite.length,
      Math.min(...finite),
      Math.max(...finite),
      finite.reduce((a, b) => a + b, 0),
      NaN,
    ])
  })

  it('uses NaN min/max and a zero sum when no value is finite', () => {
    const stats = computeBlockStats({
      steps: Float64Array.from([1, 2, 3]),
      timestamps: Float64Array.from([1, 2, 3]),
      values: Float64Array.from([NaN, -Infinity, Infinity]),
    })
    const view = decodeBlockStats(stats.stats)
    expect(statOf(view, 0, STAT.count)).toBe(3)
    expect(statOf(view, 0, STAT.finiteCount)).toBe(0)
    expect(statOf(view, 0, STAT.min)).toBeNaN()
    expect(statOf(view, 0, STAT.max)).toBeNaN()
    expect(statOf(view, 0, STAT.sum)).toBe(0)
    expect(statOf(view, 0, STAT.last)).toBe(Infinity)
  })

  it('keeps only steps, timestamps and counts for string and file blocks', () => {
    const { steps, timestamps } = block(40)
    const view = decodeBlockStats(computeBlockStats({ steps, timestamps }).stats)
    expect(view.chunks).toBe(2)
    expect(statOf(view, 1, STAT.count)).toBe(8)
    expect(statOf(view, 1, STAT.firstStep)).toBe(steps[32])
    expect(statOf(view, 1, STAT.finiteCount)).toBe(0)
    for (const field of [STAT.min, STAT.max, STAT.sum, STAT.last])
      expect(statOf(view, 1, field)).toBeNaN()
  })

  it('rejects empty and ragged blocks', () => {
    const empty = new Float64Array(0)
    expect(() => computeBlockStats({ steps: empty, timestamps: empty })).toThrow(/empty/)
    const { steps, timestamps } = block(3)
    expect(() => computeBlockStats({ steps, timestamps, values: new Float64Array(2) })).toThrow(
      /differ in length/,
    )
  })
})

describe('decodeBlockStats', () => {
  const stats = computeBlockStats(block(70)).stats

  it('views aligned bytes without copying and copies misaligned ones', () => {
    expect(decodeBlockStats(stats).data.buffer).toBe(stats.buffer)
    const shifted = atOddOffset(stats)
    const view = decodeBlockStats(shifted)
    expect(view.data.buffer).not.toBe(shifted.buffer)
    expect(Array.from(view.data)).toEqual(Array.from(decodeBlockStats(stats).data))
  })

  it('rejects corrupt stats', () => {
    const patched = (at: number, value: number) => {
      const copy = Uint8Array.from(stats)
      copy[at] = value
      return copy
    }
    expect(() => decodeBlockStats(new Uint8Array(3))).toThrow(/shorter than the 8-byte header/)
    expect(() => decodeBlockStats(patched(0, 9))).toThrow(/format version 9/)
    expect(() => decodeBlockStats(patched(1, 12))).toThrow(/records of 12 fields/)
    expect(() => decodeBlockStats(patched(2, 0))).toThrow(/sub-chunk size is 0/)
    expect(() => decodeBlockStats(stats.subarray(0, stats.length - 8))).toThrow(/3 records need/)
  })

  it('checks a row against its point count', () => {
    const row = { blockNo: 4, count: 70, firstStep: 0, lastStep: 0, minTs: 0, maxTs: 0, stats }
    expect(decodeStatsRow(row).chunks).toBe(3)
    expect(() => decodeStatsRow({ ...row, count: 200 })).toThrow(
      /block 4 has 200 points but 3 records/,
    )
  })
})

/** The same statistics as format 1 wrote them: no block summary. */
function asFormat1(stats: Uint8Array): Uint8Array {
  const out = new Uint8Array(stats.length - (STATS_HEAD_BYTES - 8))
  out.set(stats.subarray(0, 8))
  out.set(stats.subarray(STATS_HEAD_BYTES), 8)
  out[0] = 1
  return out
}

describe('block summary', () => {
  it('sums the sub-chunk sums in order, as merging them into an empty bucket does', () => {
    const cols = block(1000, 7)
    for (let i = 0; i < cols.values.length; i++) cols.values[i] = Math.sin(i) / 3
    const stats = computeBlockStats(cols).stats
    const view = decodeBlockStats(stats)
    let sum = 0
    for (let c = 0; c < view.chunks; c++) sum += statOf(view, c, STAT.sum)
    expect(decodeBlockSummary(stats)![STAT.sum]).toBe(sum)
  })

  it('is NaN where no value is finite, with every point still counted', () => {
    const { steps, timestamps } = block(40)
    const values = new Float64Array(40).fill(NaN)
    values[39] = -Infinity
    const summary = decodeBlockSummary(computeBlockStats({ steps, timestamps, values }).stats)!
    expect(summary[STAT.count]).toBe(40)
    expect(summary[STAT.finiteCount]).toBe(0)
    expect([summary[STAT.min], summary[STAT.max]]).toEqual([NaN, NaN])
    expect(summary[STAT.sum]).toBe(0)
    expect(summary[STAT.last]).toBe(-Infinity)
  })

  it('reads from the head alone, which is not mistaken for the whole BLOB', () => {
    const stats = computeBlockStats(block(70)).stats
    const head = stats.subarray(0, STATS_HEAD_BYTES)
    expect(Array.from(decodeBlockSummary(atOddOffset(head))!)).toEqual(
      Array.from(decodeBlockSummary(stats)!),
    )
    expect(hasAllRecords(head)).toBe(false)
    expect(hasAllRecords(stats)).toBe(true)
    expect(() => decodeBlockSummary(stats.subarray(0, 50))).toThrow(/shorter than the 96-byte head/)
  })

  it('is absent from format 1, whose records still decode and upgrade to the current format', () => {
    const cols = block(100)
    cols.values[3] = NaN
    const current = computeBlockStats(cols).stats
    const old = asFormat1(current)
    expect(decodeBlockSummary(old)).toBeNull()
    expect(hasAllRecords(old)).toBe(true)
    expect(Array.from(decodeBlockStats(old).data)).toEqual(
      Array.from(decodeBlockStats(current).data),
    )
    expect(Array.from(upgradeBlockStats(old))).toEqual(Array.from(current))
    expect(upgradeBlockStats(current)).toBe(current)
  })
})

describe('summarize', () => {
  it('summarises finite values and keeps the true last value', () => {
    const s = summarize(Float64Array.from([3, NaN, -1, Infinity, 4, NaN]))
    expect(s).toEqual({ count: 6, finiteCount: 3, min: -1, max: 4, sum: 6, sumSq: 26, last: NaN })
  })

  it('reports NaN min/max and zero sums without finite values', () => {
    expect(summarize(Float64Array.from([NaN, -Infinity]))).toEqual({
      count: 2,
      finiteCount: 0,
      min: NaN,
      max: NaN,
      sum: 0,
      sumSq: 0,
      last: -Infinity,
    })
    expect(summarize(new Float64Array(0))).toMatchObject({ count: 0, finiteCount: 0, last: NaN })
  })
})
