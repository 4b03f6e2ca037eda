// Load generator process for the ingestion benchmark: `connections` concurrent writers, each
// sending pre-built columnar JSON batches of 1,000 points to its own run over a keep-alive
// HTTP/1.1 connection, one request at a time (the next batch leaves when the answer is in).
//
// Like wrk or autocannon, it writes whole pre-serialised requests on raw sockets and reads
// only the status line and Content-Length of each answer: Node's `http` client spent 0.6 ms of
// CPU per request, a third of what the server spends, on the same two cores as the server.
import { connect } from 'node:net'

const [url, token, runIdsJson, batchesPerConnection] = process.argv.slice(2)
const runIds = JSON.parse(runIdsJson)
const target = new URL(url)

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

function request(runId, body) {
  const head =
    `POST /api/v1/projects/bench/ingest/objects/${runId}/operations HTTP/1.1\r\n` +
    `Host: ${target.host}\r\n` +
    `Authorization: Bearer ${token}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: keep-alive\r\n\r\n'
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')])
}

/**
 * Sends `requests` in order on one connection. Each answer must be a 200; its end is found
 * from Content-Length (the server answers batches with a length, never chunked).
 */
function sendAll(requests) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true })
    let next = 0
    let pending = Buffer.alloc(0)
    const sendNext = () => {
      if (next === requests.length) {
        socket.end()
        resolve()
      } else socket.write(requests[next++])
    }
    socket.on('connect', sendNext)
    socket.on('error', reject)
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n')
        if (headEnd === -1) return
        const head = pending.subarray(0, headEnd).toString('latin1')
        const status = Number(head.slice(9, 12))
        const length = /\r\ncontent-length: *(\d+)/i.exec(head)
        if (!length) return reject(new Error(`answer without Content-Length: ${head}`))
        const end = headEnd + 4 + Number(length[1])
        if (pending.length < end) return
        if (status !== 200) {
          return reject(new Error(`${status} ${pending.subarray(headEnd + 4, end).toString()}`))
        }
        pending = pending.subarray(end)
        sendNext()
      }
    })
  })
}

// Payloads are built before timing so the generator measures the server, not itself.
const payloads = runIds.map((_, r) =>
  Array.from({ length: Number(batchesPerConnection) }, (_, i) => batch(r, i)),
)
const bytes = payloads.flat().reduce((sum, body) => sum + Buffer.byteLength(body), 0)
const requests = runIds.map((runId, r) => payloads[r].map((body) => request(runId, body)))

const parseStart = process.hrtime.bigint()
for (const list of payloads) for (const body of list) JSON.parse(body)
const parseSeconds = Number(process.hrtime.bigint() - parseStart) / 1e9

const cpuBefore = process.cpuUsage()
const start = process.hrtime.bigint()
// Wall-clock bounds, so several clients' windows can be joined (two-instance benchmark).
const startedAt = Date.now()
await Promise.all(requests.map((list) => sendAll(list)))
const seconds = Number(process.hrtime.bigint() - start) / 1e9
const endedAt = Date.now()
const cpu = process.cpuUsage(cpuBefore)
const points = runIds.length * Number(batchesPerConnection) * 1000
const clientCpuSeconds = (cpu.user + cpu.system) / 1e6
process.stdout.write(
  JSON.stringify({ points, seconds, bytes, parseSeconds, startedAt, endedAt, clientCpuSeconds }) +
    '\n',
)
