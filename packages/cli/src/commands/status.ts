import { listLocalData } from '@nereid/client'
import { count, formatBytes } from './sync-progress-bar.js'

/** `nereid status`: what is waiting on disk to be sent, per run. Changes nothing. */
export async function statusCommand(options: { path?: string; json?: boolean }): Promise<void> {
  const data = listLocalData(options.path !== undefined ? { dataDirectory: options.path } : {})
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify(
        data.map((item) => ({
          folder: item.folder,
          label: item.label,
          kind: item.meta.kind,
          mode: item.meta.mode,
          project: item.meta.project,
          objectId: item.meta.objectId,
          shortId: item.meta.shortId,
          pendingOperations: item.pendingOperations,
          pendingPoints: item.pendingPoints,
          bytes: item.bytes,
          createdAt: new Date(item.meta.createdAt).toISOString(),
          heldByPid: item.heldBy?.pid ?? null,
          damaged: item.damaged,
        })),
        null,
        2,
      )}\n`,
    )
    return
  }
  if (data.length === 0) {
    process.stdout.write('Nothing to sync: no unsent data.\n')
    return
  }
  const rows = data.map((item) => [
    item.label,
    item.meta.mode,
    item.meta.project ?? '(given at sync)',
    count(item.pendingOperations),
    count(item.pendingPoints),
    formatBytes(item.bytes),
    new Date(item.meta.createdAt).toISOString().slice(0, 19).replace('T', ' '),
    item.heldBy
      ? `being written by process ${item.heldBy.pid}`
      : item.damaged.length > 0
        ? `${item.damaged.length} damaged record(s)`
        : 'ready to sync',
  ])
  const header = [
    'OBJECT',
    'MODE',
    'PROJECT',
    'UNSENT OPS',
    'POINTS',
    'ON DISK',
    'CREATED (UTC)',
    'STATE',
  ]
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()
  process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`)
  const total = data.reduce((sum, item) => sum + item.pendingOperations, 0)
  process.stdout.write(
    `\n${count(total)} unsent operations in ${data.length} folder(s); run \`nereid sync\` to send them.\n`,
  )
}
