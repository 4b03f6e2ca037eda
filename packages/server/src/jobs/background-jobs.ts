import type { FastifyBaseLogger } from 'fastify'
import type { Store } from '@nereid/store'
import type { ServerConfig } from '../config.js'
import type { BlobService } from '../services/blob-service.js'
import { createTrashRetention } from './trash-retention.js'

export interface BackgroundJobs {
  /** Runs every job once now (tests and shutdown use it). */
  runOnce(): Promise<void>
  stop(): Promise<void>
}

/** One kind of periodic upkeep; `run` returns what to log (nothing when it did nothing). */
interface Job {
  name: string
  /** Log what it did at debug level: it happens all the time and needs no attention. */
  routine?: boolean
  run(): Promise<{ message: string; [key: string]: unknown } | null>
}

/**
 * Periodic upkeep: runs with no ping for `inactiveAfterMs` become inactive, trashed objects
 * past their retention are deleted, and unreferenced blobs past their grace period are
 * deleted. Each job runs once per interval across every server instance on the database: an
 * instance first takes the job's lock (so a slow round never overlaps another), then claims
 * the round (so a round another instance ran a moment ago is not run again). A job that fails
 * is logged and tried again on the next tick; it never takes the server down.
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
  const retention = createTrashRetention({
    store,
    blobService,
    retentionMs: config.trashRetentionMs,
    now,
  })

  const jobs: Job[] = [
    {
      name: 'inactive-runs',
      routine: true,
      async run() {
        const idle = await store.objects.markInactive(now() - config.inactiveAfterMs)
        return idle > 0 ? { message: 'marked objects inactive', idle } : null
      },
    },
    {
      name: 'trash-retention',
      async run() {
        const { deleted } = await retention.run()
        return deleted > 0 ? { message: 'deleted objects past the trash retention', deleted } : null
      },
    },
    {
      name: 'blob-gc',
      async run() {
        const freed = await blobService.collect(config.blobGraceMs)
        return freed > 0 ? { message: 'deleted unreferenced blobs', freed } : null
      },
    },
  ]

  // Instances' clocks and timers drift; a round claimed this much early still counts.
  const claimIntervalMs = Math.floor(config.jobIntervalMs * 0.8)

  async function runJobs(force: boolean): Promise<void> {
    for (const job of jobs) {
      try {
        const lock = `job:${job.name}`
        // A forced round (runOnce) waits for a round in progress; a timer tick skips it.
        const outcome = force
          ? { acquired: true as const, value: await store.locks.runExclusive(lock, job.run) }
          : await store.locks.tryRunExclusive(lock, async () =>
              (await store.jobs.claim(job.name, now(), claimIntervalMs)) ? job.run() : null,
            )
        if (outcome.acquired && outcome.value !== null) {
          const { message, ...fields } = outcome.value
          if (job.routine) logger.debug({ job: job.name, ...fields }, message)
          else logger.info({ job: job.name, ...fields }, message)
        }
      } catch (error) {
        logger.error({ err: error, job: job.name }, `background job ${job.name} failed`)
      }
    }
  }

  const timer = setInterval(() => {
    running ??= runJobs(false).finally(() => {
      running = null
    })
  }, config.jobIntervalMs)
  timer.unref()

  return {
    runOnce: () => runJobs(true),
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
