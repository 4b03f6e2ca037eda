import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { dataPaths, openBlobStore, openStore, type StorageSettings } from '@nereid/server'
import {
  createLocalBlobStore,
  isPostgresUrl,
  redactUrl,
  type BlobStore,
  type Store,
} from '@nereid/store'
import { CommandError } from '../command-error.js'
import { storageSettings, type StorageFlags } from '../storage-options.js'
import { ProgressBar, count, formatBytes, formatDuration } from './sync-progress-bar.js'

/** Rows read and written per statement pair. */
const BATCH_ROWS = 1_000
/** Files copied at once. */
const FILE_CONCURRENCY = 4

interface Endpoint {
  label: string
  store: Store
  blobs: BlobStore & { close?: () => void }
}

/**
 * `nereid store copy --from <data dir | postgres://…> --to <data dir | postgres://…>`: every
 * table row by row in key order (accounts, projects, objects, fields, series blocks, views,
 * dashboards, the audit log…), then every registered file, then a check that each table's
 * row count and checksum and every file match. Interrupted, it continues with `--resume`
 * where it stopped: rows and files already in the target are not copied again.
 */
export async function storeCopyCommand(
  options: StorageFlags & {
    from: string
    to: string
    fromBlobs?: string
    toBlobs?: string
    resume?: boolean
  },
  err: NodeJS.WriteStream = process.stderr,
): Promise<void> {
  if (resolveLocation(options.from) === resolveLocation(options.to)) {
    throw new CommandError('--from and --to are the same store; name two different ones')
  }
  const scratch = await mkdtemp(join(tmpdir(), 'nereid-copy-'))
  const opened: Endpoint[] = []
  try {
    const source = await openEndpoint('from', options.from, options.fromBlobs, options, scratch)
    opened.push(source)
    const target = await openEndpoint('to', options.to, options.toBlobs, options, scratch)
    opened.push(target)
    await copy(source, target, options.resume === true, err)
  } finally {
    for (const endpoint of opened) {
      await endpoint.store.close()
      endpoint.blobs.close?.()
    }
    await rm(scratch, { recursive: true, force: true })
  }
}

function resolveLocation(location: string): string {
  return isPostgresUrl(location) ? location : resolve(location)
}

async function openEndpoint(
  side: 'from' | 'to',
  location: string,
  blobLocation: string | undefined,
  flags: StorageFlags,
  scratch: string,
): Promise<Endpoint> {
  const s3 = storageSettings({ ...flags, databaseUrl: undefined, blobUrl: undefined })
  const isDatabase = isPostgresUrl(location)
  if (!isDatabase && side === 'from' && !existsSync(dataPaths(location).database)) {
    throw new CommandError(`${location} holds no Nereid data (no ${dataPaths(location).database})`)
  }
  if (isDatabase && blobLocation === undefined) {
    throw new CommandError(
      `--${side}-blobs is needed with a database URL: the folder or s3://bucket/prefix that holds its files`,
    )
  }
  const settings: StorageSettings = {
    ...s3,
    ...(isDatabase ? { databaseUrl: location } : {}),
    ...(blobLocation?.startsWith('s3://') ? { blobUrl: blobLocation } : {}),
  }
  const dataDir = isDatabase ? join(scratch, side) : location
  let store: Store
  try {
    store = await openStore(dataDir, settings)
  } catch (error) {
    throw new CommandError(`--${side}: ${(error as Error).message}`)
  }
  try {
    const blobs =
      blobLocation !== undefined && !blobLocation.startsWith('s3://')
        ? createLocalBlobStore(resolve(blobLocation))
        : await openBlobStore(dataDir, settings)
    const label = isDatabase ? redactUrl(location) : resolve(location)
    return { label, store, blobs }
  } catch (error) {
    await store.close()
    throw new CommandError(`--${side}: ${(error as Error).message}`)
  }
}

async function copy(source: Endpoint, target: Endpoint, resume: boolean, err: NodeJS.WriteStream) {
  const started = Date.now()
  const tables = await source.store.transfer.tables()
  const targetTables = new Set((await target.store.transfer.tables()).map((t) => t.name))
  const missing = tables.filter((table) => !targetTables.has(table.name)).map((t) => t.name)
  if (missing.length > 0) {
    throw new CommandError(
      `the target lacks tables the source has (${missing.join(', ')}): both must run the same Nereid version`,
    )
  }
  if (!resume) {
    for (const table of tables) {
      const rows = await target.store.transfer.count(table.name)
      if (rows > 0) {
        throw new CommandError(
          `the target already holds data (${count(rows)} rows in ${table.name}); copy into an empty store, or pass --resume to finish an interrupted copy`,
        )
      }
    }
  }

  const counts = new Map<string, number>()
  for (const table of tables) counts.set(table.name, await source.store.transfer.count(table.name))
  const totalRows = [...counts.values()].reduce((a, b) => a + b, 0)
  err.write(
    `copying ${count(totalRows)} rows in ${tables.length} tables from ${source.label} to ${target.label}\n`,
  )

  const rowsBar = new ProgressBar(err, { label: 'rows', total: totalRows, unit: 'rows' })
  let rowsDone = 0
  for (const table of tables) {
    const keyed = table.primaryKey.length > 0
    let after: unknown[] | null = null
    if (!keyed) {
      await target.store.transfer.clear(table.name)
    } else if (resume) {
      after = await target.store.transfer.lastKey(table.name)
      // What an earlier run copied already (for the progress bar).
      if (after !== null) rowsDone += await target.store.transfer.count(table.name)
    }
    for (;;) {
      const rows = await source.store.transfer.read(table.name, after, BATCH_ROWS)
      if (rows.length === 0) break
      await target.store.transfer.write(table.name, rows)
      rowsDone += rows.length
      rowsBar.update(rowsDone)
      if (!keyed || rows.length < BATCH_ROWS) break
      const last = rows.at(-1)!
      after = table.primaryKey.map((column) => last[column])
    }
    await target.store.transfer.finishTable(table.name)
    if (err.isTTY !== true)
      err.write(`  ${table.name}: ${count(counts.get(table.name) ?? 0)} rows\n`)
  }
  rowsBar.finish()

  // Every file the source's registry knows, whether or not anything references it yet.
  const files: { hash: string; size: number }[] = []
  for (let after: unknown[] | null = null; ;) {
    const rows = await source.store.transfer.read('blobs', after, 10_000)
    for (const row of rows) files.push({ hash: String(row.hash), size: Number(row.size) })
    if (rows.length < 10_000) break
    after = [rows.at(-1)!.hash]
  }
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0)
  err.write(`copying ${count(files.length)} files (${formatBytes(totalBytes)})\n`)
  const filesBar = new ProgressBar(err, { label: 'files', total: totalBytes, unit: 'bytes' })
  let bytesDone = 0
  let copiedFiles = 0
  const lost: string[] = []
  for (let start = 0; start < files.length; start += FILE_CONCURRENCY) {
    await Promise.all(
      files.slice(start, start + FILE_CONCURRENCY).map(async (file) => {
        if (!(await target.blobs.has(file.hash))) {
          const bytes = await source.blobs.get(file.hash)
          if (bytes === null) {
            lost.push(file.hash)
          } else {
            const stored = await target.blobs.put(bytes)
            if (stored.hash !== file.hash) {
              throw new CommandError(
                `file ${file.hash} read back from ${source.label} hashes to ${stored.hash}: the source copy is damaged`,
              )
            }
            copiedFiles++
          }
        }
        bytesDone += file.size
        filesBar.update(bytesDone)
      }),
    )
  }
  filesBar.finish()

  err.write('verifying row counts, checksums and files\n')
  const problems: string[] = []
  for (const table of tables) {
    const [from, to] = await Promise.all([
      source.store.transfer.checksum(table.name),
      target.store.transfer.checksum(table.name),
    ])
    if (from.rows !== to.rows) {
      problems.push(
        `${table.name}: ${count(from.rows)} rows in the source, ${count(to.rows)} in the target`,
      )
    } else if (from.sha256 !== to.sha256) {
      problems.push(
        `${table.name}: the rows differ (checksum ${from.sha256.slice(0, 12)} ≠ ${to.sha256.slice(0, 12)})`,
      )
    }
  }
  for (const hash of lost)
    problems.push(`file ${hash} is registered in the source but its bytes are missing there`)
  for (const file of files) {
    if (!lost.includes(file.hash) && !(await target.blobs.has(file.hash))) {
      problems.push(`file ${file.hash} is missing in the target`)
    }
  }
  const took = formatDuration((Date.now() - started) / 1000)
  if (problems.length > 0) {
    throw new CommandError(
      `the copy differs from its source (was the source written to meanwhile?):\n  ${problems.join('\n  ')}`,
    )
  }
  err.write(
    `copied ${count(totalRows)} rows and ${count(copiedFiles)} files (${count(files.length)} in all, ${formatBytes(totalBytes)}) in ${took}; every table's count and checksum and every file match\n`,
  )
}
