// Import and export throughput (issue 8): a project of RUNS runs × SERIES float series × POINTS
// points (default 1,000 × 10 × 10,000 = 100 M points) is logged into one server, exported with
// `nereid export`'s code to the open format, and imported into a second, empty server.
// Size: `npm run bench transfer -- --runs 20` (also --series, --points), the positional
// `node bench/run.mjs transfer [runs] [series] [points]`, or NEREID_BENCH_TRANSFER=R,S,P.
// The same size is then written in neptune-exporter's format with pyarrow (the exporter's own
// Parquet writer; packages/transfer/test/.venv, created on first use like the import tests do)
// and imported with `nereid import neptune-exporter`.
// Besides wall-clock rates it prints the CPU time the transfer process and the server spent
// per million points, which stays comparable on a busy machine.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI, cpuSeconds, fmt, printTable, startServer } from './lib.mjs'

const transfer = await import('../packages/transfer/dist/index.js')

function flag(name) {
  const index = process.argv.indexOf(`--${name}`)
  return index > 0 ? Number(process.argv[index + 1]) : NaN
}

function size() {
  const positional = process.argv.slice(3).filter((arg) => /^\d+$/.test(arg))
  const named = [flag('runs'), flag('series'), flag('points')]
  const fromArgs = named.map((value, i) => (Number.isFinite(value) ? value : Number(positional[i])))
  const fromEnv = (process.env.NEREID_BENCH_TRANSFER ?? '').split(',').map(Number)
  const pick = (i, fallback) =>
    Number.isFinite(fromArgs[i]) && fromArgs[i] > 0
      ? fromArgs[i]
      : Number.isFinite(fromEnv[i]) && fromEnv[i] > 0
        ? fromEnv[i]
        : fallback
  return { runs: pick(0, 1000), series: pick(1, 10), points: pick(2, 10_000) }
}

const VENV = fileURLToPath(new URL('../packages/transfer/test/.venv', import.meta.url))
const EXPORTER_FIXTURE = fileURLToPath(
  new URL('../packages/cli/test/fixtures/make-exporter-fixture.py', import.meta.url),
)

/** A Python with pyarrow, the writer neptune-exporter used. */
function pyarrowPython() {
  const python = join(VENV, 'bin', 'python')
  const ready = () => {
    try {
      execFileSync(python, ['-c', 'import pyarrow'], { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  }
  if (!ready()) {
    if (!existsSync(python)) execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' })
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', 'pyarrow==21.0.0'], {
      stdio: 'inherit',
    })
  }
  return python
}

function folderBytes(dir) {
  let bytes = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    bytes += entry.isDirectory() ? folderBytes(path) : statSync(path).size
  }
  return bytes
}

async function server(dir, workspace, project) {
  const started = await startServer(dir)
  const token = execFileSync(process.execPath, [
    CLI,
    'admin',
    'bootstrap',
    '--workspace',
    workspace,
    ...(project ? ['--project', project] : []),
    '--data',
    dir,
    '--public-url',
    started.url,
  ])
    .toString()
    .trim()
  return { ...started, token, api: new transfer.NereidApi({ url: started.url, token }) }
}

export async function runTransferBenchmarks() {
  const { runs, series, points } = size()
  const total = runs * series * points
  const root = mkdtempSync(join(tmpdir(), 'nereid-bench-transfer-'))
  const source = await server(join(root, 'a'), 'bench', 'transfer')
  const target = await server(join(root, 'b'), 'other')
  try {
    const project = await source.api.getProject('bench', 'transfer')
    const steps = Array.from({ length: points }, (_, i) => i)
    const times = Array.from({ length: points }, (_, i) => 1_700_000_000_000 + i)
    const values = Array.from({ length: points }, (_, i) => Math.sin(i / 100))
    for (let r = 0; r < runs; r++) {
      const { object } = await source.api.json('POST', '/api/v1/projects/bench/transfer/objects', {
        kind: 'run',
      })
      const operations = [{ op: 'assignFloat', path: 'params/lr', value: 0.001 * r }]
      for (let s = 0; s < series; s++)
        operations.push({
          op: 'appendFloats',
          path: `metrics/m${s}`,
          steps,
          timestamps: times,
          values,
        })
      await source.api.applyOperations(project, object.id, { writer: 'bench', seq: 1, operations })
    }

    const dir = join(root, 'export')
    const measure = async (server, work) => {
      const serverBefore = cpuSeconds(server.child.pid)
      const clientBefore = process.cpuUsage()
      const summary = await work()
      const client = process.cpuUsage(clientBefore)
      return {
        summary,
        clientCpu: (client.user + client.system) / 1e6,
        serverCpu: cpuSeconds(server.child.pid) - serverBefore,
      }
    }
    const exportRun = await measure(source, () =>
      transfer.exportProject({ api: source.api, project: 'bench/transfer', dir }),
    )
    const importRun = await measure(target, () => transfer.importNereid({ api: target.api, dir }))

    // The same project as neptune-exporter wrote it, imported into another workspace.
    const exporterDir = join(root, 'neptune-exporter')
    const written = Date.now()
    execFileSync(pyarrowPython(), [
      EXPORTER_FIXTURE,
      exporterDir,
      '--bulk',
      String(runs),
      String(points),
      String(series),
    ])
    const exporterWriteSeconds = (Date.now() - written) / 1000
    const exporterBytes = folderBytes(exporterDir)
    const exporterRun = await measure(target, () =>
      transfer.importNeptuneExporter({ api: target.api, dir: exporterDir, workspace: 'other' }),
    )
    const fromExporter = exporterRun.summary

    const exported = exportRun.summary
    const imported = importRun.summary
    const cpu = (run) =>
      `${fmt((run.clientCpu * 1e6) / total, 2)} s transfer + ${fmt((run.serverCpu * 1e6) / total, 2)} s server`
    const rate = (summary) => ({
      points: summary.points / summary.seconds,
      mb: summary.bytes / 1e6 / summary.seconds,
    })
    const e = rate(exported)
    const i = rate(imported)
    printTable(
      `Import and export (${runs} runs × ${series} series × ${points} points = ${fmt(total / 1e6, 1)} M points)`,
      [
        {
          measure: 'export: points/s',
          value: fmt(e.points, 0),
          note: `${fmt(exported.seconds, 1)} s`,
        },
        {
          measure: 'export: MB/s written (Parquet + files)',
          value: fmt(e.mb, 1),
          note: `${fmt(exported.bytes / 1e6, 1)} MB, ${fmt(exported.bytes / total, 2)} bytes/point`,
        },
        {
          measure: 'import nereid: points/s',
          value: fmt(i.points, 0),
          note: `${fmt(imported.seconds, 1)} s`,
        },
        { measure: 'import nereid: MB/s read', value: fmt(i.mb, 1) },
        {
          measure: 'import neptune-exporter: points/s',
          value: fmt(fromExporter.points / fromExporter.seconds, 0),
          note: `${fmt(fromExporter.seconds, 1)} s`,
        },
        {
          measure: 'import neptune-exporter: MB/s read',
          value: fmt(exporterBytes / 1e6 / fromExporter.seconds, 1),
          note: `${fmt(exporterBytes / 1e6, 1)} MB of Parquet (pyarrow wrote it in ${fmt(exporterWriteSeconds, 0)} s)`,
        },
        { measure: 'export: CPU per M points', value: cpu(exportRun) },
        { measure: 'import nereid: CPU per M points', value: cpu(importRun) },
        { measure: 'import neptune-exporter: CPU per M points', value: cpu(exporterRun) },
        {
          measure: 'points exported / imported / from exporter',
          value: `${exported.points} / ${imported.points} / ${fromExporter.points}`,
          note: [exported, imported, fromExporter].every((summary) => summary.points === total)
            ? 'all'
            : 'MISMATCH',
        },
      ],
    )
  } finally {
    source.child.kill('SIGTERM')
    target.child.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 500))
    rmSync(root, { recursive: true, force: true })
  }
}
