import { createInterface } from 'node:readline/promises'
import { clearLocalData, listLocalData } from '@nereid/client'
import { CommandError } from '../command-error.js'
import { count } from './sync-progress-bar.js'

/** `nereid clear`: deletes unsent local data, after asking (or with --yes). */
export async function clearCommand(options: { path?: string; yes?: boolean }): Promise<void> {
  const base = options.path !== undefined ? { dataDirectory: options.path } : {}
  const data = listLocalData(base).filter((item) => item.heldBy === null)
  if (data.length === 0) {
    process.stdout.write('Nothing to clear.\n')
    return
  }
  const operations = data.reduce((sum, item) => sum + item.pendingOperations, 0)
  const summary = `${data.length} folder(s) with ${count(operations)} unsent operations (${data
    .map((item) => item.label)
    .join(', ')})`
  if (!options.yes) {
    if (!process.stdin.isTTY) {
      throw new CommandError(`this would delete ${summary}; pass --yes to confirm without a prompt`)
    }
    const prompt = createInterface({ input: process.stdin, output: process.stderr })
    const answer = await prompt.question(`Delete ${summary}? This cannot be undone. [y/N] `)
    prompt.close()
    if (!/^y(es)?$/i.test(answer.trim())) {
      process.stdout.write('Nothing deleted.\n')
      return
    }
  }
  const result = clearLocalData({ ...base, folders: data.map((item) => item.folder) })
  process.stdout.write(`Deleted ${result.removed.length} folder(s).\n`)
  if (result.skipped.length > 0)
    process.stdout.write(
      `Kept ${result.skipped.length} folder(s) a running process is still writing.\n`,
    )
}
