import { startServer } from '@nereid/server'
import { redactUrl } from '@nereid/store'
import { CommandError } from '../command-error.js'
import { accountSettings, type AccountFlags } from '../accounts-options.js'
import { storageSettings, type StorageFlags } from '../storage-options.js'

export async function serverCommand(
  options: StorageFlags &
    AccountFlags & {
      port: string
      host: string
      data: string
      publicUrl?: string
      logLevel: string
      tlsCert?: string
      tlsKey?: string
      inactiveAfter?: string
    },
): Promise<void> {
  const port = Number(options.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CommandError(`--port must be a number from 0 to 65535, not "${options.port}"`)
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined))
    throw new CommandError('--tls-cert and --tls-key go together: give both files, or neither')
  const inactiveAfterMs =
    options.inactiveAfter === undefined ? undefined : Number(options.inactiveAfter)
  if (
    inactiveAfterMs !== undefined &&
    !(Number.isInteger(inactiveAfterMs) && inactiveAfterMs >= 100)
  )
    throw new CommandError(
      `--inactive-after must be a number of milliseconds (at least 100), not "${options.inactiveAfter}"`,
    )
  const storage = storageSettings(options)
  const server = await startServer({
    host: options.host,
    port,
    dataDir: options.data,
    storage,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    logLevel: options.logLevel,
    ...(options.tlsCert && options.tlsKey
      ? { tls: { certFile: options.tlsCert, keyFile: options.tlsKey } }
      : {}),
    config: {
      ...accountSettings(options),
      // Runs are checked for missed pings a few times per timeout.
      ...(inactiveAfterMs !== undefined
        ? {
            inactiveAfterMs,
            jobIntervalMs: Math.min(10_000, Math.max(50, Math.floor(inactiveAfterMs / 4))),
          }
        : {}),
    },
    announce: (message) => process.stderr.write(`\n${message}\n\n`),
  })
  const address = server.app.server.address()
  const listening =
    typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address)
  server.app.log.info(
    `Nereid is listening on ${listening}; open ${server.url} (metadata in ${storage.databaseUrl ? redactUrl(storage.databaseUrl) : options.data}, files in ${storage.blobUrl ?? options.data})`,
  )

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    server.app.log.info(
      `${signal} received: finishing requests in flight, then closing the database`,
    )
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}
