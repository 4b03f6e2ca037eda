import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ParsedBatch } from '@nereid/core'
import { fromWire, parseBatchBytes, type WireParsedBatch } from './batch-wire.js'

/** Bodies smaller than this are parsed inline: handing them to a worker costs more. */
const WORKER_THRESHOLD_BYTES = 16 * 1024

/**
 * Parses operation batches. The database has one writer thread, and with JSON bodies
 * ingestion is bound by parsing (DESIGN §3), so large bodies are parsed on worker threads
 * while the main thread applies the previous batch: both cores work.
 */
export class BatchParser {
  readonly #workers: Worker[] = []
  readonly #pending = new Map<
    number,
    { resolve: (batch: ParsedBatch) => void; reject: (error: Error) => void; worker: Worker }
  >()
  #next = 0
  #closed = false

  constructor(options: { workers?: number } = {}) {
    const script = new URL('./batch-parse-worker.js', import.meta.url)
    // Running from TypeScript sources (tests) there is no compiled worker; parse inline then.
    if (!script.pathname.endsWith('.js') || !existsSync(fileURLToPath(script))) return
    const count = options.workers ?? Math.max(1, Math.min(4, availableParallelism() - 1))
    for (let i = 0; i < count; i++) this.#workers.push(this.#spawn(script))
  }

  /** Large bodies are handed over to a worker: the caller must not use `bytes` afterwards. */
  async parse(bytes: Buffer): Promise<ParsedBatch> {
    if (this.#workers.length === 0 || bytes.byteLength < WORKER_THRESHOLD_BYTES || this.#closed) {
      return fromWire(parseBatchBytes(bytes).result)
    }
    const id = this.#next++
    const worker = this.#workers[id % this.#workers.length]!
    return new Promise<ParsedBatch>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, worker })
      // A body that owns its whole memory (Fastify copies every body into a buffer of its own)
      // moves to the worker instead of being copied; the caller never reads it again.
      const owned =
        bytes.byteOffset === 0 &&
        bytes.byteLength === bytes.buffer.byteLength &&
        bytes.buffer instanceof ArrayBuffer
      worker.postMessage({ id, bytes }, owned ? [bytes.buffer] : [])
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    await Promise.all(this.#workers.map((worker) => worker.terminate()))
    this.#workers.length = 0
  }

  #spawn(script: URL): Worker {
    const worker = new Worker(script)
    worker.unref()
    worker.on('message', (message: { id: number; result: WireParsedBatch }) => {
      const waiting = this.#pending.get(message.id)
      if (!waiting) return
      this.#pending.delete(message.id)
      try {
        waiting.resolve(fromWire(message.result))
      } catch (error) {
        waiting.reject(error as Error)
      }
    })
    // A worker that dies fails its requests (the clients retry) and is replaced.
    worker.on('error', (error) => this.#replace(worker, script, error))
    worker.on('exit', (code) => {
      if (!this.#closed && code !== 0)
        this.#replace(worker, script, new Error(`batch parser exited with code ${code}`))
    })
    return worker
  }

  #replace(worker: Worker, script: URL, error: Error): void {
    for (const [id, waiting] of this.#pending) {
      if (waiting.worker === worker) {
        this.#pending.delete(id)
        waiting.reject(error)
      }
    }
    const index = this.#workers.indexOf(worker)
    if (index !== -1 && !this.#closed) this.#workers[index] = this.#spawn(script)
  }
}
