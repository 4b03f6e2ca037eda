import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  stop(): Promise<void>
}

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
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async stop() {
      await server.close()
      process.off('exit', removeOnExit)
      await rm(directory, { recursive: true, force: true })
    },
  }
}
