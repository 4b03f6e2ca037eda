import { startServer } from '@nereid/server'
import { CommandError } from '../command-error.js'

export async function serverCommand(options: {
  port: string
  host: string
  data: string
  publicUrl?: string
  logLevel: string
}): Promise<void> {
  const port = Number(options.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new CommandError(`--port must be a number from 0 to 65535, not "${options.port}"`)
  const server = await startServer({
    host: options.host,
    port,
    dataDir: options.data,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    logLevel: options.logLevel,
    announce: (message) => process.stderr.write(`\n${message}\n\n`),
  })
  const address = server.app.server.address()
  const listening =
    typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address)
  server.app.log.info(
    `Nereid is listening on ${listening}; open ${server.url} (data in ${options.data})`,
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
