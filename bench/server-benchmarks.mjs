// Benchmarks of the foundation (issue 2): ingestion over HTTP, chart reads, runs-table queries.
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { parseOperation } from '@nereid/core'
import { buildApp, bootstrap } from '@nereid/server'
import { createLocalBlobStore, createSqliteStore } from '@nereid/store'
import { CLI, cpuSeconds, fmt, peakRssMiB, printTable, startServer, summarize } from './lib.mjs'

const INGEST_CLIENT = fileURLToPath(new URL('./ingest-client.mjs', import.meta.url))

export async function ingestionBenchmark({ connections = 4, batchesPerConnection = 250 } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'nereid-bench-ingest-'))
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [
      CLI,
      'admin',
      'bootstrap',
      '--workspace',
      'bench',
      '--project',
      'ingest',
      '--data',
      dataDir,
    ])
    const token = stdout.trim()
    const server = await startServer(dataDir)
    const runIds = []
    for (let i = 0; i < connections; i++) {
      const response = await fetch(`${server.url}/api/v1/projects/bench/ingest/objects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'run' }),
      })
      runIds.push((await response.json()).object.id)
    }
    const cpuBefore = cpuSeconds(server.child.pid)
    const output = await new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [INGEST_CLIENT, server.url, token, JSON.stringify(runIds), String(batchesPerConnection)],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      )
      let text = ''
      child.stdout.on('data', (chunk) => (text += chunk))
      child.on('exit', (code) =>
        code === 0 ? resolve(JSON.parse(text)) : reject(new Error(`ingest client exited ${code}`)),
      )
    })
    const rss = peakRssMiB(server.child.pid)
    const serverCpuSeconds = cpuSeconds(server.child.pid) - cpuBefore
    server.child.kill('SIGTERM')
    await new Promise((resolve) => server.child.once('exit', resolve))
    const pointsPerSecond = output.points / output.seconds
    const parsePointsPerSecond = output.points / output.parseSeconds
    return {
      ...output,
      pointsPerSecond,
      parsePointsPerSecond,
      peakRssMiB: rss,
      connections,
      serverCpuMicrosPerThousandPoints: (serverCpuSeconds * 1e6) / (output.points / 1000),
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}

/** `createStore` (default: a SQLite file) lets other backends run the same benchmarks. */
async function inProcessApp(
  createStore = (dir) => createSqliteStore({ filename: join(dir, 'nereid.db') }),
) {
  const dir = await mkdtemp(join(tmpdir(), 'nereid-bench-'))
  const store = await createStore(dir)
  const migrated = await store.migrate()
  if (migrated.error) throw migrated.error
  const { token } = await bootstrap(store, {
    publicUrl: 'http://localhost',
    workspace: 'bench',
    project: 'reads',
    now: Date.now(),
  })
  const app = await buildApp({
    store,
    blobs: createLocalBlobStore(join(dir, 'blobs')),
    config: { publicUrl: 'http://localhost' },
  })
  const project = await store.projects.get('bench', 'reads')
  return {
    store,
    app,
    project,
    headers: { authorization: `Bearer ${token}` },
    async close() {
      await app.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export async function chartReadBenchmark({
  points = 1_000_000,
  buckets = 1000,
  iterations = 200,
  createStore,
} = {}) {
  const t = await inProcessApp(createStore)
  try {
    const { object } = await t.store.objects.create({
      projectId: t.project.id,
      kind: 'run',
      owner: 'admin',
      now: Date.now(),
    })
    const chunk = 10_000
    for (let start = 0; start < points; start += chunk) {
      const values = Array.from(
        { length: chunk },
        (_, i) => Math.sin((start + i) / 5000) + (Math.random() < 0.0005 ? 50 : 0),
      )
      await t.store.ingest.applyBatch(
        object.id,
        { operations: [parseOperation({ op: 'appendFloats', path: 'train/loss', values })] },
        { now: Date.now() },
      )
    }
    const url = `/api/v1/projects/bench/reads/objects/${object.id}/series/buckets?path=train/loss&buckets=${buckets}`
    // The first read finds the server's chart caches empty (the database's pages are in
    // memory after the writes): what opening a run's charts costs before any cache helps.
    // The code it runs is compiled first on another series, as on a server that has served
    // other charts.
    const other = Array.from({ length: 100_000 }, (_, i) => Math.cos(i / 500))
    await t.store.ingest.applyBatch(
      object.id,
      { operations: [parseOperation({ op: 'appendFloats', path: 'other/loss', values: other })] },
      { now: Date.now() },
    )
    for (let i = 0; i < 20; i++) {
      await t.app.inject({
        url: url.replace('path=train/loss', 'path=other/loss'),
        headers: t.headers,
      })
    }
    const firstStart = process.hrtime.bigint()
    const firstResponse = await t.app.inject({ url, headers: t.headers })
    const first = Number(process.hrtime.bigint() - firstStart) / 1e6
    if (firstResponse.statusCode !== 200) throw new Error(firstResponse.body)
    for (let i = 0; i < 20; i++) await t.app.inject({ url, headers: t.headers })
    const samples = []
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint()
      const response = await t.app.inject({ url, headers: t.headers })
      samples.push(Number(process.hrtime.bigint() - start) / 1e6)
      if (response.statusCode !== 200) throw new Error(response.body)
    }
    const zoomSamples = []
    for (let i = 0; i < iterations; i++) {
      const from = Math.floor(Math.random() * (points - 50_000))
      const start = process.hrtime.bigint()
      await t.app.inject({ url: `${url}&from=${from}&to=${from + 50_000}`, headers: t.headers })
      zoomSamples.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
    // A wider chart (10 blocks per bucket): whole blocks are merged from the per-block
    // summaries at the head of their stats, without fetching the sub-chunk records.
    const wideUrl = url.replace(`buckets=${buckets}`, `buckets=${Math.max(1, buckets / 10)}`)
    const wideSamples = []
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint()
      const response = await t.app.inject({ url: wideUrl, headers: t.headers })
      wideSamples.push(Number(process.hrtime.bigint() - start) / 1e6)
      if (response.statusCode !== 200) throw new Error(response.body)
    }
    return {
      first,
      full: summarize(samples),
      zoom: summarize(zoomSamples),
      wide: summarize(wideSamples),
      points,
      buckets,
    }
  } finally {
    await t.close()
  }
}

/** 10,000 runs × 100 fields (90 float params, 5 strings, 4 short series, tags); returns seconds. */
export async function buildRunsTable(store, projectId, { runs = 10_000, fields = 100 } = {}) {
  let seed = 42
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const buildStart = Date.now()
  for (let r = 0; r < runs; r++) {
    const { object } = await store.objects.create({
      projectId: projectId,
      kind: 'run',
      owner: 'admin',
      now: buildStart + r,
    })
    const operations = []
    for (let f = 0; f < fields - 10; f++)
      operations.push({ op: 'assignFloat', path: `params/p${f}`, value: random() })
    for (let f = 0; f < 5; f++)
      operations.push({
        op: 'assignString',
        path: `config/c${f}`,
        value: `value-${Math.floor(random() * 20)}`,
      })
    for (let f = 0; f < 4; f++)
      operations.push({
        op: 'appendFloats',
        path: `metrics/m${f}`,
        values: [random(), random(), random()],
      })
    operations.push({
      op: 'addStrings',
      path: 'sys/tags',
      values: [`tag-${r % 10}`, `group-${r % 3}`],
    })
    await store.ingest.applyBatch(
      object.id,
      { operations: operations.map(parseOperation) },
      { now: buildStart + r },
    )
  }
  const buildSeconds = (Date.now() - buildStart) / 1000
  return buildSeconds
}

/**
 * `createStore` runs it on another backend; with `build: false` the store already holds the
 * runs (`buildRunsTable` into project bench/reads, e.g. copied from a SQLite store).
 */
export async function runsTableBenchmark({
  runs = 10_000,
  fields = 100,
  iterations = 100,
  createStore,
  build = true,
} = {}) {
  const t = await inProcessApp(createStore)
  try {
    const buildSeconds = build ? await buildRunsTable(t.store, t.project.id, { runs, fields }) : 0

    const columns = Array.from({ length: 20 }, (_, i) =>
      i < 15 ? `params/p${i}` : i < 19 ? `metrics/m${i - 15}` : 'sys/tags',
    )
    const body = {
      query: '(`params/p1`:float > 0.3) AND (`sys/tags`:stringSet CONTAINS "tag-3")',
      sort: { path: 'metrics/m0', direction: 'desc' },
      columns,
      limit: 50,
      offset: 0,
    }
    const url = '/api/v1/projects/bench/reads/search'
    for (let i = 0; i < 10; i++)
      await t.app.inject({ method: 'POST', url, headers: t.headers, payload: body })
    const samples = []
    let total = 0
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint()
      const response = await t.app.inject({
        method: 'POST',
        url,
        headers: t.headers,
        payload: { ...body, offset: (i % 5) * 50 },
      })
      samples.push(Number(process.hrtime.bigint() - start) / 1e6)
      if (response.statusCode !== 200) throw new Error(response.body)
      total = response.json().total
    }
    // Scrolling the whole table: unfiltered pages anywhere, in the common sorts.
    const pageSamples = []
    const sorts = [
      { path: 'sys/creation_time', direction: 'desc' },
      { path: 'sys/id', direction: 'asc' },
      { path: 'params/p0', direction: 'desc' },
    ]
    for (let i = 0; i < iterations; i++) {
      const offset = Math.round(((i * 7) % 10) * ((runs - 50) / 9))
      const payload = { columns, limit: 50, offset, sort: sorts[i % sorts.length] }
      const start = process.hrtime.bigint()
      const response = await t.app.inject({ method: 'POST', url, headers: t.headers, payload })
      pageSamples.push(Number(process.hrtime.bigint() - start) / 1e6)
      if (response.statusCode !== 200 || response.json().rows.length !== 50)
        throw new Error(`page at ${offset}: ${response.body.slice(0, 200)}`)
    }
    return {
      ...summarize(samples),
      pages: summarize(pageSamples),
      runs,
      fields,
      total,
      buildSeconds,
    }
  } finally {
    await t.close()
  }
}

export async function runServerBenchmarks() {
  const ingest = await ingestionBenchmark()
  printTable('Ingestion over HTTP (JSON batches of 1,000 points, 127.0.0.1)', [
    {
      measure: 'points/s',
      value: fmt(ingest.pointsPerSecond, 0),
      target: '≥ 1,000,000',
      note: `${ingest.connections} connections, ${fmt(ingest.points, 0)} points`,
    },
    {
      measure: 'JSON.parse of the same payloads, points/s',
      value: fmt(ingest.parsePointsPerSecond, 0),
      note: `ratio ingest / parse = ${fmt(ingest.pointsPerSecond / ingest.parsePointsPerSecond, 3)}`,
    },
    {
      measure: 'server CPU per 1,000 points',
      value: `${fmt(ingest.serverCpuMicrosPerThousandPoints, 0)} µs`,
      note: `= ${fmt(1e9 / ingest.serverCpuMicrosPerThousandPoints, 0)} points per CPU-second`,
    },
    { measure: 'server peak RSS', value: `${fmt(ingest.peakRssMiB)} MiB` },
  ])
  const chart = await chartReadBenchmark()
  printTable(
    'Chart read (1,000,000-point series → 1,000 buckets, warm, server time incl. serialisation)',
    [
      { measure: 'p50', value: `${fmt(chart.full.p50, 2)} ms`, target: '≤ 10 ms' },
      { measure: 'p95', value: `${fmt(chart.full.p95, 2)} ms`, target: '≤ 25 ms' },
      {
        measure: 'first read (chart caches empty)',
        value: `${fmt(chart.first, 2)} ms`,
        note: 'one sample; the warm reads above reuse the stats of blocks that have not changed',
      },
      {
        measure: 'zoomed (50,000-step window) p50 / p95',
        value: `${fmt(chart.zoom.p50, 2)} / ${fmt(chart.zoom.p95, 2)} ms`,
      },
      {
        measure: `${fmt(chart.buckets / 10, 0)} buckets (block summaries) p50 / p95`,
        value: `${fmt(chart.wide.p50, 2)} / ${fmt(chart.wide.p95, 2)} ms`,
      },
    ],
  )
  const table = await runsTableBenchmark()
  printTable(
    'Runs table (10,000 runs × 100 fields: NQL filter + sort + count + 50 rows × 20 columns)',
    [
      { measure: 'p50', value: `${fmt(table.p50, 2)} ms` },
      {
        measure: 'p95',
        value: `${fmt(table.p95, 2)} ms`,
        target: '≤ 50 ms',
        note: `${table.total} matching runs; building the data took ${fmt(table.buildSeconds)} s`,
      },
      {
        measure: 'unfiltered page at any offset (0 … 9,950), p50 / p95',
        value: `${fmt(table.pages.p50, 2)} / ${fmt(table.pages.p95, 2)} ms`,
        target: 'p95 ≤ 20 ms',
        note: 'sorted by sys/creation_time, sys/id or params/p0',
      },
    ],
  )
  return { ingest, chart, table }
}
