import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createGunzip } from 'node:zlib'
import { pipeline } from 'node:stream/promises'
import tar from 'tar-stream'
import { dataPaths, openStore } from '@nereid/server'
import { createLocalBlobStore } from '@nereid/store'
import { CommandError } from '../command-error.js'
import { DATABASE_ENTRY, MANIFEST, type BackupManifest } from './backup.js'
import { count, formatBytes } from './sync-progress-bar.js'

const BLOB_ENTRY = /^blobs\/[0-9a-f]{2}\/[0-9a-f]{2}\/([0-9a-f]{64})$/

/**
 * `nereid restore <file>`: puts a backup written by `nereid backup` into a data folder. Each
 * file is checked against its sha256 as it is written; the database is opened, checked for
 * damage and migrated; every file it registers must be there. Only then does it replace the
 * folder's database (with --force; without, the folder must hold none).
 */
export async function restoreCommand(
  file: string,
  options: { data: string; force?: boolean },
  err: NodeJS.WriteStream = process.stderr,
): Promise<void> {
  const source = resolve(file)
  if (!existsSync(source)) throw new CommandError(`no backup at ${source}`)
  const paths = dataPaths(options.data)
  if (existsSync(paths.database) && options.force !== true) {
    throw new CommandError(
      `${paths.database} exists; stop the server and pass --force to replace it with the backup`,
    )
  }
  await mkdir(paths.blobs, { recursive: true })
  const incoming = `${paths.database}.restoring`
  await rm(incoming, { force: true })
  const blobs = createLocalBlobStore(paths.blobs)
  let manifest: BackupManifest | undefined
  let sawDatabase = false
  let files = 0
  let bytes = 0

  const extract = tar.extract()
  const reading = pipeline(
    /\.(tgz|gz)$/i.test(source)
      ? [createReadStream(source), createGunzip(), extract]
      : [createReadStream(source), extract],
  )
  reading.catch(() => undefined)
  try {
    for await (const entry of extract) {
      const name = entry.header.name
      if (name === MANIFEST) {
        manifest = JSON.parse((await readAll(entry)).toString('utf8')) as BackupManifest
        if (manifest.format !== 'nereid-backup' || manifest.version !== 1) {
          throw new CommandError(`${source} is not a Nereid backup this version can read`)
        }
      } else if (name === DATABASE_ENTRY) {
        await pipeline(entry, createWriteStream(incoming))
        sawDatabase = true
      } else {
        const match = BLOB_ENTRY.exec(name)
        if (!match) throw new CommandError(`${source} holds an unexpected entry "${name}"`)
        const stored = await blobs.put(entry)
        if (stored.hash !== match[1]) {
          await blobs.delete(stored.hash)
          throw new CommandError(
            `file ${match[1]} in ${source} is damaged (its content hashes to ${stored.hash})`,
          )
        }
        files++
        bytes += stored.size
      }
    }
    await reading
  } catch (error) {
    await rm(incoming, { force: true })
    if (error instanceof CommandError) throw error
    throw new CommandError(`cannot read the backup ${source}: ${(error as Error).message}`)
  }
  if (manifest === undefined || !sawDatabase) {
    await rm(incoming, { force: true })
    throw new CommandError(`${source} is not a Nereid backup (no ${MANIFEST} or ${DATABASE_ENTRY})`)
  }

  // Checked in place under its own name before it replaces anything.
  const check = join(paths.blobs, '..', 'nereid-restore-check')
  await rm(check, { recursive: true, force: true })
  await mkdir(check, { recursive: true })
  await rename(incoming, join(check, 'nereid.db'))
  try {
    const store = await openStore(check)
    try {
      const integrity = await store.checkIntegrity()
      if (!integrity.ok) {
        throw new CommandError(`the backup's database is damaged: ${integrity.messages.join('; ')}`)
      }
      if (manifest.blobUrl === null) {
        const missing: string[] = []
        for (let after: unknown[] | null = null; ;) {
          const rows = await store.transfer.read('blobs', after, 10_000)
          for (const row of rows)
            if (!(await blobs.has(String(row.hash)))) missing.push(String(row.hash))
          if (rows.length < 10_000) break
          after = [rows.at(-1)!.hash]
        }
        if (missing.length > 0) {
          err.write(
            `${count(missing.length)} registered files are not in the backup (deleted while it was taken); downloads of them will answer "not found"\n`,
          )
        }
      }
    } finally {
      await store.close()
    }
    for (const suffix of ['', '-wal', '-shm']) {
      await rm(`${paths.database}${suffix}`, { force: true })
      const checked = join(check, `nereid.db${suffix}`)
      if (existsSync(checked)) await rename(checked, `${paths.database}${suffix}`)
    }
  } finally {
    await rm(check, { recursive: true, force: true })
  }
  err.write(
    `restored the database and ${count(files)} files (${formatBytes(bytes)}) from ${source} (taken ${manifest.createdAt}) into ${resolve(options.data)}\n`,
  )
  if (manifest.blobUrl !== null) {
    err.write(
      `the backup's files live in ${manifest.blobUrl}; restore the bucket to the same moment\n`,
    )
  }
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const part of stream) parts.push(part)
  return Buffer.concat(parts)
}
