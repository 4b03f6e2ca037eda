// Benchmarks of the scale-out setup (issue 7): the server benchmarks on PostgreSQL next to
// SQLite, and ingestion through two server instances on one PostgreSQL database.
import { execFile, execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import { bootstrap } from '@nereid/server'
import { createPostgresStore, createSqliteStore } from '@nereid/store'
import { CLI, cpuSeconds, fmt, freePort, printTable, startServer } from './lib.mjs'
import {
  buildRunsTable,
  chartReadBenchmark,
  ingestionBenchmark,
  runsTableBenchmark,
} from './server-benchmarks.mjs'

const INGEST_CLIENT = fileURLToPath(new URL('./ingest-client.mjs', import.meta.url))

/**
 * A PostgreSQL cluster for the benchmark: NEREID_BENCH_DATABASE_URL when set (a server of
 * your own), else a throwaway one from Debian's binaries with PostgreSQL's default,
 * durable settings (every commit is fsynced) and 256 MiB of shared buffers.
 */
export async function startBenchPostgres() {
  const given = process.env.NEREID_BENCH_DATABASE_URL
  if (given)
    return { url: given, settings: 'the server in NEREID_BENCH_DATABASE_URL', stop: async () => {} }
  const root = '/usr/lib/postgresql'
  const version = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))[0]
    : undefined
  if (version === undefined) {
    throw new Error(
      'the PostgreSQL benchmarks need PostgreSQL: apt-get install postgresql, or set NEREID_BENCH_DATABASE_URL',
    )
  }
  const bin = join(root, version, 'bin')
  const dir = await mkdtemp(join(tmpdir(), 'nereid-bench-pg-'))
  const owner =
    process.getuid?.() === 0
      ? {
          uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
          gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
        }
      : {}
  if (owner.uid !== undefined) await chown(dir, owner.uid, owner.gid)
  await chmod(dir, 0o700)
  execFileSync(
    join(bin, 'initdb'),
    ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'],
    { stdio: 'ignore', cwd: dir, ...owner },
  )
  const port = await freePort()
  const settings = ['shared_buffers=256MB', 'max_connections=200']
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      join(dir, 'data'),
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      dir,
      ...settings.flatMap((s) => ['-c', s]),
    ],
    { stdio: 'ignore', cwd: dir, ...owner },
  )
  // An interrupted benchmark must not leave a server behind (SIGQUIT: immediate shutdown).
  const killOnExit = () => {
    child.kill('SIGQUIT')
    rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', killOnExit)
  const onSignal = () => process.exit(130)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const url = `postgres://postgres@127.0.0.1:${port}`
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: `${url}/postgres` })
    client.on('error', () => undefined)
    try {
      await client.connect()
      await client.end()
      break
    } catch (error) {
      if (attempt > 300) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  return {
    url: `${url}/postgres`,
    settings: `PostgreSQL ${version}, durable defaults (fsync, synchronous_commit on), ${settings.join(', ')}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      await exited
      process.off('exit', killOnExit)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Busy and total CPU time of the whole machine so far (Linux /proc/stat, in ticks): every
 * process counts, the database's and other users' too. Two readings give how saturated the
 * cores were meanwhile, which says whether a second instance could have had any CPU to use.
 */
function machineTicks() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  const ticks = fields.map(Number)
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: total - ticks[3] - ticks[4], total }
}

/** A fresh database on the cluster for one benchmark; dropped by the returned function. */
async function freshDatabase(clusterUrl, name) {
  const admin = new pg.Client({ connectionString: clusterUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${name}`)
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = clusterUrl.replace(/\/[^/]*$/, `/${name}`)
  return {
    url,
    async drop() {
      const again = new pg.Client({ connectionString: clusterUrl })
      await again.connect()
      await again.query(`drop database if exists ${name} with (force)`)
      await again.end()
    },
  }
}

/**
 * Ingestion over HTTP into `instances` server processes on one PostgreSQL database: the same
 * load generator as the SQLite benchmark, one per instance, each with its share of the
 * connections; throughput is all points over the joined time window.
 */
async function postgresIngestion(
  databaseUrl,
  { instances, connections = 4, batchesPerConnection = 250 },
) {
  const dataDir = await mkdtemp(join(tmpdir(), 'nereid-bench-pg-ingest-'))
  const env = { NEREID_DATABASE_URL: databaseUrl }
  const servers = []
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'admin', 'bootstrap', '--workspace', 'bench', '--project', 'ingest', '--data', dataDir],
      { env: { ...process.env, ...env } },
    )
    const token = stdout.trim()
    for (let i = 0; i < instances; i++) servers.push(await startServer(join(dataDir, `i${i}`), env))
    const runIds = []
    for (let i = 0; i < connections; i++) {
      const response = await fetch(`${servers[0].url}/api/v1/projects/bench/ingest/objects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'run' }),
      })
      runIds.push((await response.json()).object.id)
    }
    const cpuBefore = servers.map((server) => cpuSeconds(server.child.pid))
    // The machine's busy time is sampled, to take it over the sending alone (the load
    // generators start and build their payloads first).
    const machine = []
    const sampler = setInterval(() => machine.push({ at: Date.now(), ...machineTicks() }), 50)
    const outputs = await Promise.all(
      servers.map(
        (server, i) =>
          new Promise((resolve, reject) => {
            const share = runIds.filter((_, r) => r % instances === i)
            const child = spawn(
              process.execPath,
              [
                INGEST_CLIENT,
                server.url,
                token,
                JSON.stringify(share),
                String(batchesPerConnection),
              ],
              { stdio: ['ignore', 'pipe', 'inherit'] },
            )
            let text = ''
            child.stdout.on('data', (chunk) => (text += chunk))
            child.on('exit', (code) =>
              code === 0
                ? resolve(JSON.parse(text))
                : reject(new Error(`ingest client exited ${code}`)),
            )
          }),
      ),
    )
    clearInterval(sampler)
    const sendingFrom = Math.min(...outputs.map((o) => o.startedAt))
    const sendingTo = Math.max(...outputs.map((o) => o.endedAt))
    const machineBefore = machine.findLast((sample) => sample.at <= sendingFrom) ?? machine[0]
    const machineAfter = machine.find((sample) => sample.at >= sendingTo) ?? machine.at(-1)
    const serverCpu = servers.reduce(
      (sum, server, i) => sum + cpuSeconds(server.child.pid) - cpuBefore[i],
      0,
    )
    const points = outputs.reduce((sum, output) => sum + output.points, 0)
    const seconds =
      (Math.max(...outputs.map((o) => o.endedAt)) - Math.min(...outputs.map((o) => o.startedAt))) /
      1000
    return {
      points,
      seconds,
      pointsPerSecond: points / seconds,
      serverCpuMicrosPerThousandPoints: (serverCpu * 1e6) / (points / 1000),
      // /proc/stat counts in USER_HZ ticks (100 a second on Linux).
      restCpuMicrosPerThousandPoints:
        (((machineAfter.busy - machineBefore.busy) / 100 - serverCpu) * 1e6) / (points / 1000),
      machineBusy:
        (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
    }
  } finally {
    for (const server of servers) {
      server.child.kill('SIGTERM')
      await new Promise((resolve) => server.child.once('exit', resolve))
    }
    await rm(dataDir, { recursive: true, force: true })
  }
}

async function onFreshDatabase(clusterUrl, name, run) {
  const database = await freshDatabase(clusterUrl, name)
  try {
    return await run(database.url)
  } finally {
    await database.drop()
  }
}

/** A SQLite store holding project bench/reads with the runs-table data. */
async function runsTableSource() {
  const dir = await mkdtemp(join(tmpdir(), 'nereid-bench-table-'))
  const store = createSqliteStore({ filename: join(dir, 'nereid.db') })
  await store.migrate()
  await bootstrap(store, {
    publicUrl: 'http://localhost',
    workspace: 'bench',
    project: 'reads',
    now: Date.now(),
  })
  const project = await store.projects.get('bench', 'reads')
  const buildSeconds = await buildRunsTable(store, project.id)
  return {
    store,
    buildSeconds,
    async close() {
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Every row of every table, in key order (what `nereid store copy` does, without checks). */
async function copyTables(from, to) {
  for (const table of await from.transfer.tables()) {
    if (table.primaryKey.length === 0) await to.transfer.clear(table.name)
    for (let after = null; ;) {
      const rows = await from.transfer.read(table.name, after, 2_000)
      await to.transfer.write(table.name, rows)
      if (rows.length < 2_000 || table.primaryKey.length === 0) break
      const last = rows.at(-1)
      after = table.primaryKey.map((column) => last[column])
    }
    await to.transfer.finishTable(table.name)
  }
}

const ratio = (postgres, sqlite) => `${fmt(postgres / sqlite, 2)}× SQLite`

/**
 * The runs-table query on PostgreSQL next to SQLite (`sqliteTable`: the SQLite figures of this
 * run, measured on the same data when absent).
 */
export async function postgresRunsTable(clusterUrl, sqliteTable) {
  // The 10,000 runs are built once in SQLite and copied over table by table (as `nereid
  // store copy` does): building them through the applier costs one round trip per statement,
  // which measures the network, not the query.
  const source = await runsTableSource()
  let pgTable
  try {
    pgTable = await onFreshDatabase(clusterUrl, 'bench_table', async (url) => {
      const store = createPostgresStore({ connectionString: url })
      const migrated = await store.migrate()
      if (migrated.error) throw migrated.error
      const copyStart = Date.now()
      await copyTables(source.store, store)
      const copySeconds = (Date.now() - copyStart) / 1000
      const result = await runsTableBenchmark({ createStore: () => store, build: false })
      return { ...result, buildSeconds: copySeconds }
    })
    sqliteTable ??= {
      ...(await runsTableBenchmark({ createStore: () => source.store, build: false })),
      buildSeconds: source.buildSeconds,
    }
  } finally {
    await source.close()
  }
  printTable(
    'Runs table on PostgreSQL (10,000 runs × 100 fields: filter + sort + count + 50 rows)',
    [
      {
        measure: 'p50',
        value: `${fmt(pgTable.p50, 2)} ms`,
        target: '≤ 2× SQLite',
        note: `${ratio(pgTable.p50, sqliteTable.p50)} (SQLite: ${fmt(sqliteTable.p50, 2)} ms)`,
      },
      {
        measure: 'p95',
        value: `${fmt(pgTable.p95, 2)} ms`,
        target: '≤ 2× SQLite',
        note: `${ratio(pgTable.p95, sqliteTable.p95)} (SQLite: ${fmt(sqliteTable.p95, 2)} ms); ${fmt(pgTable.total, 0)} matching runs; copying the data in took ${fmt(pgTable.buildSeconds)} s`,
      },
    ],
  )
  return pgTable
}

/** `baseline`: the SQLite figures of this same run (`runServerBenchmarks`), measured when absent. */
/**
 * Ingestion over HTTP into one and into two instances on one database, next to SQLite
 * (`sqliteIngest`: this run's SQLite figures, measured when absent).
 */
/**
 * What one round trip to the database costs this Node process: `select $1` on one
 * connection, one after another. A batch makes several (the statement log shows which), so
 * this says how much of the server's CPU per batch is the driver and the socket rather than
 * Nereid's own work.
 */
async function roundTripCost(databaseUrl, count = 2000) {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    for (let i = 0; i < 200; i++) await client.query('select $1::int as n', [i])
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < count; i++) await client.query('select $1::int as n', [i])
    const cpu = process.cpuUsage(cpuBefore)
    return {
      wallMicros: ((performance.now() - started) * 1000) / count,
      cpuMicros: (cpu.user + cpu.system) / count,
    }
  } finally {
    await client.end()
  }
}

export async function postgresIngestionBenchmark(cluster, sqliteIngest) {
  sqliteIngest ??= await ingestionBenchmark()
  const trip = await roundTripCost(cluster.url)
  const one = await onFreshDatabase(cluster.url, 'bench_ingest_1', (url) =>
    postgresIngestion(url, { instances: 1 }),
  )
  const two = await onFreshDatabase(cluster.url, 'bench_ingest_2', (url) =>
    postgresIngestion(url, { instances: 2 }),
  )
  printTable(
    `Ingestion over HTTP on PostgreSQL (JSON batches of 1,000 points; ${cluster.settings})`,
    [
      {
        measure: 'one instance, points/s',
        value: fmt(one.pointsPerSecond, 0),
        target: '≥ 0.5× SQLite',
        note: `${ratio(one.pointsPerSecond, sqliteIngest.pointsPerSecond)} (SQLite: ${fmt(sqliteIngest.pointsPerSecond, 0)})`,
      },
      {
        measure: 'two instances on one database, points/s',
        value: fmt(two.pointsPerSecond, 0),
        target: '≥ 1.5× one instance',
        note: `${fmt(two.pointsPerSecond / one.pointsPerSecond, 2)}× one instance`,
      },
      {
        measure: `machine CPU busy (${availableParallelism()} cores, every process)`,
        value: `${fmt(one.machineBusy * 100, 0)}% / ${fmt(two.machineBusy * 100, 0)}%`,
        note:
          two.machineBusy > 0.9
            ? 'one / two instances: the cores were saturated, so a second instance had no CPU of its own to add'
            : 'one / two instances',
      },
      {
        measure: 'server CPU per 1,000 points (one instance)',
        value: `${fmt(one.serverCpuMicrosPerThousandPoints, 0)} µs`,
        note: 'Node process only; PostgreSQL works besides',
      },
      {
        measure: 'rest of the machine per 1,000 points (one instance)',
        value: `${fmt(one.restCpuMicrosPerThousandPoints, 0)} µs`,
        note: 'PostgreSQL, the load generator and the kernel',
      },
      {
        measure: 'one round trip from Node (`select $1`, pg driver): wall / Node CPU',
        value: `${fmt(trip.wallMicros, 0)} / ${fmt(trip.cpuMicros, 0)} µs`,
        note: 'a batch makes 3: token with project and roles, begin + target with the first field and series, append + batch end + commit',
      },
    ],
  )

  return { one, two, trip }
}

/** The chart read of a 1,000,000-point series, next to SQLite (`sqliteChart` as above). */
export async function postgresChartBenchmark(clusterUrl, sqliteChart) {
  sqliteChart ??= await chartReadBenchmark()
  const pgChart = await onFreshDatabase(clusterUrl, 'bench_chart', (url) =>
    chartReadBenchmark({ createStore: () => createPostgresStore({ connectionString: url }) }),
  )
  printTable('Chart read on PostgreSQL (1,000,000-point series → 1,000 buckets, warm)', [
    {
      measure: 'p50',
      value: `${fmt(pgChart.full.p50, 2)} ms`,
      target: '≤ 2× SQLite',
      note: `${ratio(pgChart.full.p50, sqliteChart.full.p50)} (SQLite: ${fmt(sqliteChart.full.p50, 2)} ms)`,
    },
    {
      measure: 'p95',
      value: `${fmt(pgChart.full.p95, 2)} ms`,
      target: '≤ 2× SQLite',
      note: `${ratio(pgChart.full.p95, sqliteChart.full.p95)} (SQLite: ${fmt(sqliteChart.full.p95, 2)} ms)`,
    },
    {
      measure: 'first read (chart caches empty)',
      value: `${fmt(pgChart.first, 2)} ms`,
      note: `SQLite: ${fmt(sqliteChart.first, 2)} ms (one sample each)`,
    },
    {
      measure: 'zoomed (50,000-step window) p50 / p95',
      value: `${fmt(pgChart.zoom.p50, 2)} / ${fmt(pgChart.zoom.p95, 2)} ms`,
      note: `SQLite: ${fmt(sqliteChart.zoom.p50, 2)} / ${fmt(sqliteChart.zoom.p95, 2)} ms`,
    },
  ])

  return pgChart
}

export async function runPostgresBenchmarks({ baseline } = {}) {
  const cluster = await startBenchPostgres()
  try {
    const { one, two } = await postgresIngestionBenchmark(cluster, baseline?.ingest)
    const chart = await postgresChartBenchmark(cluster.url, baseline?.chart)
    const table = await postgresRunsTable(cluster.url, baseline?.table)
    return { one, two, chart, table }
  } finally {
    await cluster.stop()
  }
}
