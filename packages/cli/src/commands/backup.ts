import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdtemp, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import tar from 'tar-stream'
import { dataPaths } from '@nereid/server'
import { backupSqliteFile, createLocalBlobStore, createSqliteStore } from '@nereid/store'
import { CommandError } from '../command-error.js'
import { storageSettings, type StorageFlags } from '../storage-options.js'
import { ProgressBar, count, formatBytes } from './sync-progress-bar.js'

/** The archive's first entry: what it holds, for `nereid restore` to check. */
export const MANIFEST = 'nereid-backup.json'
export const DATABASE_ENTRY = 'nereid.db'

export interface BackupManifest {
  format: 'nereid-backup'
  version: 1
  createdAt: string
  /** Files included under blobs/ (0 when they live in a bucket). */
  files: number
  filesBytes: number
  /** Where the files live when the backup does not hold them. */
  blobUrl: string | null
}

/**
 * `nereid backup <file>`: the SQLite database as of one moment (SQLite's online backup, so
 * the server may keep running) and every file it registers, in one tar archive (gzipped when
 * the name ends in .gz or .tgz). Files are content-addressed and never change, so copying
 * them after the database snapshot is consistent; one deleted in the meantime is reported.
 */
export async function backupCommand(
  file: string,
  options: StorageFlags & { data: string },
  err: NodeJS.WriteStream = process.stderr,
): Promise<void> {
  const settings = storageSettings(options)
  if (settings.databaseUrl !== undefined) {
    throw new CommandError(
      'nereid backup copies the SQLite database; for PostgreSQL use pg_dump (docs/deploy.md, "Backups")',
    )
  }
  const paths = dataPaths(options.data)
  if (!existsSync(paths.database)) {
    throw new CommandError(`${resolve(options.data)} holds no Nereid data (no ${paths.database})`)
  }
  const target = resolve(file)
  const scratch = await mkdtemp(join(dirname(target), '.nereid-backup-'))
  const partial = `${target}.partial`
  try {
    const snapshot = join(scratch, DATABASE_ENTRY)
    await backupSqliteFile(paths.database, snapshot)

    const files: { hash: string; size: number }[] = []
    if (settings.blobUrl === undefined) {
      const store = createSqliteStore({ filename: snapshot })
      try {
        for (let after: unknown[] | null = null; ;) {
          const rows = await store.transfer.read('blobs', after, 10_000)
          for (const row of rows) files.push({ hash: String(row.hash), size: Number(row.size) })
          if (rows.length < 10_000) break
          after = [rows.at(-1)!.hash]
        }
      } finally {
        await store.close()
      }
    }
    const filesBytes = files.reduce((sum, f) => sum + f.size, 0)
    const manifest: BackupManifest = {
      format: 'nereid-backup',
      version: 1,
      createdAt: new Date().toISOString(),
      files: files.length,
      filesBytes,
      blobUrl: settings.blobUrl ?? null,
    }

    const pack = tar.pack()
    const compress = /\.(tgz|gz)$/i.test(target)
    const written = pipeline(
      compress
        ? [pack, createGzip(), createWriteStream(partial)]
        : [pack, createWriteStream(partial)],
    )
    // Awaited after the last entry; a failure before then (disk full) must not go unheard.
    written.catch(() => undefined)
    const add = (name: string, size: number, source: NodeJS.ReadableStream | Buffer) =>
      new Promise<void>((done, fail) => {
        const entry = pack.entry({ name, size, mode: 0o600, mtime: new Date() }, (error) =>
          error ? fail(error) : done(),
        )
        if (Buffer.isBuffer(source)) entry.end(source)
        else source.pipe(entry)
      })
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2))
    await add(MANIFEST, manifestBytes.byteLength, manifestBytes)
    const database = await stat(snapshot)
    await add(DATABASE_ENTRY, database.size, createReadStream(snapshot))

    const blobs = createLocalBlobStore(paths.blobs)
    const bar = new ProgressBar(err, { label: 'files', total: filesBytes, unit: 'bytes' })
    let done = 0
    const gone: string[] = []
    for (const { hash, size } of files) {
      const bytes = await blobs.get(hash)
      if (bytes === null) gone.push(hash)
      else await add(`blobs/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`, size, bytes)
      done += size
      bar.update(done)
    }
    bar.finish()
    pack.finalize()
    await written
    await rename(partial, target)
    err.write(
      `backed up the database (${formatBytes(database.size)}) and ${count(files.length - gone.length)} files (${formatBytes(filesBytes)}) to ${target}\n`,
    )
    if (settings.blobUrl !== undefined) {
      err.write(
        `files live in ${settings.blobUrl}: back the bucket up with the storage's own tools\n`,
      )
    }
    if (gone.length > 0) {
      err.write(
        `${count(gone.length)} files were deleted while the backup ran (their objects were deleted for good meanwhile); the backup lacks them\n`,
      )
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
    await rm(partial, { force: true })
  }
}
