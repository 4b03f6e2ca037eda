// Ingestion through the real `neptune` Python client (issue 4): async mode, 100,000 float
// points over 10 series, against a real server. Reports points per second end to end (from
// init_run to the end of stop(), which waits until everything is acknowledged) and the
// server's CPU time per 1,000 points, to show where the time goes. The same loop in offline
// mode (the client writes its disk queue and sends nothing) is the client's own cost: the
// closer end to end comes to it, the less the server matters.
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
series, steps, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
started = time.perf_counter()
run = neptune.init_run(mode=mode, capture_hardware_metrics=False, capture_stdout=False,
                       capture_stderr=False, capture_traceback=False, source_files=[], git_ref=False)
for step in range(steps):
    for s in range(series):
        run[f"train/metric_{s}"].append(step * 0.001 + s, step=step)
logged = time.perf_counter()
run_id = run["sys/id"].fetch() if mode == "async" else "-"
run.stop()
done = time.perf_counter()
print(f"{logged - started} {done - started} {run_id}")
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
    const ingest = async (mode) => {
      const { stdout } = await promisify(execFile)(
        PYTHON,
        ['-c', SCRIPT, String(series), String(steps), mode],
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
      return stdout
    }
    const offline = await ingest('offline')
    const offlineLoop = Number(offline.trim().split('\n').at(-1).split(' ')[0])
    const cpuBefore = cpuSeconds(server.pid)
    const stdout = await ingest('async')
    const serverCpu = cpuSeconds(server.pid) - cpuBefore
    const [loggedText, totalText, runId] = stdout.trim().split('\n').at(-1).split(' ')
    const [logged, total] = [Number(loggedText), Number(totalText)]
    const points = series * steps
    await expectEverySeriesComplete(url, token.trim(), runId, series, steps)
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
        measure: 'the client alone (offline mode, nothing sent)',
        value: `${fmt(points / offlineLoop, 0)} points/s`,
        note: `append loop ${fmt(offlineLoop, 2)} s; end to end takes ${fmt(total / offlineLoop, 2)}× as long`,
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

/** A figure is only worth printing when every point arrived: count each series on the server. */
async function expectEverySeriesComplete(url, token, runId, series, steps) {
  const response = await fetch(`${url}/api/v1/projects/bench/neptune/objects/${runId}/fields`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (!response.ok) throw new Error(`reading ${runId} back failed: ${response.status}`)
  const { fields } = await response.json()
  for (let s = 0; s < series; s++) {
    const field = fields.find((candidate) => candidate.path === `train/metric_${s}`)
    const count = field?.value?.count
    if (count !== steps) {
      throw new Error(`train/metric_${s} holds ${count ?? 'no'} points on the server, not ${steps}`)
    }
  }
}
