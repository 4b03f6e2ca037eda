// `npm run bench`: prints figures and ratios (not pass/fail). Copy the tables into
// docs/benchmarks.md with the machine and date when they change.
import { machine } from './lib.mjs'
import { runServerBenchmarks } from './server-benchmarks.mjs'

console.log(`# Nereid benchmarks\n\n${new Date().toISOString().slice(0, 10)} — ${machine()}`)
const only = process.argv[2]
if (!only || only === 'server') await runServerBenchmarks()
