// Shared helpers for the benchmarks: timing, percentiles, a table printer, server processes.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../packages/cli/dist/cli.js', import.meta.url))

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    min: sorted[0],
    max: sorted.at(-1),
    n: sorted.length,
  }
}

export const fmt = (value, digits = 1) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      })
    : String(value)

export function printTable(title, rows) {
  console.log(`\n## ${title}\n`)
  console.log('| measure | value | target | ratio / note |')
  console.log('|---|---|---|---|')
  for (const row of rows)
    console.log(`| ${row.measure} | ${row.value} | ${row.target ?? ''} | ${row.note ?? ''} |`)
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

export async function startServer(dataDir, env = {}) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  // Node flags for the server, to profile it: NEREID_BENCH_SERVER_NODE_ARGS='--cpu-prof
  // --cpu-prof-dir=DIR' (V8 profiles) or '--perf-basic-prof' (JS names for Linux perf).
  const nodeArgs = (process.env.NEREID_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      CLI,
      'server',
      '--port',
      String(port),
      '--data',
      dataDir,
      '--public-url',
      url,
      '--log-level',
      'error',
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ...env },
    },
  )
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { child, url, port }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error('server did not start')
}

/** Peak resident set size of a process so far, in MiB (Linux VmHWM). */
export function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmHWM:\s+(\d+) kB/.exec(status)
  return match ? Number(match[1]) / 1024 : NaN
}

export function machine() {
  const cpus =
    readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown CPU'
  const cores = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? 0
  const mem =
    Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024
  return `${cores} × ${cpus}, ${mem.toFixed(0)} GiB RAM, Node ${process.version}`
}

/** CPU seconds (user + system) a process has used so far (Linux /proc/<pid>/stat). */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return ticks / 100
}
