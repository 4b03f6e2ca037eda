#!/usr/bin/env node
// Runs the Neptune client compatibility suite (compat/neptune/tests) with the real `neptune`
// Python client. Creates the virtual environment compat/neptune/.venv from requirements.txt
// when it is missing or out of date; expects the packages to be built (`npx tsc -b`).
// Arguments are passed on to pytest; `--prepare` only creates the environment (benchmarks).
// `--client VERSION` (first argument) runs the suite with another release of the client, in its
// own environment .venv-neptune-VERSION (for example `--client 1.13.0`).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '..', '..', 'packages', 'cli', 'dist', 'cli.js')
const args = process.argv.slice(2)
const client = args[0] === '--client' ? (args.splice(0, 2)[1] ?? '') : undefined
if (client !== undefined && !/^\d+\.\d+\.\d+(\.post\d+)?$/.test(client)) {
  fail(`--client wants a release of the neptune client such as 1.13.0, not "${client}"`)
}
const venv = join(here, client === undefined ? '.venv' : `.venv-neptune-${client}`)
const python = join(venv, 'bin', 'python')
const stamp = join(venv, 'requirements.sha256')

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options })
  if (result.error) throw result.error
  return result.status ?? 1
}

function fail(message) {
  process.stderr.write(`compat/neptune: ${message}\n`)
  process.exit(1)
}

if (!existsSync(cli)) fail(`${cli} is missing; build first with "npx tsc -b"`)

// Another client release: the same requirements with only the neptune pin changed.
let requirementsText = readFileSync(join(here, 'requirements.txt'), 'utf8')
if (client !== undefined) {
  requirementsText = requirementsText.replace(/^neptune==.*$/m, `neptune==${client}`)
}
const wanted = createHash('sha256').update(requirementsText).digest('hex')
const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : null
if (!existsSync(python) || installed !== wanted) {
  const base = process.env.PYTHON ?? 'python3'
  process.stdout.write(`compat/neptune: preparing ${venv} (pip install -r requirements.txt)\n`)
  if (!existsSync(python) && run(base, ['-m', 'venv', venv]) !== 0) {
    fail(`"${base} -m venv" failed; install Python 3.9+ with the venv module (Debian: python3-venv)`)
  }
  const requirements = join(venv, 'requirements.txt')
  writeFileSync(requirements, requirementsText)
  if (run(python, ['-m', 'pip', 'install', '--quiet', '-r', requirements]) !== 0) {
    fail('pip install failed; see the output above')
  }
  writeFileSync(stamp, `${wanted}\n`)
}

if (args[0] === '--prepare') process.exit(0)
process.exit(run(python, ['-m', 'pytest', ...args], { cwd: here }))
