import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3'
import { NereidError } from '@nereid/core'
import type { BlobStore } from './blob-store.js'

const HASH = /^[0-9a-f]{64}$/
const MIB = 1024 * 1024
/** S3's floor for every part but the last. */
const MIN_PART_BYTES = 5 * MIB
/** The largest object one CopyObject may copy; larger ones are copied part by part. */
const MAX_SINGLE_COPY_BYTES = 5 * 1024 * MIB
/** Seconds a client should wait before retrying when the object storage fails. */
const RETRY_AFTER_SECONDS = 5

export interface S3BlobStoreConfig {
  bucket: string
  /** Key prefix under which blobs live (`nereid/` → `nereid/ab/cd/<hash>`); default none. */
  prefix?: string
  /** Service URL for S3-compatible storage (MinIO, Ceph, R2…); AWS when absent. */
  endpoint?: string
  /**
   * Default us-east-1 (most S3-compatible services ignore it). The CLI passes AWS_REGION or
   * AWS_DEFAULT_REGION here; the store reads no environment of its own.
   */
  region?: string
  /** `http://host/bucket/key` addressing, which most non-AWS services need. */
  forcePathStyle?: boolean
  /** Default: the AWS SDK's chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  /** Size of each part of a multipart upload (default 8 MiB, at least 5 MiB). */
  partSize?: number
  /** Parts of one upload sent at once (default 4). */
  partConcurrency?: number
}

export interface S3BlobStore extends BlobStore {
  /** Checks that the bucket exists and that these credentials may write and delete in it. */
  check(): Promise<void>
  close(): void
}

/** Parses `s3://bucket/prefix` into its bucket and key prefix (ending in '/' when not empty). */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/?#]+)(?:\/([^?#]*))?$/.exec(url.trim())
  if (!match) {
    throw new TypeError(
      `the blob URL must look like s3://bucket or s3://bucket/prefix (got "${url}")`,
    )
  }
  const bucket = match[1]!
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,254}$/.test(bucket)) {
    throw new TypeError(`"${bucket}" is not a valid bucket name (letters, digits, ".", "-", "_")`)
  }
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '')
  return { bucket, prefix: prefix === '' ? '' : `${prefix}/` }
}

/**
 * Blobs in an S3-compatible bucket, under `<prefix>ab/cd/<hash>` like the local store. Bytes
 * stream in while they are hashed; small files are stored with one PUT once their hash is
 * known; larger ones go up as a multipart upload to a temporary key and are then copied
 * inside the bucket to their content address, so no file is ever held whole in memory or on
 * local disk. An object under a content address is complete by construction: S3 makes an
 * object visible only once its upload has finished.
 *
 * Every failure of the storage service becomes SERVICE_UNAVAILABLE (HTTP 503 with
 * Retry-After), saying which bucket failed and how.
 */
export function createS3BlobStore(config: S3BlobStoreConfig): S3BlobStore {
  const bucket = config.bucket
  const prefix = config.prefix ?? ''
  const partSize = config.partSize ?? 8 * MIB
  const concurrency = config.partConcurrency ?? 4
  if (partSize < MIN_PART_BYTES) {
    throw new RangeError(`partSize must be at least ${MIN_PART_BYTES} bytes (got ${partSize})`)
  }
  const client = new S3Client({
    region: config.region ?? 'us-east-1',
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    forcePathStyle: config.forcePathStyle ?? false,
    // Only the checksums S3 requires: several S3-compatible services reject the SDK's newer
    // default of trailing checksums on every upload. Content is verified by its sha256 anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 5_000, socketTimeout: 120_000 },
  })
  const where = `bucket "${bucket}"${config.endpoint === undefined ? '' : ` at ${config.endpoint}`}`
  const keyOf = (hash: string) => `${prefix}${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`
  const failure = (action: string, error: unknown) => toServiceError(action, where, error)

  async function send<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      throw failure(action, error)
    }
  }

  async function exists(key: string): Promise<{ size: number } | null> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
      return { size: Number(head.ContentLength ?? 0) }
    } catch (error) {
      if (isNotFound(error)) return null
      throw failure('looking up a file', error)
    }
  }

  /** Copies a finished temporary object to its content address, part by part when large. */
  async function copyInto(source: string, target: string, size: number): Promise<void> {
    const copySource = `${bucket}/${encodeURIComponent(source).replace(/%2F/g, '/')}`
    if (size <= MAX_SINGLE_COPY_BYTES) {
      await send('storing a file', () =>
        client.send(new CopyObjectCommand({ Bucket: bucket, Key: target, CopySource: copySource })),
      )
      return
    }
    const { UploadId } = await send('storing a file', () =>
      client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: target })),
    )
    try {
      const parts: CompletedPart[] = []
      // Few, large parts: a part copy is fast and there may be at most 10,000 of them.
      const copyPart = Math.max(partSize, Math.ceil(size / 9_000), 512 * MIB)
      for (let start = 0, number = 1; start < size; start += copyPart, number++) {
        const end = Math.min(size, start + copyPart) - 1
        const result = await send('storing a file', () =>
          client.send(
            new UploadPartCopyCommand({
              Bucket: bucket,
              Key: target,
              UploadId,
              PartNumber: number,
              CopySource: copySource,
              CopySourceRange: `bytes=${start}-${end}`,
            }),
          ),
        )
        parts.push({ PartNumber: number, ETag: result.CopyPartResult?.ETag })
      }
      await send('storing a file', () =>
        client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: target,
            UploadId,
            MultipartUpload: { Parts: parts },
          }),
        ),
      )
    } catch (error) {
      await abort(target, UploadId)
      throw error
    }
  }

  /** Best effort: a bucket lifecycle rule removes multipart uploads that are never finished. */
  async function abort(key: string, uploadId: string | undefined): Promise<void> {
    if (uploadId === undefined) return
    try {
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }),
      )
    } catch {
      // Unfinished uploads cost storage, never correctness; see docs/deploy.md.
    }
  }

  async function removeQuietly(key: string): Promise<void> {
    try {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
    } catch {
      // A stray temporary object is harmless (never addressed by a hash).
    }
  }

  return {
    async put(source, options) {
      const hasher = createHash('sha256')
      let size = 0
      let pending: Buffer[] = []
      let pendingBytes = 0
      let upload: { key: string; id: string } | undefined
      const parts: CompletedPart[] = []
      const inFlight = new Set<Promise<void>>()
      let nextPart = 1
      let failed: unknown

      const sendPart = (body: Buffer, target: { key: string; id: string }) => {
        const number = nextPart++
        const sent = send('uploading a file', () =>
          client.send(
            new UploadPartCommand({
              Bucket: bucket,
              Key: target.key,
              UploadId: target.id,
              PartNumber: number,
              Body: body,
              ContentLength: body.byteLength,
            }),
          ),
        ).then(
          (result) => {
            parts.push({ PartNumber: number, ETag: result.ETag })
          },
          (error: unknown) => {
            failed ??= error
          },
        )
        const tracked = sent.finally(() => inFlight.delete(tracked))
        inFlight.add(tracked)
        return tracked
      }

      try {
        for await (const chunk of source) {
          size += chunk.byteLength
          if (options?.maxBytes !== undefined && size > options.maxBytes) {
            throw new NereidError(
              'BODY_TOO_LARGE',
              `the file is larger than the limit of ${options.maxBytes} bytes`,
              { limitBytes: options.maxBytes },
            )
          }
          hasher.update(chunk)
          // A copy: the source may reuse its buffer once we yield.
          pending.push(Buffer.from(chunk))
          pendingBytes += chunk.byteLength
          if (pendingBytes < partSize) continue
          if (failed !== undefined) throw failed
          upload ??= await startUpload()
          const all = Buffer.concat(pending, pendingBytes)
          let offset = 0
          for (; all.byteLength - offset >= partSize; offset += partSize) {
            // Back-pressure: at most `concurrency` parts in memory and on the wire.
            while (inFlight.size >= concurrency) await Promise.race(inFlight)
            void sendPart(all.subarray(offset, offset + partSize), upload)
          }
          pending = offset < all.byteLength ? [all.subarray(offset)] : []
          pendingBytes = all.byteLength - offset
        }
        const hash = hasher.digest('hex')
        const key = keyOf(hash)
        if (upload === undefined) {
          // Small enough for one request, addressed by its hash straight away.
          const body = Buffer.concat(pending, pendingBytes)
          await send('uploading a file', () =>
            client.send(
              new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: size }),
            ),
          )
          return { hash, size }
        }
        if (pendingBytes > 0) {
          void sendPart(Buffer.concat(pending, pendingBytes), upload)
        }
        await Promise.all(inFlight)
        if (failed !== undefined) throw failed
        parts.sort((a, b) => a.PartNumber! - b.PartNumber!)
        const finished = upload
        await send('uploading a file', () =>
          client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: finished.key,
              UploadId: finished.id,
              MultipartUpload: { Parts: parts },
            }),
          ),
        )
        upload = undefined
        try {
          // Content that is already stored needs no second copy.
          if ((await exists(key)) === null) await copyInto(finished.key, key, size)
        } finally {
          await removeQuietly(finished.key)
        }
        return { hash, size }
      } catch (error) {
        await Promise.allSettled(inFlight)
        if (upload !== undefined) await abort(upload.key, upload.id)
        throw error
      }

      async function startUpload(): Promise<{ key: string; id: string }> {
        const key = `${prefix}tmp/${randomUUID()}`
        const created = await send('uploading a file', () =>
          client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key })),
        )
        return { key, id: created.UploadId! }
      }
    },

    async get(hash) {
      if (!HASH.test(hash)) return null
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: keyOf(hash) }))
        const body = object.Body
        if (body instanceof Readable) return body
        if (body === undefined) return Readable.from([])
        // Node's HTTP handler always gives a Readable; other runtimes give a web stream.
        return Readable.fromWeb(body.transformToWebStream() as unknown as WebReadableStream)
      } catch (error) {
        if (isNotFound(error)) return null
        throw failure('downloading a file', error)
      }
    },

    async has(hash) {
      if (!HASH.test(hash)) return false
      return (await exists(keyOf(hash))) !== null
    },

    async delete(hash) {
      if (!HASH.test(hash)) return
      await send('deleting a file', () =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keyOf(hash) })),
      )
    },

    async *list() {
      let token: string | undefined
      do {
        const page = await send('listing files', () =>
          client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          ),
        )
        for (const object of page.Contents ?? []) {
          const name = object.Key?.slice(prefix.length) ?? ''
          const hash = name.slice(6)
          if (HASH.test(hash) && name === `${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`) {
            yield hash
          }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token !== undefined)
    },

    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }))
      } catch (error) {
        if (isNotFound(error)) {
          throw new NereidError(
            'SERVICE_UNAVAILABLE',
            `the ${where} does not exist; create it first`,
          )
        }
        throw failure('opening the bucket', error)
      }
      const probe = `${prefix}tmp/.nereid-check-${randomUUID()}`
      await send('writing a test file', () =>
        client.send(new PutObjectCommand({ Bucket: bucket, Key: probe, Body: 'nereid' })),
      )
      await send('deleting a test file', () =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: probe })),
      )
    },

    close() {
      client.destroy()
    },
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchBucket' ||
    e?.$metadata?.httpStatusCode === 404
  )
}

/** Why a request to the storage service failed, in words an operator can act on. */
function describe(error: unknown): string {
  const e = error as {
    name?: string
    code?: string
    message?: string
    errors?: { message?: string }[]
    $metadata?: { httpStatusCode?: number }
  } | null
  const status = e?.$metadata?.httpStatusCode
  switch (e?.name) {
    case 'CredentialsProviderError':
      return 'no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)'
    case 'InvalidAccessKeyId':
    case 'SignatureDoesNotMatch':
    case 'AccessDenied':
    case 'Forbidden':
      return `access denied (${e.name}): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the bucket's policy`
  }
  if (status === 403) {
    return "access denied (HTTP 403): check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and the bucket's policy"
  }
  const message =
    e?.message && e.message !== '' ? e.message : (e?.errors?.map((x) => x.message).join('; ') ?? '')
  const code = e?.code ?? e?.name ?? 'error'
  const text = message === '' || message === code ? code : `${code}: ${message}`
  return status === undefined ? text : `${text} (HTTP ${status})`
}

function toServiceError(action: string, where: string, error: unknown): unknown {
  if (error instanceof NereidError) return error
  return new NereidError(
    'SERVICE_UNAVAILABLE',
    `the object storage (${where}) failed while ${action}: ${describe(error)}`,
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
    { cause: error },
  )
}
