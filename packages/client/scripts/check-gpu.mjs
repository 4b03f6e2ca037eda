// GPU capture check for a machine with an NVIDIA GPU (this repository's CI machines have none):
//   npx tsc -b && node packages/client/scripts/check-gpu.mjs
// Runs the real nvidia-smi through the SDK's parser, then logs an offline run with GPU capture
// for three seconds and checks that GPU series reached the run's log. Exits 1 when anything is
// missing, and says what.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const dist = new URL('../dist/', import.meta.url)
const { sampleGpus } = await import(new URL('capture/gpu.js', dist).href)
const { initRun, listLocalData } = await import(new URL('index.js', dist).href)
const { OperationLog } = await import(new URL('queue/operation-log.js', dist).href)
const fs = await import('node:fs')

const samples = await sampleGpus()
if (samples === null) {
  console.error('nvidia-smi is missing or reports no GPU: nothing to check on this machine')
  process.exit(1)
}
console.log('nvidia-smi, parsed:', samples)

const directory = mkdtempSync(join(tmpdir(), 'nereid-gpu-check-'))
try {
  const run = await initRun({
    mode: 'offline',
    dataDirectory: directory,
    quiet: true,
    env: { variables: {} },
    capture: {
      gpu: true,
      cpu: true,
      memory: true,
      stdout: false,
      stderr: false,
      git: false,
      sourceCode: false,
      intervalMs: 500,
    },
  })
  await new Promise((resolve) => setTimeout(resolve, 3000))
  await run.stop()
  const [local] = listLocalData({ dataDirectory: directory })
  const log = OperationLog.open(local.folder, fs, { readOnly: true })
  const paths = new Set()
  for (let after = 0; after < log.lastSeq;) {
    const records = log.readAfter(after)
    if (records.length === 0) break
    for (const record of records) if (record.kind === 'floats') paths.add(record.path)
    after = records.at(-1).seq
  }
  const gpuSeries = [...paths].filter((path) => /\/gpu_\d+(_memory|_power)?$/.test(path)).sort()
  console.log('series logged:', [...paths].sort())
  const expected = samples.map((sample) => `gpu_${sample.index}`)
  const missing = expected.filter((name) => !gpuSeries.some((path) => path.endsWith(`/${name}`)))
  if (missing.length > 0) {
    console.error(`missing GPU series: ${missing.join(', ')}`)
    process.exit(1)
  }
  console.log(`ok: ${gpuSeries.length} GPU series for ${samples.length} GPU(s)`)
} finally {
  rmSync(directory, { recursive: true, force: true })
}
