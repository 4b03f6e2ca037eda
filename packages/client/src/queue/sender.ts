import type { ClientEnv } from '../env.js'
import type { NereidApiError } from '../transport/api-error.js'
import type { NativeApi } from '../transport/native-api.js'
import { CancelledError, createRetryer } from '../transport/retryer.js'
import type { FileResolver } from './file-resolver.js'
import type { LogRecord } from './log-record.js'
import { recordPoints } from './log-record.js'
import { DEFAULT_READ_LIMITS, type OperationLog, type ReadLimits } from './operation-log.js'

/**
 * The queue's explicit states (STYLE §4, MLflow's QueueStatus):
 * - idle: everything written is acknowledged; waiting for more;
 * - sending: a batch is on its way;
 * - retrying: the last attempt failed for a reason that passes (the server is down or busy);
 *   the same batch is sent again after a capped exponential backoff;
 * - failed: the server refused the whole batch for a reason that will not pass (token revoked,
 *   object deleted); nothing more is sent and the data stays on disk for `nereid sync`;
 * - stopped: `stop()` ended the loop.
 */
export type SenderState = 'idle' | 'sending' | 'retrying' | 'failed' | 'stopped'

/** The server refused one operation; the others were applied. */
export interface OperationRejection {
  path: string
  code: string
  message: string
  seq: number
}

export interface SenderOptions {
  log: OperationLog
  api: NativeApi
  objectId: string
  writer: string
  resolver: FileResolver
  env: ClientEnv
  readLimits?: ReadLimits
  onRejected?(rejection: OperationRejection): void
  /** An attempt failed and will be retried (`recovered` false), or a later one succeeded. */
  onConnection?(event: { recovered: boolean; error?: unknown; delayMs?: number }): void
  onFailed?(error: unknown): void
  /** After each acknowledged batch: records and points it held. */
  onProgress?(event: { ackedSeq: number; records: number; points: number }): void
  /** Told when a logged file could not be sent (removed before upload, stream cut short). */
  onSkipped?(event: { path: string; reason: string; seq: number }): void
  /** Told when records could not be read back from the log (damaged on disk). */
  onDamaged?(event: { fromSeq: number; toSeq: number; details: string[] }): void
}

/**
 * Sends one object's log to the server: one batch at a time, in sequence order, never two in
 * flight, so the server applies operations in the order they were made. Each batch carries the
 * writer id and the sequence number of its first record; the server skips what it already
 * applied, so sending a batch again (after a timeout, a crash, or by `nereid sync`) is safe.
 */
export class Sender {
  readonly #options: SenderOptions
  readonly #limits: ReadLimits
  readonly #abort = new AbortController()
  #state: SenderState = 'idle'
  #error: unknown = null
  #wake: (() => void) | null = null
  #loop: Promise<void> | null = null
  #waiters: { target: number; resolve: () => void }[] = []
  #interrupted = false

  constructor(options: SenderOptions) {
    this.#options = options
    this.#limits = options.readLimits ?? DEFAULT_READ_LIMITS
  }

  get state(): SenderState {
    return this.#state
  }

  /** Why the queue failed, when it did. */
  get error(): unknown {
    return this.#error
  }

  start(): void {
    this.#loop ??= this.#run()
  }

  /** New records were written. */
  notify(): void {
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  /**
   * Resolves when the server acknowledged every record up to `target`, the queue failed or
   * stopped, or the signal aborts, whichever comes first.
   */
  waitFor(target: number, signal?: AbortSignal): Promise<void> {
    if (this.#settled(target) || signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const waiter = {
        target,
        resolve: () => {
          signal?.removeEventListener('abort', done)
          resolve()
        },
      }
      const done = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        resolve()
      }
      signal?.addEventListener('abort', done, { once: true })
      this.#waiters.push(waiter)
    })
  }

  /** Ends the loop; a batch in flight is abandoned (it is sent again by whoever sends next). */
  async stop(): Promise<void> {
    if (this.#state !== 'failed') this.#state = 'stopped'
    this.#abort.abort()
    this.notify()
    await this.#loop?.catch(() => undefined)
    this.#settleWaiters()
  }

  #settled(target: number): boolean {
    return (
      this.#options.log.ackedSeq >= target || this.#state === 'failed' || this.#state === 'stopped'
    )
  }

  #settleWaiters(): void {
    const waiting = this.#waiters
    this.#waiters = []
    for (const waiter of waiting) {
      if (this.#settled(waiter.target)) waiter.resolve()
      else this.#waiters.push(waiter)
    }
  }

  async #run(): Promise<void> {
    const log = this.#options.log
    while (!this.#abort.signal.aborted) {
      const records = log.readAfter(log.ackedSeq, this.#limits)
      if (records.length === 0 && log.lastSeq > log.ackedSeq) {
        // Records that exist but cannot be read were damaged on disk (a crash mid-write in a
        // segment that is not the last, a bad sector): report them and move past them.
        this.#options.onDamaged?.({
          fromSeq: log.ackedSeq + 1,
          toSeq: log.lastSeq,
          details: [...log.damaged],
        })
        log.acknowledge(log.lastSeq)
        this.#settleWaiters()
        continue
      }
      if (records.length > 0 && records[0]!.seq > log.ackedSeq + 1) {
        this.#options.onDamaged?.({
          fromSeq: log.ackedSeq + 1,
          toSeq: records[0]!.seq - 1,
          details: [...log.damaged],
        })
      }
      if (records.length === 0) {
        if (this.#state !== 'stopped' && this.#state !== 'failed') this.#state = 'idle'
        this.#settleWaiters()
        await new Promise<void>((resolve) => {
          this.#wake = resolve
          if (log.lastSeq > log.ackedSeq || this.#abort.signal.aborted) this.notify()
        })
        continue
      }
      this.#state = 'sending'
      try {
        await this.#sendRecords(records)
      } catch (error) {
        if (error instanceof CancelledError || this.#abort.signal.aborted) break
        this.#state = 'failed'
        this.#error = error
        this.#options.onFailed?.(error)
        this.#settleWaiters()
        return
      }
      this.#settleWaiters()
    }
    if (this.#state !== 'failed') this.#state = 'stopped'
    this.#settleWaiters()
  }

  async #sendRecords(records: LogRecord[]): Promise<void> {
    const { api, env, log } = this.#options
    const retryer = createRetryer(
      async (signal) => {
        const batch = await this.#buildBatch(records, signal)
        if (batch.parts.length === 0) return { batch, result: null }
        const result = await api.sendOperations(this.#options.objectId, batch.body, signal)
        return { batch, result }
      },
      {
        env,
        signal: this.#abort.signal,
        retry: (_failures, error) => (error as NereidApiError).retryable === true,
        onRetry: (_failures, error, delayMs) => {
          this.#state = 'retrying'
          this.#interrupted = true
          this.#options.onConnection?.({ recovered: false, error, delayMs })
        },
      },
    )
    let outcome
    try {
      outcome = await retryer.promise
    } catch (error) {
      // A batch too large for the server's limit is sent in halves.
      if ((error as NereidApiError).code === 'BODY_TOO_LARGE' && records.length > 1) {
        await this.#sendRecords(records.slice(0, Math.ceil(records.length / 2)))
        return
      }
      throw error
    }
    if (this.#interrupted) {
      this.#interrupted = false
      this.#options.onConnection?.({ recovered: true })
    }
    const { batch, result } = outcome
    if (result) {
      result.results.forEach((item, index) => {
        if (!item.ok) {
          this.#options.onRejected?.({
            path: batch.paths[index] ?? '',
            code: item.error.code,
            message: item.error.message,
            seq: batch.firstSeq + index,
          })
        }
      })
    }
    const acked = Math.max(
      batch.skippedUpTo,
      result?.acknowledgedSeq ?? (batch.parts.length > 0 ? batch.lastSeq : batch.skippedUpTo),
    )
    log.acknowledge(acked)
    // Bytes kept for uploads may go once the server holds the operations (and `ack` says so).
    for (const record of records) {
      if (record.seq > acked) break
      if (record.kind === 'files') this.#options.resolver.release(record.operation)
    }
    let points = 0
    let count = 0
    for (const record of records) {
      if (record.seq > acked) break
      points += recordPoints(record)
      count++
    }
    this.#options.onProgress?.({ ackedSeq: acked, records: count, points })
  }

  /** The request body for the longest run of consecutive records that can be sent now. */
  async #buildBatch(records: LogRecord[], signal: AbortSignal | undefined) {
    const parts: string[] = []
    const paths: string[] = []
    let firstSeq = 0
    let lastSeq = 0
    let skippedUpTo = 0
    for (const record of records) {
      if (parts.length > 0 && record.seq !== lastSeq + 1) break
      let json: string
      let path: string
      if (record.kind === 'wire') {
        json = record.json
        path = pathOf(record.json)
      } else if (record.kind === 'floats') {
        json = floatsJson(record)
        path = record.path
      } else {
        const resolution = await this.#options.resolver.resolve(record.operation, signal)
        path = record.operation.path
        if ('skipped' in resolution) {
          this.#options.onSkipped?.({ path, reason: resolution.skipped, seq: record.seq })
          // Skipped records end the batch, so the sequence numbers sent stay consecutive.
          if (parts.length === 0) {
            skippedUpTo = record.seq
            continue
          }
          break
        }
        json = resolution.json
      }
      if (parts.length === 0) firstSeq = record.seq
      parts.push(json)
      paths.push(path)
      lastSeq = record.seq
    }
    const body = `{"writer":${JSON.stringify(this.#options.writer)},"seq":${firstSeq},"operations":[${parts.join(',')}]}`
    return { parts, paths, firstSeq, lastSeq, skippedUpTo, body }
  }
}

function pathOf(json: string): string {
  const match = /"path":("(?:[^"\\]|\\.)*")/.exec(json)
  return match ? (JSON.parse(match[1]!) as string) : ''
}

/** An appendFloats operation as JSON, written straight from the columns. */
function floatsJson(record: Extract<LogRecord, { kind: 'floats' }>): string {
  let json = `{"op":"appendFloats","path":${JSON.stringify(record.path)},"values":${floatArray(record.values)}`
  if (!record.steps.every(Number.isNaN)) json += `,"steps":${stepArray(record.steps)}`
  return `${json},"timestamps":${floatArray(record.timestamps)}}`
}

function floatArray(values: Float64Array): string {
  let finite = true
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      finite = false
      break
    }
  }
  // For finite numbers JavaScript's number-to-text is valid JSON; join is the fast path.
  if (finite) return `[${values.join(',')}]`
  const parts = new Array<string>(values.length)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    parts[i] = Number.isFinite(value)
      ? String(value)
      : Number.isNaN(value)
        ? '"NaN"'
        : value > 0
          ? '"Infinity"'
          : '"-Infinity"'
  }
  return `[${parts.join(',')}]`
}

function stepArray(steps: Float64Array): string {
  const parts = new Array<string>(steps.length)
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!
    parts[i] = Number.isNaN(step) ? 'null' : String(step)
  }
  return `[${parts.join(',')}]`
}
