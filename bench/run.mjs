// `npm run bench`: prints figures and ratios (not pass/fail). Copy the tables into
// docs/benchmarks.md with the machine and date when they change.
import { machine } from './lib.mjs'
import { runServerBenchmarks } from './server-benchmarks.mjs'
import { runPostgresBenchmarks } from './postgres-benchmarks.mjs'
import { runNeptuneBenchmarks } from './neptune-benchmarks.mjs'
import { runTransferBenchmarks } from './transfer-benchmarks.mjs'
import { runClientBenchmarks } from './client-benchmarks.mjs'
import { runWebBenchmarks } from './web-benchmarks.mjs'

console.log(`# Nereid benchmarks\n\n${new Date().toISOString().slice(0, 10)} — ${machine()}`)
const only = process.argv[2]
let server
if (!only || only === 'server') server = await runServerBenchmarks()
// Next to the SQLite figures above (measured again when run alone: `npm run bench postgres`).
if (!only || only === 'postgres') await runPostgresBenchmarks({ baseline: server })
if (!only || only === 'neptune') await runNeptuneBenchmarks()
if (!only || only === 'transfer') await runTransferBenchmarks()
if (!only || only === 'client') await runClientBenchmarks()
if (!only || only === 'web') await runWebBenchmarks()
