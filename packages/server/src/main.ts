import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { FastifyInstance } from 'fastify'
import type { Store } from '@nereid/store'
import { buildApp } from './app.js'
import type { ServerConfig } from './config.js'
import { startBackgroundJobs, type BackgroundJobs } from './jobs/background-jobs.js'
import { openBlobStore, openStore, type StorageSettings } from './open-storage.js'
import { bootstrap } from './services/bootstrap.js'

export { dataPaths, openBlobStore, openStore, type StorageSettings } from './open-storage.js'

export interface StartOptions {
  host: string
  port: number
  /** Folder for the SQLite file and the blob folder. */
  dataDir: string
  /** PostgreSQL and S3-compatible storage instead of the data folder (several instances). */
  storage?: StorageSettings
  /** Defaults to http://<host>:<port> (localhost for wildcard hosts). */
  publicUrl?: string
  logLevel?: string
  /** Receives messages meant for the person who started the server (first-start credentials). */
  announce?: (message: string) => void
  config?: Partial<Omit<ServerConfig, 'publicUrl'>>
  /** PEM files of a certificate and its key: the server then speaks HTTPS. */
  tls?: { certFile: string; keyFile: string }
}

export interface RunningServer {
  app: FastifyInstance
  store: Store
  url: string
  jobs: BackgroundJobs
  /** Stops accepting requests, finishes those in flight, stops jobs, closes the database. */
  close(): Promise<void>
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const store = await openStore(options.dataDir, options.storage)
  let blobs: Awaited<ReturnType<typeof openBlobStore>>
  try {
    blobs = await openBlobStore(options.dataDir, options.storage)
  } catch (error) {
    await store.close()
    throw error
  }
  const displayHost =
    options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host
  const scheme = options.tls ? 'https' : 'http'
  const publicUrl = (options.publicUrl ?? `${scheme}://${displayHost}:${options.port}`).replace(
    /\/+$/,
    '',
  )
  const tls = options.tls ? await readTls(options.tls) : undefined
  const app = await buildApp({
    store,
    blobs,
    config: { ...options.config, publicUrl },
    logger: { level: options.logLevel ?? 'info' },
    ...(tls ? { https: tls } : {}),
  })

  // Instances started together on an empty database: exactly one creates the first account.
  const first = await store.locks.runExclusive('first-start', async () =>
    (await store.accounts.countUsers()) === 0
      ? bootstrap(store, {
          publicUrl,
          workspace: 'default',
          project: 'sandbox',
          now: Date.now(),
          tokenName: 'first start',
        })
      : null,
  )
  if (first !== null) {
    const announce = options.announce ?? ((message: string) => app.log.warn(message))
    announce(
      [
        'First start: created user "admin" (password: ' +
          first.password +
          '), workspace "default" and project "default/sandbox".',
        'API token (shown once; keep it):',
        first.token,
        'Python: export NEPTUNE_API_TOKEN=<that token> NEPTUNE_PROJECT=default/sandbox',
      ].join('\n'),
    )
  }

  const tell = options.announce ?? ((message: string) => app.log.info(message))
  tell(neptuneClientHint(publicUrl, tls ? isSelfSigned(tls.cert) : undefined))

  try {
    await app.listen({ host: options.host, port: options.port })
  } catch (error) {
    await app.close()
    await store.close()
    blobs.close?.()
    throw error
  }
  const jobs = startBackgroundJobs({
    store,
    blobService: app.nereid.blobService,
    config: app.nereid.config,
    logger: app.log,
    now: Date.now,
  })
  let closing: Promise<void> | undefined
  return {
    app,
    store,
    url: publicUrl,
    jobs,
    close() {
      closing ??= (async () => {
        await app.close()
        await jobs.stop()
        await store.close()
        blobs.close?.()
      })()
      return closing
    },
  }
}

async function readTls(tls: { certFile: string; keyFile: string }) {
  const read = async (file: string, what: string) => {
    try {
      return await readFile(file)
    } catch (error) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(error as Error).message}`)
    }
  }
  return { cert: await read(tls.certFile, 'certificate'), key: await read(tls.keyFile, 'key') }
}

/**
 * What a user of the `neptune` Python client must set to reach this server: oauthlib refuses
 * plain HTTP unless told otherwise, and a self-signed certificate needs Neptune's own switch.
 * `selfSigned` is known when this process serves TLS itself; behind a proxy it is not.
 */
function neptuneClientHint(publicUrl: string, selfSigned: boolean | undefined): string {
  const lines = [
    `Neptune client: set NEPTUNE_API_TOKEN and NEPTUNE_PROJECT=<workspace>/<project>; the token points it at ${publicUrl}.`,
  ]
  if (!publicUrl.startsWith('https:')) {
    lines.push(
      'This server speaks plain HTTP, so also: export OAUTHLIB_INSECURE_TRANSPORT=1',
      '(or serve HTTPS: nereid server --tls-cert FILE --tls-key FILE)',
    )
  } else if (selfSigned === true) {
    lines.push(
      'The TLS certificate is self-signed, so also: export NEPTUNE_ALLOW_SELF_SIGNED_CERTIFICATE=1',
    )
  } else if (selfSigned === undefined) {
    lines.push(
      'If the certificate of that address is self-signed, also: export NEPTUNE_ALLOW_SELF_SIGNED_CERTIFICATE=1',
    )
  }
  return lines.join('\n')
}

/** A certificate that signed itself: the Python client refuses it unless told otherwise. */
function isSelfSigned(pem: Buffer): boolean {
  try {
    const certificate = new X509Certificate(pem)
    return certificate.issuer === certificate.subject && certificate.verify(certificate.publicKey)
  } catch {
    return false
  }
}
