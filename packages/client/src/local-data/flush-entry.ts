// Run by a process that is ending because of an uncaught error (deliver-now.ts): sends what
// the dying process logged for one object, within a deadline, so the failure shows on the
// server at once instead of after the next `nereid sync`.
import { dirname } from 'node:path'
import { syncLocalData } from './sync-local-data.js'

const [folder, parentPid, deadlineMs] = process.argv.slice(2)
if (folder) {
  const signal = AbortSignal.timeout(Number(deadlineMs) || 10_000)
  const results = await syncLocalData({
    folders: [folder],
    signal,
    allowLockOf: Number(parentPid),
    dataDirectory: dirname(dirname(folder)),
  }).catch(() => [])
  // The parent says what is left only when this did not send everything.
  process.exitCode = results.length > 0 && results.every((r) => r.status === 'synced') ? 0 : 1
}
