/** Settings of one server process; `main.ts` builds them from flags and environment. */
export interface ServerConfig {
  /** Base URL users and clients reach this server at; tokens embed it. */
  publicUrl: string
  /** Largest JSON body in bytes (operation batches may be large). */
  maxJsonBodyBytes: number
  /** Largest uploaded file in bytes. */
  maxUploadBytes: number
  /** A run with no ping for this long becomes inactive. */
  inactiveAfterMs: number
  /** Unreferenced blobs younger than this are kept (a client may be about to reference them). */
  blobGraceMs: number
  /** How often background jobs run. */
  jobIntervalMs: number
}

export const DEFAULT_CONFIG: Omit<ServerConfig, 'publicUrl'> = Object.freeze({
  maxJsonBodyBytes: 256 * 1024 * 1024,
  maxUploadBytes: 64 * 1024 * 1024 * 1024,
  inactiveAfterMs: 30_000,
  blobGraceMs: 60 * 60 * 1000,
  jobIntervalMs: 10_000,
})
