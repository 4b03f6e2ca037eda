// Ingestion through the real `neptune` Python client (issue 4): async mode, 100,000 float
// points over 10 series, against a real server. Reports points per second end to end (from
// init_run to the end of stop(), which waits until everything is acknowledged) and the
// server's CPU time per 1,000 points, to show where the time goes.
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { CLI, cpuSeconds, fmt, freePort, printTable } from './lib.mjs'

const COMPAT = fileURLToPath(new URL('../compat/neptune/', import.meta.url))
const PYTHON = join(COMPAT, '.venv', 'bin', 'python')

const SCRIPT = `
import sys, time, neptune
series, steps = int(sys.argv[1]), int(sys.argv[2])
started = time.perf_counter()
run = neptune.init_run(capture_hardware_metrics=False, capture_stdout=False, capture_stderr=False,
                       capture_traceback=False, source_files=[], git_ref=False)
for step in range(steps):
    for s in range(series):
        run[f"train/metric_{s}"].append(step * 0.001 + s, step=step)
logged = time.perf_counter()
run.stop()
done = time.perf_counter()
print(f"{logged - started} {done - started}")
`

async function prepareVenv() {
  await promisify(execFile)(process.execPath, [join(COMPAT, 'run.mjs'), '--prepare'], {
    maxBuffer: 64 * 1024 * 1024,
  })
}

export async function runNeptuneBenchmarks({ series = 10, steps = 10_000 } = {}) {
  await prepareVenv()
  const dataDir = await mkdtemp(join(tmpdir(), 'nereid-bench-neptune-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const { stdout: token } = await promisify(execFile)(process.execPath, [
    CLI,
    'admin',
    'bootstrap',
    '--workspace',
    'bench',
    '--project',
    'neptune',
    '--data',
    dataDir,
    '--public-url',
    url,
  ])
  const server = spawn(
    process.execPath,
    [
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
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${url}/api/v1/health`)).ok) break
      } catch {
        if (i > 300) throw new Error('server did not start')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    const cpuBefore = cpuSeconds(server.pid)
    const { stdout } = await promisify(execFile)(
      PYTHON,
      ['-c', SCRIPT, String(series), String(steps)],
      {
        cwd: dataDir,
        env: {
          ...process.env,
          NEPTUNE_API_TOKEN: token.trim(),
          NEPTUNE_PROJECT: 'bench/neptune',
          OAUTHLIB_INSECURE_TRANSPORT: '1',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    )
    const serverCpu = cpuSeconds(server.pid) - cpuBefore
    const [logged, total] = stdout.trim().split('\n').at(-1).split(' ').map(Number)
    const points = series * steps
    printTable('Neptune Python client ingestion (async mode)', [
      {
        measure: 'points',
        value: fmt(points, 0),
        note: `${series} series × ${fmt(steps, 0)} steps`,
      },
      {
        measure: 'end to end (init_run → stop() done)',
        value: `${fmt(points / total, 0)} points/s`,
        note: `${fmt(total, 2)} s; the script's own append loop took ${fmt(logged, 2)} s`,
      },
      {
        measure: 'server CPU per 1,000 points',
        value: `${fmt((serverCpu / points) * 1000 * 1000, 2)} ms`,
        note: `${fmt(serverCpu, 2)} s CPU in total: ${fmt((serverCpu / total) * 100, 0)}% of one core over the run`,
      },
    ])
  } finally {
    server.kill('SIGTERM')
    await new Promise((resolve) => server.once('exit', resolve))
    await rm(dataDir, { recursive: true, force: true })
  }
}
