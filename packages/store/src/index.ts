export type * from './store.js'
export { createSqliteStore, type SqliteStoreConfig } from './dialects/sqlite/sqlite-store.js'
export { createKyselyStore, type KyselyStoreOptions } from './kysely-store.js'
export type { DialectAdapter } from './dialect-adapter.js'
export type { BlobStore } from './blobs/blob-store.js'
export { createLocalBlobStore } from './blobs/local-blob-store.js'
export { createPostgresStore } from './dialects/postgres/postgres-store.js'
export {
  isPostgresUrl,
  redactUrl,
  type PostgresStoreConfig,
} from './dialects/postgres/postgres-config.js'
export { computeArtifactHash } from './ingest/artifact-hash.js'
export {
  createS3BlobStore,
  parseS3Url,
  type S3BlobStore,
  type S3BlobStoreConfig,
} from './blobs/s3-blob-store.js'
export { backupSqliteFile } from './dialects/sqlite/sqlite-backup.js'
