import type { FastifyBaseLogger } from 'fastify'
import type { Store } from '@nereid/store'
import type { ServerConfig } from '../config.js'
import type { BlobService } from '../services/blob-service.js'

export interface BackgroundJobs {
  /** Runs every job once now (tests and shutdown use it). */
  runOnce(): Promise<void>
  stop(): Promise<void>
}

/**
 * Periodic upkeep: runs with no ping for `inactiveAfterMs` become inactive, and unreferenced
 * blobs past their grace period are deleted. A job that fails is logged and tried again on
 * the next tick; it never takes the server down.
 */
export function startBackgroundJobs(options: {
  store: Store
  blobService: BlobService
  config: ServerConfig
  logger: FastifyBaseLogger
  now: () => number
}): BackgroundJobs {
  const { store, blobService, config, logger, now } = options
  let running: Promise<void> | null = null

  async function runOnce(): Promise<void> {
    try {
      const idle = await store.objects.markInactive(now() - config.inactiveAfterMs)
      if (idle > 0) logger.debug({ idle }, 'marked objects inactive')
    } catch (error) {
      logger.error({ err: error }, 'inactive-run detection failed')
    }
    try {
      const freed = await blobService.collect(config.blobGraceMs)
      if (freed > 0) logger.info({ freed }, 'deleted unreferenced blobs')
    } catch (error) {
      logger.error({ err: error }, 'blob garbage collection failed')
    }
  }

  const timer = setInterval(() => {
    running ??= runOnce().finally(() => {
      running = null
    })
  }, config.jobIntervalMs)
  timer.unref()

  return {
    runOnce,
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
