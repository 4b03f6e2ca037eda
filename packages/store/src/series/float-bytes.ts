/**
 * Little-endian float64 columns inside byte buffers. Stored bytes are always little-endian so
 * that a database file moves between machines; on little-endian hosts (all the usual ones) a
 * column is a plain byte copy, which also keeps NaN payloads bit-exact.
 */

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

// Misaligned columns are copied into slices of shared slabs, as Node pools small Buffers:
// allocating one ArrayBuffer per column costs more than copying it (about 2 µs for a 2.8 KB
// stats record set, a third of that from a slab). A slice keeps its slab alive, so only small
// columns are pooled.
const SLAB_BYTES = 128 * 1024
const MAX_POOLED_BYTES = 16 * 1024
let slab = new ArrayBuffer(0)
let slabUsed = 0

function allocateFloat64(count: number): Float64Array {
  const bytes = count * 8
  if (bytes > MAX_POOLED_BYTES) return new Float64Array(count)
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES)
    slabUsed = 0
  }
  const out = new Float64Array(slab, slabUsed, count)
  slabUsed += bytes
  return out
}

/**
 * Reads `count` float64s starting at `offset`. Aliases `bytes` (no copy) when the column is
 * 8-byte aligned in its ArrayBuffer, because a Float64Array cannot start at any other offset;
 * database drivers may hand out Buffers at arbitrary offsets, so the fallback copies.
 */
export function readFloat64Column(bytes: Uint8Array, offset: number, count: number): Float64Array {
  const start = bytes.byteOffset + offset
  if (LITTLE_ENDIAN_HOST && start % 8 === 0) return new Float64Array(bytes.buffer, start, count)
  const out = allocateFloat64(count)
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer, out.byteOffset, count * 8).set(
      new Uint8Array(bytes.buffer, start, count * 8),
    )
    return out
  }
  const view = new DataView(bytes.buffer, start, count * 8)
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true)
  return out
}

/** Writes `source` as little-endian float64s into `target` at `offset`. */
export function writeFloat64Column(target: Uint8Array, offset: number, source: Float64Array): void {
  if (LITTLE_ENDIAN_HOST) {
    target.set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength), offset)
    return
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, source.length * 8)
  for (let i = 0; i < source.length; i++) view.setFloat64(i * 8, source[i]!, true)
}

export function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16)) +
    bytes[offset + 3]! * 0x1000000
  )
}

export function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff
  bytes[offset + 1] = (value >>> 8) & 0xff
  bytes[offset + 2] = (value >>> 16) & 0xff
  bytes[offset + 3] = (value >>> 24) & 0xff
}
