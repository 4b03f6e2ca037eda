import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { createLocalBlobStore, createSqliteStore, type Store } from '@nereid/store'
import { buildApp } from './app.js'
import type { ServerConfig } from './config.js'
import { startBackgroundJobs, type BackgroundJobs } from './jobs/background-jobs.js'
import { bootstrap } from './services/bootstrap.js'

export interface StartOptions {
  host: string
  port: number
  /** Folder for the SQLite file and the blob folder. */
  dataDir: string
  /** Defaults to http://<host>:<port> (localhost for wildcard hosts). */
  publicUrl?: string
  logLevel?: string
  /** Receives messages meant for the person who started the server (first-start credentials). */
  announce?: (message: string) => void
  config?: Partial<Omit<ServerConfig, 'publicUrl'>>
}

export interface RunningServer {
  app: FastifyInstance
  store: Store
  url: string
  jobs: BackgroundJobs
  /** Stops accepting requests, finishes those in flight, stops jobs, closes the database. */
  close(): Promise<void>
}

export function dataPaths(dataDir: string): { database: string; blobs: string } {
  const root = resolve(dataDir)
  return { database: join(root, 'nereid.db'), blobs: join(root, 'blobs') }
}

/** Opens (and migrates) the store of a data folder. */
export async function openStore(dataDir: string): Promise<Store> {
  const paths = dataPaths(dataDir)
  await mkdir(paths.blobs, { recursive: true })
  const store = createSqliteStore({ filename: paths.database })
  const result = await store.migrate()
  if (result.error !== undefined) {
    await store.close()
    const failed = result.results.find((r) => r.status === 'Error')?.name ?? 'unknown'
    throw new Error(
      `database migration ${failed} failed in ${paths.database}: ${String((result.error as Error)?.message ?? result.error)}`,
    )
  }
  return store
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const store = await openStore(options.dataDir)
  const displayHost =
    options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host
  const publicUrl = (options.publicUrl ?? `http://${displayHost}:${options.port}`).replace(
    /\/+$/,
    '',
  )
  const app = await buildApp({
    store,
    blobs: createLocalBlobStore(dataPaths(options.dataDir).blobs),
    config: { ...options.config, publicUrl },
    logger: { level: options.logLevel ?? 'info' },
  })

  if ((await store.accounts.countUsers()) === 0) {
    const first = await bootstrap(store, {
      publicUrl,
      workspace: 'default',
      project: 'sandbox',
      now: Date.now(),
      tokenName: 'first start',
    })
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

  try {
    await app.listen({ host: options.host, port: options.port })
  } catch (error) {
    await app.close()
    await store.close()
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
      })()
      return closing
    },
  }
}
