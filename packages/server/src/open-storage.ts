import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  createLocalBlobStore,
  createPostgresStore,
  createS3BlobStore,
  createSqliteStore,
  isPostgresUrl,
  parseS3Url,
  redactUrl,
  type BlobStore,
  type Store,
} from '@nereid/store'

/**
 * Where a server keeps its data. The default is the data folder (a SQLite file and a blob
 * folder); a PostgreSQL URL and an s3:// URL move metadata and files out of it, which is what
 * lets several server instances share them.
 */
export interface StorageSettings {
  /** `postgres://user:password@host:5432/db`: PostgreSQL instead of `<dataDir>/nereid.db`. */
  databaseUrl?: string
  /** Most PostgreSQL connections per server process (default 10). */
  databasePoolSize?: number
  /** `s3://bucket/prefix`: an S3-compatible bucket instead of `<dataDir>/blobs`. */
  blobUrl?: string
  /** S3 endpoint for non-AWS services (MinIO, Ceph, R2, …). */
  s3Endpoint?: string
  s3Region?: string
  /** Path-style addressing (`http://host/bucket/key`), which most non-AWS services need. */
  s3ForcePathStyle?: boolean
}

export function dataPaths(dataDir: string): { database: string; blobs: string } {
  const root = resolve(dataDir)
  return { database: join(root, 'nereid.db'), blobs: join(root, 'blobs') }
}

/** A line saying where metadata lives, without credentials. */
export function describeDatabase(dataDir: string, settings: StorageSettings = {}): string {
  return settings.databaseUrl === undefined
    ? dataPaths(dataDir).database
    : redactUrl(settings.databaseUrl)
}

/**
 * Opens and migrates the store. A database that cannot be reached or refuses the credentials
 * fails here with one line saying so, before anything listens.
 */
export async function openStore(dataDir: string, settings: StorageSettings = {}): Promise<Store> {
  // A malformed blob URL is reported before the database is touched (created, migrated).
  if (settings.blobUrl !== undefined) bucketOf(settings.blobUrl)
  const where = describeDatabase(dataDir, settings)
  let store: Store
  if (settings.databaseUrl !== undefined) {
    if (!isPostgresUrl(settings.databaseUrl)) {
      throw new Error(
        `the database URL must be postgres://user:password@host:5432/database (got "${redactUrl(settings.databaseUrl)}"); leave it unset for the SQLite file in the data folder`,
      )
    }
    try {
      store = createPostgresStore({
        connectionString: settings.databaseUrl,
        ...(settings.databasePoolSize === undefined
          ? {}
          : { maxConnections: settings.databasePoolSize }),
      })
    } catch (error) {
      throw new Error(`cannot use the database ${where}: ${(error as Error).message}`)
    }
    const health = await store.checkIntegrity()
    if (!health.ok) {
      await store.close()
      throw new Error(`cannot use the database ${where}: ${health.messages.join('; ')}`)
    }
  } else {
    // The blob folder too, unless files live in a bucket: a data folder is complete from the start.
    await mkdir(settings.blobUrl === undefined ? dataPaths(dataDir).blobs : resolve(dataDir), {
      recursive: true,
    })
    store = createSqliteStore({ filename: dataPaths(dataDir).database })
  }
  const result = await store.migrate()
  if (result.error !== undefined) {
    await store.close()
    const failed = result.results.find((r) => r.status === 'Error')?.name
    const message = String((result.error as Error)?.message ?? result.error)
    throw new Error(
      failed === undefined
        ? `cannot migrate the database ${where}: ${message}`
        : `database migration ${failed} failed in ${where}: ${message}`,
    )
  }
  return store
}

/**
 * Opens the blob store and, for a bucket, checks that it exists and that the credentials may
 * write to it, so a typo fails the start instead of the first upload.
 */
export async function openBlobStore(
  dataDir: string,
  settings: StorageSettings = {},
): Promise<BlobStore & { close?: () => void }> {
  if (settings.blobUrl === undefined) {
    const folder = dataPaths(dataDir).blobs
    await mkdir(folder, { recursive: true })
    return createLocalBlobStore(folder)
  }
  const location = bucketOf(settings.blobUrl)
  const blobs = createS3BlobStore({
    ...location,
    ...(settings.s3Endpoint === undefined ? {} : { endpoint: settings.s3Endpoint }),
    ...(settings.s3Region === undefined ? {} : { region: settings.s3Region }),
    forcePathStyle: settings.s3ForcePathStyle ?? false,
  })
  try {
    await blobs.check()
  } catch (error) {
    blobs.close()
    throw new Error(`cannot use the blob storage ${settings.blobUrl}: ${(error as Error).message}`)
  }
  return blobs
}

function bucketOf(blobUrl: string): { bucket: string; prefix: string } {
  try {
    return parseS3Url(blobUrl)
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; leave it unset for the blob folder in the data folder`,
    )
  }
}
