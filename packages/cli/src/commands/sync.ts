import { syncLocalData, type SyncResult } from '@nereid/client'
import { CommandError } from '../command-error.js'
import { ProgressBar, count } from './sync-progress-bar.js'

/**
 * `nereid sync`: sends offline runs and what async runs left unsent. Safe to repeat and to
 * interrupt with Ctrl-C: acknowledged batches are forgotten at once, and the server applies
 * each operation once, so the next `nereid sync` continues where this one stopped.
 */
export async function syncCommand(options: {
  path?: string
  project?: string
  apiToken?: string
}): Promise<void> {
  const controller = new AbortController()
  const interrupt = () => {
    if (controller.signal.aborted) {
      // A second Ctrl-C: Node's own handling ends the process at once.
      process.off('SIGINT', interrupt)
      process.kill(process.pid, 'SIGINT')
      return
    }
    process.stderr.write(
      '\nnereid: stopping after the batch in flight (Ctrl-C again to quit now)\n',
    )
    controller.abort()
  }
  process.on('SIGINT', interrupt)
  const bars = new Map<string, ProgressBar>()
  let results: SyncResult[]
  try {
    results = await syncLocalData({
      ...(options.path !== undefined ? { dataDirectory: options.path } : {}),
      ...(options.project !== undefined ? { project: options.project } : {}),
      ...(options.apiToken !== undefined ? { apiToken: options.apiToken } : {}),
      signal: controller.signal,
      onProgress: (event) => {
        let bar = bars.get(event.folder)
        if (!bar) {
          bar = new ProgressBar(process.stderr, {
            label: event.label,
            total: event.totalPoints,
            unit: 'points',
          })
          bars.set(event.folder, bar)
        }
        bar.update(event.sentPoints)
      },
      onMessage: (line) => {
        for (const bar of bars.values()) bar.finish()
        process.stderr.write(`nereid: ${line}\n`)
      },
    })
  } finally {
    process.off('SIGINT', interrupt)
    for (const bar of bars.values()) bar.finish()
  }
  if (results.length === 0) {
    process.stdout.write('Nothing to sync.\n')
    return
  }
  for (const result of results) process.stdout.write(`${result.message}\n`)
  const sent = results.reduce((sum, result) => sum + result.sentOperations, 0)
  const failed = results.filter((result) => result.status === 'failed')
  const left = results.reduce((sum, result) => sum + result.remainingOperations, 0)
  process.stdout.write(
    `${count(sent)} operations sent${left > 0 ? `, ${count(left)} left on disk` : ''}.\n`,
  )
  if (controller.signal.aborted)
    throw new CommandError('interrupted; run `nereid sync` again to send the rest', 130)
  if (failed.length > 0)
    throw new CommandError(
      `${failed.length} of ${results.length} could not be synced; their data stays on disk (see above)`,
    )
}
