import type { BlobStore, Store } from '@nereid/store'
import type { ServerConfig } from './config.js'
import type { BatchParser } from './ingest/batch-parser.js'
import type { BlobService } from './services/blob-service.js'
import type { ObjectIdCache } from './services/object-lookup.js'
import type { TokenService } from './services/token-service.js'

/** What route plugins receive. */
export interface AppDeps {
  store: Store
  blobs: BlobStore
  config: ServerConfig
  tokens: TokenService
  blobService: BlobService
  batchParser: BatchParser
  /** Ids of objects named by ref, for routes that need nothing else of the object. */
  objectIds: ObjectIdCache
  now: () => number
}
