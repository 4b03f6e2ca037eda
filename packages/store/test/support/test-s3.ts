import { rmSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import S3rver from 's3rver'

/**
 * An S3-protocol server on 127.0.0.1 (s3rver, files in a temporary folder), reached through
 * the real AWS SDK. s3rver accepts the access key S3RVER and rejects any other, which lets
 * tests see what wrong credentials do.
 */
export interface TestS3 {
  endpoint: string
  bucket: string
  credentials: { accessKeyId: string; secretAccessKey: string }
  /**
   * Copies every object under `prefix` into `folder` (keys below the prefix become paths), as
   * an operator's `aws s3 sync s3://bucket/prefix folder` does; returns how many.
   */
  download(prefix: string, folder: string): Promise<number>
  /** The other way: every file below `folder` to `prefix` + its relative path. */
  upload(folder: string, prefix: string): Promise<number>
  /** Deletes every object under `prefix` (a lost bucket); returns how many. */
  deleteAll(prefix: string): Promise<number>
  stop(): Promise<void>
}

// The AWS SDK warns on Node 20 about its releases of 2027; the CLI silences it the same way.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

export async function startTestS3(bucket = 'nereid-test'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'nereid-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  })
  const address = (await server.run()) as AddressInfo
  // A worker that ends early (a timeout, an interrupted run) leaves no bucket folder behind.
  const removeOnExit = () => rmSync(directory, { recursive: true, force: true })
  process.once('exit', removeOnExit)
  const endpoint = `http://127.0.0.1:${address.port}`
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
  })

  async function keys(prefix: string): Promise<string[]> {
    const found: string[] = []
    let token: string | undefined
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      )
      for (const object of page.Contents ?? []) if (object.Key) found.push(object.Key)
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token !== undefined)
    return found
  }

  async function filesBelow(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true })
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  }

  return {
    endpoint,
    bucket,
    credentials,
    async download(prefix, folder) {
      const found = await keys(prefix)
      for (const key of found) {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        const path = join(folder, key.slice(prefix.length))
        await mkdir(dirname(path), { recursive: true })
        await writeFile(path, await object.Body!.transformToByteArray())
      }
      return found.length
    },
    async upload(folder, prefix) {
      const files = await filesBelow(folder)
      for (const file of files) {
        const key = `${prefix}${relative(folder, file).split('\\').join('/')}`
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(file) }),
        )
      }
      return files.length
    },
    async deleteAll(prefix) {
      const found = await keys(prefix)
      for (const key of found)
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
      return found.length
    },
    async stop() {
      client.destroy()
      await server.close()
      process.off('exit', removeOnExit)
      await rm(directory, { recursive: true, force: true })
    },
  }
}
