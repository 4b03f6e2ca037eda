// Benchmarks of the TypeScript SDK (issue 3): what logging costs the training loop, how fast
// the durable log writes, and how fast points travel from append() to acknowledged.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { initRun } from '@nereid/client'
import { CLI, fmt, printTable, startServer } from './lib.mjs'

const POINTS = 1_000_000
const CHUNK = 10_000
const ROUNDS = 3

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const yieldToLoop = () => new Promise((resolve) => setImmediate(resolve))

/**
 * Time spent inside the logging calls only, in chunks with a turn of the event loop between
 * them (where the background commit and sender run, as they would between training steps).
 */
async function timeCalls(body) {
  let inside = 0
  for (let start = 0; start < POINTS; start += CHUNK) {
    const begin = performance.now()
    body(start, start + CHUNK)
    inside += performance.now() - begin
    await yieldToLoop()
  }
  return (inside * 1000) / POINTS // µs per point
}

async function bootstrapServer() {
  const dataDir = await mkdtemp(join(tmpdir(), 'nereid-bench-client-'))
  const server = await startServer(dataDir)
  // Minted after the start, so the token carries the URL the server listens at.
  const { stdout } = await promisify(execFile)(process.execPath, [
    CLI,
    'admin',
    'bootstrap',
    '--workspace',
    'bench',
    '--project',
    'client',
    '--data',
    dataDir,
    '--public-url',
    server.url,
  ])
  return { dataDir, server, token: stdout.trim() }
}

export async function runClientBenchmarks() {
  const { dataDir, server, token } = await bootstrapServer()
  const work = await mkdtemp(join(tmpdir(), 'nereid-bench-client-work-'))
  const options = {
    project: 'bench/client',
    apiToken: token,
    dataDirectory: join(work, '.nereid'),
    capture: false,
    quiet: true,
  }
  try {
    // 1. Caller-thread cost in async mode, against pushing the same values into an array.
    const baseline = []
    const implicit = []
    const explicit = []
    for (let round = 0; round < ROUNDS; round++) {
      let points = []
      baseline.push(
        await timeCalls((from, to) => {
          for (let i = from; i < to; i++)
            points.push({ step: i, value: i * 0.5, timestamp: Date.now() })
        }),
      )
      points = null
      // Each variant in its own run, after the previous one's queue drained, so neither pays
      // for the other's sending.
      for (const [results, body] of [
        [
          implicit,
          (series) => (from, to) => {
            for (let i = from; i < to; i++) series.append(i * 0.5)
          },
        ],
        [
          explicit,
          (series) => (from, to) => {
            for (let i = from; i < to; i++) series.append(i * 0.5, { step: i })
          },
        ],
      ]) {
        const run = await initRun(options)
        results.push(await timeCalls(body(run.field('train/loss'))))
        await run.stop({ timeoutMs: 120_000 })
      }
    }
    const push = median(baseline)
    const implicitCost = median(implicit)
    const explicitCost = median(explicit)
    printTable('SDK: caller-thread cost per appended point (async mode, 1 M points, median of 3)', [
      {
        measure: 'array push of {step, value, timestamp}',
        value: `${fmt(push, 3)} µs`,
        note: 'baseline, same run',
      },
      {
        measure: 'append(value)',
        value: `${fmt(implicitCost, 3)} µs`,
        target: '≤ 0.5 µs, ≤ 3× push',
        note: `${fmt(implicitCost / push, 2)}× push`,
      },
      {
        measure: 'append(value, { step })',
        value: `${fmt(explicitCost, 3)} µs`,
        target: '≤ 0.5 µs, ≤ 3× push',
        note: `${fmt(explicitCost / push, 2)}× push`,
      },
    ])

    // 2. The durable log writer alone (offline mode: no network), group commits, no fsync per point.
    const writer = []
    for (let round = 0; round < ROUNDS; round++) {
      const run = await initRun({ ...options, mode: 'offline' })
      const loss = run.field('train/loss')
      const begin = performance.now()
      for (let i = 0; i < 2 * POINTS; i++) loss.append(i * 0.5)
      await run.stop()
      writer.push((2 * POINTS) / ((performance.now() - begin) / 1000))
    }
    printTable(
      'SDK: durable log writer (offline mode, 2 M points incl. the final fsync, median of 3)',
      [
        {
          measure: 'points written to the log',
          value: `${fmt(median(writer) / 1e6, 2)} M/s`,
          target: '≥ 1 M/s',
          note: 'group commits of ≤ 65,536 points; fsync once a second and at stop',
        },
      ],
    )
    await rm(join(work, '.nereid'), { recursive: true, force: true })

    // 3. End to end: from the first append() to the server's acknowledgement of the last point.
    const endToEnd = []
    for (let round = 0; round < ROUNDS; round++) {
      const run = await initRun(options)
      const loss = run.field('train/loss')
      const begin = performance.now()
      for (let start = 0; start < POINTS; start += CHUNK) {
        for (let i = start; i < start + CHUNK; i++) loss.append(i * 0.5)
        await yieldToLoop()
      }
      await run.wait()
      endToEnd.push(POINTS / ((performance.now() - begin) / 1000))
      await run.stop()
    }
    printTable('SDK: end to end, append() to acknowledged (async mode, 1 M points, median of 3)', [
      {
        measure: 'points acknowledged by the server',
        value: `${fmt(median(endToEnd) / 1e6, 2)} M/s`,
        note: 'one process, one series, server on 127.0.0.1',
      },
    ])
  } finally {
    server.child.kill('SIGTERM')
    await new Promise((resolve) => server.child.once('exit', resolve))
    await rm(dataDir, { recursive: true, force: true })
    await rm(work, { recursive: true, force: true })
  }
}
