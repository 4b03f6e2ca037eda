import { createServer } from 'node:net'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { afterAll, describe, expect, it } from 'vitest'
import { createS3BlobStore, parseS3Url, type S3BlobStoreConfig } from '../src/index.js'
import { startTestS3 } from './support/test-s3.js'

const s3 = await startTestS3()
afterAll(() => s3.stop())

const base: S3BlobStoreConfig = {
  bucket: s3.bucket,
  endpoint: s3.endpoint,
  forcePathStyle: true,
  credentials: s3.credentials,
  partSize: 5 * 1024 * 1024,
}

async function* bytes(size: number): AsyncIterable<Uint8Array> {
  const chunk = new Uint8Array(256 * 1024).fill(42)
  for (let sent = 0; sent < size; sent += chunk.byteLength) {
    yield chunk.subarray(0, Math.min(chunk.byteLength, size - sent))
  }
}

async function rawKeys(prefix: string): Promise<string[]> {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: s3.credentials,
  })
  const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }))
  client.destroy()
  return (page.Contents ?? []).map((object) => object.Key!).sort()
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

describe('s3 blob store', () => {
  it('reads s3:// URLs into a bucket and a key prefix', () => {
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' })
    expect(parseS3Url('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' })
    expect(parseS3Url('s3://my.bucket/team/nereid/')).toEqual({
      bucket: 'my.bucket',
      prefix: 'team/nereid/',
    })
    expect(() => parseS3Url('https://bucket/x')).toThrow(/s3:\/\/bucket/)
    expect(() => parseS3Url('s3://')).toThrow(/s3:\/\/bucket/)
  })

  it('lays blobs out under the prefix by hash and leaves no temporary objects', async () => {
    const store = createS3BlobStore({ ...base, prefix: 'layout/' })
    const small = await store.put(bytes(1000))
    const large = await store.put(bytes(11 * 1024 * 1024))
    const keyOf = (hash: string) => `layout/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`
    expect(await rawKeys('layout/')).toEqual([keyOf(small.hash), keyOf(large.hash)].sort())
    store.close()
  })

  it('lists only the blobs under its own prefix', async () => {
    const one = createS3BlobStore({ ...base, prefix: 'one' })
    const two = createS3BlobStore({ ...base, prefix: 'two' })
    const a = await one.put(bytes(10))
    await two.put(bytes(20))
    const listed: string[] = []
    for await (const hash of one.list()) listed.push(hash)
    expect(listed).toEqual([a.hash])
    one.close()
    two.close()
  })

  it('passes its start-up check with good settings', async () => {
    const store = createS3BlobStore({ ...base, prefix: 'check' })
    await store.check()
    expect(await rawKeys('check/')).toEqual([])
    store.close()
  })

  it('says the credentials are wrong, as a retryable error', async () => {
    const store = createS3BlobStore({
      ...base,
      credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' },
    })
    await expect(store.check()).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/access denied .*AWS_ACCESS_KEY_ID/),
    })
    await expect(store.put(bytes(10))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      details: { retryAfterSeconds: 5 },
    })
    store.close()
  })

  it('says a bucket does not exist', async () => {
    const store = createS3BlobStore({ ...base, bucket: 'no-such-bucket' })
    await expect(store.check()).rejects.toThrow(/bucket "no-such-bucket" at .* does not exist/)
    store.close()
  })

  it('fails clearly and quickly when the service is unreachable', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`
    const store = createS3BlobStore({ ...base, endpoint })
    const started = Date.now()
    await expect(store.put(bytes(100))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringContaining(`bucket "${s3.bucket}" at ${endpoint}`),
    })
    await expect(store.get('a'.repeat(64))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' })
    await expect(store.check()).rejects.toThrow(/ECONNREFUSED/)
    expect(Date.now() - started).toBeLessThan(20_000)
    store.close()
  })

  it('refuses parts smaller than S3 accepts', () => {
    expect(() => createS3BlobStore({ ...base, partSize: 1024 })).toThrow(/at least 5242880/)
  })
})
