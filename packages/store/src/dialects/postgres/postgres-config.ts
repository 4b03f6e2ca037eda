export interface PostgresStoreConfig {
  /**
   * `postgres://user:password@host:port/database`, as `pg` reads it: `?sslmode=verify-full`
   * (with `sslrootcert=` for a private CA) or `?sslmode=no-verify` for TLS.
   */
  connectionString: string
  /**
   * Schema that holds Nereid's tables; created by `migrate()` when missing. Default: the
   * connection's search path (normally `public`).
   */
  schema?: string
  /** Most connections this process opens for queries (default 10). Locks use a few more. */
  maxConnections?: number
  /** How long to wait for a connection before answering "unavailable" (default 5,000 ms). */
  connectTimeoutMs?: number
  /** Connections idle this long are closed (default 30,000 ms). */
  idleTimeoutMs?: number
  /** Shown in pg_stat_activity, to tell instances apart (default "nereid"). */
  applicationName?: string
  /**
   * Receives errors of idle connections (the server restarted, the network dropped). They are
   * harmless: the connection is discarded and the next query opens a new one.
   */
  onConnectionError?: (error: Error) => void
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/

/** Whether a database URL names PostgreSQL (rather than a SQLite data folder). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url)
}

/**
 * Checks a configuration before anything connects, so a typo is reported as what it is
 * rather than as a connection failure. Throws a TypeError saying what is wrong.
 */
export function validatePostgresConfig(config: PostgresStoreConfig): void {
  if (!isPostgresUrl(config.connectionString)) {
    throw new TypeError(
      `the database URL must start with postgres:// or postgresql:// (got "${redactUrl(config.connectionString)}")`,
    )
  }
  let url: URL
  try {
    url = new URL(config.connectionString)
  } catch {
    throw new TypeError(
      `the database URL "${redactUrl(config.connectionString)}" is not a valid URL; expected postgres://user:password@host:5432/database`,
    )
  }
  if (url.pathname.replace(/^\//, '') === '' && !url.searchParams.has('dbname')) {
    throw new TypeError(
      `the database URL "${redactUrl(config.connectionString)}" names no database; add it after the host: postgres://…@${url.host}/nereid`,
    )
  }
  if (config.schema !== undefined && !SCHEMA_NAME.test(config.schema)) {
    throw new TypeError(
      `schema "${config.schema}" must be lowercase letters, digits and "_", starting with a letter or "_"`,
    )
  }
  for (const [name, value] of [
    ['maxConnections', config.maxConnections],
    ['connectTimeoutMs', config.connectTimeoutMs],
    ['idleTimeoutMs', config.idleTimeoutMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new TypeError(`${name} must be a positive integer (got ${value})`)
    }
  }
}

/** The URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@')
  }
}

/** `host:port/database` of a URL: where a connection goes, without credentials. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`
  } catch {
    return redactUrl(url)
  }
}
