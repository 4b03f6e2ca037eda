import type { FileInfo } from '@nereid/core'
import { describe, expect, it } from 'vitest'
import {
  concatColumns,
  decodeBlock,
  encodeFileBlock,
  encodeFloatBlock,
  encodeStringBlock,
  sliceColumns,
  type FloatColumns,
} from './block-codec.js'
import { atOddOffset } from './test-support/series-fixture.js'

const f64 = (values: number[]) => Float64Array.from(values)

const floats: FloatColumns = {
  steps: f64([1, 2, 3.5, 10, 11, 12]),
  timestamps: f64([1_700_000_000_000, 1_700_000_000_100, 1_699_999_999_000, 0, -5, 2 ** 53]),
  values: f64([0.1, NaN, Infinity, -Infinity, -0, 1e308]),
}

const file = (hash: string): FileInfo => ({
  hash,
  size: 12,
  name: `${hash}.png`,
  ext: 'png',
  contentType: 'image/png',
})

function bitsOf(values: Float64Array): number[] {
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
}

describe('float blocks', () => {
  it('round-trips steps, timestamps and values, NaN, ±Infinity and -0 included', () => {
    const decoded = decodeBlock(encodeFloatBlock(floats))
    expect(decoded.type).toBe('floatSeries')
    expect(Array.from(decoded.steps)).toEqual(Array.from(floats.steps))
    expect(Array.from(decoded.timestamps)).toEqual(Array.from(floats.timestamps))
    expect(Object.is(decoded.values[4], -0)).toBe(true)
    expect(bitsOf(decoded.values as Float64Array)).toEqual(bitsOf(floats.values))
  })

  it('keeps a NaN payload bit-exact', () => {
    const values = new Float64Array(2)
    const bytes = new DataView(values.buffer)
    bytes.setUint32(0, 0x00000001, true)
    bytes.setUint32(4, 0x7ff80123, true)
    bytes.setUint32(8, 0xdeadbeef, true)
    bytes.setUint32(12, 0xfff00000 | 0x42, true)
    const cols = { steps: f64([1, 2]), timestamps: f64([0, 0]), values }
    const decoded = decodeBlock(encodeFloatBlock(cols))
    expect(bitsOf(decoded.values as Float64Array)).toEqual(bitsOf(values))
  })

  it('writes the documented layout', () => {
    const bytes = encodeFloatBlock(floats)
    const n = floats.steps.length
    expect(bytes.length).toBe(8 + 24 * n)
    expect(Array.from(bytes.subarray(0, 8))).toEqual([2, 0, 0, 0, n, 0, 0, 0])
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    expect(view.getFloat64(8 + 8 * 2, true)).toBe(3.5)
    expect(view.getFloat64(8 + 8 * n + 8, true)).toBe(1_700_000_000_100)
    expect(view.getFloat64(8 + 16 * n, true)).toBe(0.1)
  })

  it('returns views over aligned bytes without copying', () => {
    const bytes = encodeFloatBlock(floats)
    expect(bytes.byteOffset % 8).toBe(0)
    const decoded = decodeBlock(bytes)
    expect(decoded.steps.buffer).toBe(bytes.buffer)
    expect((decoded.values as Float64Array).buffer).toBe(bytes.buffer)
    expect(decoded.timestamps.byteOffset).toBe(8 + 8 * floats.steps.length)
  })

  it('copies misaligned bytes, as Node Buffers from a driver can be', () => {
    const encoded = encodeFloatBlock(floats)
    for (const bytes of [
      atOddOffset(encoded),
      Buffer.concat([Buffer.from([9]), Buffer.from(encoded)]).subarray(1),
    ]) {
      expect(bytes.byteOffset % 8).not.toBe(0)
      const decoded = decodeBlock(bytes)
      expect(decoded.steps.buffer).not.toBe(bytes.buffer)
      expect(Array.from(decoded.steps)).toEqual(Array.from(floats.steps))
      expect(Array.from(decoded.timestamps)).toEqual(Array.from(floats.timestamps))
      expect(bitsOf(decoded.values as Float64Array)).toEqual(bitsOf(floats.values))
    }
  })

  it('round-trips an empty block and a full one', () => {
    const empty = decodeBlock(
      encodeFloatBlock({ steps: f64([]), timestamps: f64([]), values: f64([]) }),
    )
    expect(empty.steps.length).toBe(0)
    const n = 1024
    const cols = {
      steps: Float64Array.from({ length: n }, (_, i) => i),
      timestamps: Float64Array.from({ length: n }, (_, i) => 1e12 + i),
      values: Float64Array.from({ length: n }, (_, i) => Math.sin(i)),
    }
    const full = decodeBlock(encodeFloatBlock(cols))
    expect(Array.from(full.values as Float64Array)).toEqual(Array.from(cols.values))
  })

  it('rejects columns of different lengths', () => {
    expect(() =>
      encodeFloatBlock({ steps: f64([1, 2]), timestamps: f64([1]), values: f64([1, 2]) }),
    ).toThrow(/differ in length/)
  })
})

describe('string and file blocks', () => {
  it('round-trips strings, unicode and empty ones included', () => {
    const values = ['', 'loss went up', 'ünïcödé ✓ 𝔘', '"quoted"\n\\', '\u0000']
    const cols = {
      steps: f64([0, 1, 2, 3, 4]),
      timestamps: f64([5, 4, 3, 2, 1]),
      values,
    }
    for (const bytes of [encodeStringBlock(cols), atOddOffset(encodeStringBlock(cols))]) {
      const decoded = decodeBlock(bytes)
      expect(decoded.type).toBe('stringSeries')
      expect(decoded.values).toEqual(values)
      expect(Array.from(decoded.timestamps)).toEqual([5, 4, 3, 2, 1])
    }
  })

  it('round-trips files, keeping only the FileInfo fields', () => {
    const extra = { ...file('b'), secret: 'not stored' }
    const cols = { steps: f64([1, 2]), timestamps: f64([1, 2]), values: [file('a'), extra] }
    const decoded = decodeBlock(encodeFileBlock(cols))
    expect(decoded.type).toBe('fileSeries')
    expect(decoded.values).toEqual([file('a'), file('b')])
  })

  it('round-trips an empty string block', () => {
    const decoded = decodeBlock(
      encodeStringBlock({ steps: f64([]), timestamps: f64([]), values: [] }),
    )
    expect(decoded).toMatchObject({ type: 'stringSeries', values: [] })
  })
})

describe('compact columns (format version 2)', () => {
  const n = 1000
  const steps = Float64Array.from({ length: n }, (_, i) => 100 + i)
  const timestamps = Float64Array.from({ length: n }, (_, i) => 1_767_225_600_000 + i * 7 + (i % 3))
  const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i))

  it('stores consecutive steps as a start and a stride, and nearby integral timestamps as 32-bit offsets', () => {
    const bytes = encodeFloatBlock({ steps, timestamps, values })
    expect(bytes[2]).toBe(1)
    expect(bytes[3]).toBe(2)
    expect(bytes.length).toBe(8 + 16 + (8 + 4 * n) + 8 * n)
    const decoded = decodeBlock(bytes)
    expect(Array.from(decoded.steps)).toEqual(Array.from(steps))
    expect(Array.from(decoded.timestamps)).toEqual(Array.from(timestamps))
    expect(Array.from(decoded.values as Float64Array)).toEqual(Array.from(values))
  })

  it('keeps fractional or far-apart columns raw', () => {
    const fractional = Float64Array.from({ length: n }, (_, i) => i * 0.37 + (i % 2) * 0.01)
    const farApart = Float64Array.from({ length: n }, (_, i) => (i === n - 1 ? 2 ** 40 : i))
    const bytes = encodeFloatBlock({ steps: fractional, timestamps: farApart, values })
    expect([bytes[2], bytes[3]]).toEqual([0, 0])
    const decoded = decodeBlock(bytes)
    expect(Array.from(decoded.steps)).toEqual(Array.from(fractional))
    expect(Array.from(decoded.timestamps)).toEqual(Array.from(farApart))
  })

  it('uses compact columns for string blocks too', () => {
    const strings = Array.from({ length: n }, (_, i) => `line ${i}`)
    const decoded = decodeBlock(encodeStringBlock({ steps, timestamps, values: strings }))
    expect(decoded.values).toEqual(strings)
    expect(Array.from(decoded.steps)).toEqual(Array.from(steps))
  })

  it('still reads version 1 blocks', () => {
    const v1 = new Uint8Array(8 + 24 * 2)
    const view = new DataView(v1.buffer)
    v1[0] = 1
    view.setUint32(4, 2, true)
    view.setFloat64(8, 5, true)
    view.setFloat64(16, 6, true)
    view.setFloat64(24, 1000, true)
    view.setFloat64(32, 2000, true)
    view.setFloat64(40, 0.5, true)
    view.setFloat64(48, 0.25, true)
    expect(decodeBlock(v1)).toEqual({
      type: 'floatSeries',
      steps: f64([5, 6]),
      timestamps: f64([1000, 2000]),
      values: f64([0.5, 0.25]),
    })
  })
})

describe('corrupt blocks', () => {
  const good = encodeStringBlock({
    steps: f64([1, 2]),
    timestamps: f64([1, 2]),
    values: ['a', 'b'],
  })
  const patched = (bytes: Uint8Array, at: number, value: number) => {
    const copy = Uint8Array.from(bytes)
    copy[at] = value
    return copy
  }
  const withJson = (json: string, kind = 1) => {
    const head = good.subarray(0, 8 + 32)
    const out = new Uint8Array(head.length + Buffer.byteLength(json))
    out.set(head)
    out.set(new TextEncoder().encode(json), head.length)
    out[1] = kind
    return out
  }

  it('rejects a short header', () => {
    expect(() => decodeBlock(new Uint8Array(5))).toThrow(/shorter than the 8-byte header/)
  })

  it('rejects an unknown version', () => {
    expect(() => decodeBlock(patched(good, 0, 3))).toThrow(/format version 3/)
  })

  it('rejects an unknown kind', () => {
    expect(() => decodeBlock(patched(good, 1, 7))).toThrow(/unknown kind 7/)
  })

  it('rejects non-zero reserved bytes in a version 1 block', () => {
    expect(() => decodeBlock(patched(patched(good, 0, 1), 3, 1))).toThrow(/reserved/)
  })

  it('rejects an unknown column encoding', () => {
    expect(() => decodeBlock(patched(good, 3, 9))).toThrow(/unknown column encoding 9/)
  })

  it('rejects a float block whose length does not match its count', () => {
    const bytes = encodeFloatBlock(floats)
    expect(() => decodeBlock(bytes.subarray(0, bytes.length - 8))).toThrow(
      /must be 152 bytes, got 144/,
    )
    expect(() => decodeBlock(patched(bytes, 4, 7))).toThrow(/float block of 7 points/)
  })

  it('rejects a count the value array does not match', () => {
    expect(() => decodeBlock(withJson('["a"]'))).toThrow(
      /header says 2 points, value array holds 1/,
    )
    expect(() => decodeBlock(patched(good, 4, 200))).toThrow(/cannot hold 200 points/)
  })

  it('rejects values that are not JSON, not an array, or of the wrong type', () => {
    expect(() => decodeBlock(withJson('["a", '))).toThrow(/not UTF-8 JSON/)
    expect(() => decodeBlock(withJson('{"a": 1}'))).toThrow(/not a JSON array/)
    expect(() => decodeBlock(withJson('["a", 3]'))).toThrow(/string value 1 is not a string/)
    expect(() => decodeBlock(withJson('[{"hash": "x"}, null]', 2))).toThrow(
      /file value 0 is not a file description/,
    )
  })

  it('rejects invalid UTF-8', () => {
    const bytes = withJson('["a","b"]')
    bytes[bytes.length - 3] = 0xff
    expect(() => decodeBlock(bytes)).toThrow(/not UTF-8 JSON/)
  })
})

describe('column helpers', () => {
  it('concatenates a tail block with new points', () => {
    const tail = decodeBlock(encodeFloatBlock(floats))
    if (tail.type !== 'floatSeries') throw new Error('unexpected type')
    const more = { steps: f64([13, 14]), timestamps: f64([1, 2]), values: f64([7, NaN]) }
    const merged = concatColumns<FloatColumns>(tail, more)
    expect(Array.from(merged.steps)).toEqual([1, 2, 3.5, 10, 11, 12, 13, 14])
    expect(merged.values.length).toBe(8)
    expect(merged.values[7]).toBeNaN()
    expect(merged.steps.buffer).not.toBe(tail.steps.buffer)
    const strings = concatColumns(
      { steps: f64([1]), timestamps: f64([1]), values: ['a'] },
      { steps: f64([2]), timestamps: f64([2]), values: ['b'] },
    )
    expect(strings.values).toEqual(['a', 'b'])
  })

  it('slices columns', () => {
    const part = sliceColumns(floats, 1, 3)
    expect(Array.from(part.steps)).toEqual([2, 3.5])
    expect(part.values[1]).toBe(Infinity)
    const files = sliceColumns(
      { steps: f64([1, 2]), timestamps: f64([1, 2]), values: [file('a'), file('b')] },
      1,
      2,
    )
    expect(files.values).toEqual([file('b')])
  })
})
