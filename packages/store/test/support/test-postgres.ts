import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/**
 * A real PostgreSQL server for tests. CI (`.ci/run`) starts one on loopback and passes its
 * database in NEREID_TEST_DATABASE_URL; a developer without it gets a throwaway cluster from
 * the PostgreSQL binaries on the machine. Missing both is a failure, never a skip.
 */
export interface TestPostgres {
  /** URL of a database the tests may create schemas in. */
  url: string
  /** Stops the server, keeping its data (only for a cluster this helper started). */
  halt?: () => Promise<void>
  /** Starts a halted server again on the same port. */
  resume?: () => Promise<void>
  stop(): Promise<void>
}

export async function startTestPostgres(
  options: { dedicated?: boolean } = {},
): Promise<TestPostgres> {
  const fromEnvironment = process.env.NEREID_TEST_DATABASE_URL
  if (!options.dedicated && fromEnvironment) return { url: fromEnvironment, stop: async () => {} }
  const bin = findPostgresBinaries()
  if (!options.dedicated && process.env.CI) {
    throw new Error(
      'NEREID_TEST_DATABASE_URL is not set. In CI, .ci/run starts PostgreSQL on 127.0.0.1 and exports it; run the tests through .ci/run.',
    )
  }
  if (bin === null) {
    throw new Error(
      'PostgreSQL tests need a server: set NEREID_TEST_DATABASE_URL=postgres://user@127.0.0.1:PORT/db, or install PostgreSQL (apt-get install postgresql) so the tests can start a throwaway one.',
    )
  }
  return startCluster(bin)
}

/**
 * The path of a PostgreSQL client program (pg_dump, pg_restore) of the installed version;
 * throws when PostgreSQL is not installed, saying how to install it.
 */
export function postgresTool(name: string): string {
  const bin = findPostgresBinaries()
  if (bin === null || !existsSync(join(bin, name))) {
    throw new Error(`${name} is missing: install PostgreSQL (apt-get install postgresql)`)
  }
  return join(bin, name)
}

function findPostgresBinaries(): string | null {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim()
    if (existsSync(join(dir, 'initdb'))) return dir
  } catch {
    // No pg_config on PATH: Debian keeps the server binaries in a versioned folder.
  }
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? null : join(root, versions[0], 'bin')
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Whether a process with this id runs (signal 0 tests without sending anything). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Clusters whose test process is gone. A worker that vitest kills outright (a teardown past
 * its timeout) runs no exit handler, and its server would run on forever; the next start
 * stops it (SIGQUIT: immediate shutdown) and removes its folder. Only folders this helper
 * made, with the id of the process that made them, are touched.
 */
function stopOrphanedClusters(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('nereid-pg-')) continue
    const dir = join(tmpdir(), name)
    let owner: number
    let server: number
    try {
      owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'))
      server = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
    } catch {
      continue
    }
    if (!Number.isInteger(owner) || owner <= 0 || isRunning(owner)) continue
    if (Number.isInteger(server) && server > 0 && isRunning(server)) {
      try {
        process.kill(server, 'SIGQUIT')
      } catch {
        // Gone meanwhile.
      }
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

async function startCluster(bin: string): Promise<TestPostgres> {
  stopOrphanedClusters()
  const dir = await mkdtemp(join(tmpdir(), 'nereid-pg-'))
  await writeFile(join(dir, 'owner.pid'), String(process.pid))
  // PostgreSQL refuses to run as root: run it as the `postgres` system user then (spawned
  // with that uid directly, so signals reach the server and not a wrapper such as runuser).
  const owner =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
          gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
        }
      : {}
  if (owner.uid !== undefined) await chown(dir, owner.uid, owner.gid!)
  await chmod(dir, 0o700)
  const data = join(dir, 'data')
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'],
    { stdio: 'pipe', cwd: dir, ...owner },
  )
  const port = await freePort()
  let child: ChildProcess | undefined
  let log = ''

  const launch = async (): Promise<void> => {
    const args = [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ]
    child = spawn(join(bin, 'postgres'), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
      ...owner,
    })
    child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
    const deadline = Date.now() + 30_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`PostgreSQL exited during start:\n${log}`)
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database: 'postgres',
      })
      client.on('error', () => undefined)
      try {
        await client.connect()
        await client.end()
        return
      } catch (error) {
        await client.end().catch(() => undefined)
        if (Date.now() > deadline)
          throw new Error(`PostgreSQL did not start: ${String(error)}\n${log}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  }

  const shutdown = async (): Promise<void> => {
    const running = child
    if (!running || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    // SIGINT is PostgreSQL's "fast shutdown": sessions are ended, nothing waits for them.
    running.kill('SIGINT')
    await exited
  }

  // A test worker that ends early (a timeout, an interrupted run) must not leave a server
  // behind: SIGQUIT is PostgreSQL's immediate shutdown, and `exit` handlers run synchronously.
  const killOnExit = () => {
    child?.kill('SIGQUIT')
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', killOnExit)

  await launch()
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' })
  await admin.connect()
  await admin.query('create database nereid_test')
  await admin.end()

  return {
    url: `postgres://postgres@127.0.0.1:${port}/nereid_test`,
    halt: shutdown,
    resume: launch,
    async stop() {
      await shutdown()
      process.off('exit', killOnExit)
      await rm(dir, { recursive: true, force: true })
    },
  }
}
