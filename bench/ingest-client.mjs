// Load generator process for the ingestion benchmark: `connections` concurrent writers, each
// sending pre-built columnar JSON batches of 1,000 points to its own run over keep-alive HTTP.
import { Agent, request } from 'node:http'

const [url, token, runIdsJson, batchesPerConnection] = process.argv.slice(2)
const runIds = JSON.parse(runIdsJson)
const agent = new Agent({ keepAlive: true, maxSockets: runIds.length })
const target = new URL(url)

function post(path, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks))
            : reject(new Error(`${res.statusCode} ${Buffer.concat(chunks)}`)),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

function batch(runIndex, index) {
  const first = index * 1000
  const steps = new Array(1000)
  const values = new Array(1000)
  const timestamps = new Array(1000)
  for (let i = 0; i < 1000; i++) {
    steps[i] = first + i
    values[i] = Math.sin((first + i) / 1000) + runIndex
    timestamps[i] = 1767225600000 + first + i
  }
  return JSON.stringify({
    writer: `bench-${runIndex}`,
    seq: index + 1,
    operations: [{ op: 'appendFloats', path: 'train/loss', steps, values, timestamps }],
  })
}

// Payloads are built before timing so the generator measures the server, not itself.
const payloads = runIds.map((_, r) =>
  Array.from({ length: Number(batchesPerConnection) }, (_, i) => batch(r, i)),
)
const bytes = payloads.flat().reduce((sum, body) => sum + Buffer.byteLength(body), 0)

const parseStart = process.hrtime.bigint()
for (const list of payloads) for (const body of list) JSON.parse(body)
const parseSeconds = Number(process.hrtime.bigint() - parseStart) / 1e9

const start = process.hrtime.bigint()
// Wall-clock bounds, so several clients' windows can be joined (two-instance benchmark).
const startedAt = Date.now()
await Promise.all(
  runIds.map(async (runId, r) => {
    for (const body of payloads[r])
      await post(`/api/v1/projects/bench/ingest/objects/${runId}/operations`, body)
  }),
)
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const points = runIds.length * Number(batchesPerConnection) * 1000
const endedAt = Date.now()
process.stdout.write(
  JSON.stringify({ points, seconds, bytes, parseSeconds, startedAt, endedAt }) + '\n',
)
agent.destroy()
