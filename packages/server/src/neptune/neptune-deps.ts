import type { AppDeps } from '../app-deps.js'
import type { TokenExchange } from './token-exchange.js'

/** What the Neptune route plugins receive. */
export interface NeptuneDeps extends AppDeps {
  exchange: TokenExchange
}

/** The multipart settings of Neptune's hosted service; the client's upload-call counts rely on them. */
export const MULTIPART = {
  minChunkSize: 5 * 1024 * 1024,
  maxChunkSize: 1024 * 1024 * 1024,
  maxChunkCount: 1000,
  maxSinglePartSize: 5 * 1024 * 1024,
} as const
