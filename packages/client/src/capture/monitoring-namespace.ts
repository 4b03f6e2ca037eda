import { createHash } from 'node:crypto'

/**
 * Neptune's per-process namespace: `monitoring/<8 hex digits of a hash of host, pid and
 * thread>`, so several processes writing one run (a shared custom run id) never mix their
 * stdout or CPU series.
 */
export function monitoringNamespace(hostname: string, pid: number, threadId: number): string {
  const hash = createHash('sha256').update(`${hostname}${pid}${threadId}`).digest('hex')
  return `monitoring/${hash.slice(0, 8)}`
}
