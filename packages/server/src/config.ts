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
  /** A browser session ends after this long without use... */
  sessionIdleMs: number
  /** ...and at the latest this long after sign-in. */
  sessionMaxMs: number
  /** Trashed objects older than this are deleted for good by a background job; 0 keeps them. */
  trashRetentionMs: number
  /** Default lifetime of an invitation link. */
  invitationTtlMs: number
  /** Single sign-on providers (OpenID Connect); empty: password sign-in only. */
  oidcProviders: OidcProviderConfig[]
}

export interface OidcProviderConfig {
  /** Short id used in URLs (`?provider=<id>`). */
  id: string
  /** Shown on the sign-in button. */
  name: string
  /** The issuer URL; its `/.well-known/openid-configuration` is read at first use. */
  issuer: string
  clientId: string
  clientSecret: string
  /** E-mail domains allowed to sign in (empty: any verified e-mail). */
  allowedDomains: string[]
}

export const DEFAULT_CONFIG: Omit<ServerConfig, 'publicUrl'> = Object.freeze({
  maxJsonBodyBytes: 256 * 1024 * 1024,
  maxUploadBytes: 64 * 1024 * 1024 * 1024,
  inactiveAfterMs: 30_000,
  blobGraceMs: 60 * 60 * 1000,
  jobIntervalMs: 10_000,
  sessionIdleMs: 7 * 24 * 60 * 60 * 1000,
  sessionMaxMs: 30 * 24 * 60 * 60 * 1000,
  trashRetentionMs: 30 * 24 * 60 * 60 * 1000,
  invitationTtlMs: 7 * 24 * 60 * 60 * 1000,
  oidcProviders: [],
})
