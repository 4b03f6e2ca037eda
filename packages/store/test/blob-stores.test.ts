import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { createLocalBlobStore, createS3BlobStore, type BlobStore } from '../src/index.js'
import { startTestS3 } from './support/test-s3.js'

// One set of behaviours for every place blob bytes can live: a local folder and an
// S3-compatible bucket (s3rver on loopback, through the real AWS SDK).
const s3 = await startTestS3()
const folders: string[] = []
let prefixes = 0

afterAll(async () => {
  await s3.stop()
  for (const folder of folders) await rm(folder, { recursive: true, force: true })
})

const backends: { name: string; create: () => Promise<BlobStore> }[] = [
  {
    name: 'local folder',
    async create() {
      const folder = await mkdtemp(join(tmpdir(), 'nereid-blobs-'))
      folders.push(folder)
      return createLocalBlobStore(folder)
    },
  },
  {
    name: 's3',
    async create() {
      return createS3BlobStore({
        bucket: s3.bucket,
        prefix: `case-${prefixes++}`,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        credentials: s3.credentials,
        partSize: 5 * 1024 * 1024,
      })
    },
  },
]

async function* chunks(data: Uint8Array, size = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let start = 0; start < data.byteLength; start += size) {
    yield data.subarray(start, Math.min(data.byteLength, start + size))
  }
}

async function read(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

async function listAll(store: BlobStore): Promise<string[]> {
  const hashes: string[] = []
  for await (const hash of store.list()) hashes.push(hash)
  return hashes.sort()
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

function pseudoRandomBytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

for (const backend of backends) {
  describe(`blob store: ${backend.name}`, () => {
    it('stores bytes under their sha256 and streams them back', async () => {
      const store = await backend.create()
      const data = new TextEncoder().encode('hello, nereid')
      const stored = await store.put(chunks(data, 4))
      expect(stored).toEqual({ hash: sha256(data), size: data.byteLength })
      expect(await store.has(stored.hash)).toBe(true)
      expect(await read((await store.get(stored.hash))!)).toEqual(Buffer.from(data))
      expect(await listAll(store)).toEqual([stored.hash])
    })

    it('stores an empty file', async () => {
      const store = await backend.create()
      const stored = await store.put(chunks(new Uint8Array(0)))
      expect(stored).toEqual({ hash: sha256(new Uint8Array(0)), size: 0 })
      expect((await read((await store.get(stored.hash))!)).byteLength).toBe(0)
    })

    it('streams a file larger than one upload part and keeps every byte', async () => {
      const store = await backend.create()
      const data = pseudoRandomBytes(12 * 1024 * 1024 + 12345, 7)
      const stored = await store.put(chunks(data))
      expect(stored).toEqual({ hash: sha256(data), size: data.byteLength })
      const back = await read((await store.get(stored.hash))!)
      expect(back.byteLength).toBe(data.byteLength)
      expect(sha256(back)).toBe(stored.hash)
      expect(await listAll(store)).toEqual([stored.hash])
    })

    it('keeps one copy of content stored twice', async () => {
      const store = await backend.create()
      const data = pseudoRandomBytes(6 * 1024 * 1024, 3)
      const first = await store.put(chunks(data))
      const second = await store.put(chunks(data, 1000))
      expect(second).toEqual(first)
      expect(await listAll(store)).toEqual([first.hash])
    })

    it('rejects a file over the size limit and keeps none of it', async () => {
      const store = await backend.create()
      const data = pseudoRandomBytes(11 * 1024 * 1024, 5)
      await expect(store.put(chunks(data), { maxBytes: 10 * 1024 * 1024 })).rejects.toMatchObject({
        code: 'BODY_TOO_LARGE',
        details: { limitBytes: 10 * 1024 * 1024 },
      })
      expect(await listAll(store)).toEqual([])
      expect(await store.has(sha256(data))).toBe(false)
    })

    it('deletes a blob, and deleting a missing one is no error', async () => {
      const store = await backend.create()
      const kept = await store.put(chunks(new TextEncoder().encode('kept')))
      const gone = await store.put(chunks(new TextEncoder().encode('gone')))
      await store.delete(gone.hash)
      await store.delete(gone.hash)
      expect(await store.has(gone.hash)).toBe(false)
      expect(await store.get(gone.hash)).toBeNull()
      expect(await listAll(store)).toEqual([kept.hash])
    })

    it('answers unknown and malformed hashes with nothing', async () => {
      const store = await backend.create()
      expect(await store.get('0'.repeat(64))).toBeNull()
      expect(await store.has('0'.repeat(64))).toBe(false)
      expect(await store.get('../../etc/passwd')).toBeNull()
      expect(await store.has('ABC')).toBe(false)
      await store.delete('not-a-hash')
    })
  })
}
