import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import {
  ERROR_CODES,
  NereidError,
  isNereidError,
  type ErrorCode,
  parseOperation,
  validatePath,
  type FieldType,
  type OperationWire,
} from '@nereid/core'
import { backgroundTimer, type ClientEnv, type Timer } from '../env.js'
import { FieldRegistry } from '../field-registry.js'
import { MODE_BEHAVIOUR, type Mode, type ModeBehaviour } from '../modes/mode.js'
import type { Reporter } from '../reporter.js'
import type { NativeApi } from '../transport/native-api.js'
import { FileResolver } from './file-resolver.js'
import type { FileOperation, FileSource } from './log-record.js'
import { unlockFolder, type ObjectFolderMeta } from './object-folder.js'
import {
  DEFAULT_BUFFER_LIMITS,
  OperationBuffer,
  encodeEntries,
  type BufferLimits,
  type SeriesState,
} from './operation-buffer.js'
import { OperationLog } from './operation-log.js'
import { Sender, type OperationRejection, type SenderState } from './sender.js'

export type QueueState = SenderState | 'offline' | 'debug' | 'read-only'

/** Where an object's queue stands (`run.queueStatus()`). */
export interface QueueStatus {
  mode: Mode
  state: QueueState
  /** Operations written to the log and not yet acknowledged, plus those still in memory. */
  pendingOperations: number
  /** Highest sequence number the server acknowledged. */
  acknowledgedSeq: number
  /** Highest sequence number written to the log. */
  writtenSeq: number
  /** The local data folder, while there is one. */
  folder: string | null
  /** Why the queue failed, when it did. */
  error: NereidError | null
}

/** What `wait()` reports. */
export interface WaitResult {
  /** Operations not acknowledged yet (0 when everything arrived). */
  pendingOperations: number
  /** Operations the server refused since the last wait (each also reported to `onError`). */
  rejections: OperationRejection[]
  /** Set when the queue failed and sends nothing more. */
  error: NereidError | null
}

/** What `stop()` reports. */
export interface StopResult {
  pendingOperations: number
  /** Where the operations still to be sent are kept (null when none remain). */
  folder: string | null
  /** The line printed about what remains, when something does. */
  message: string | null
}

export interface ObjectWriterOptions {
  mode: Mode
  env: ClientEnv
  reporter: Reporter
  /** How messages name the object ("VISION-12", "offline run 3f2a…"). */
  label: string
  folder: { path: string; meta: ObjectFolderMeta } | null
  api: NativeApi | null
  objectId: string | null
  bufferLimits?: BufferLimits
}

const DISK_FLUSH_MS = 1000

/** Where bytes go in modes that store nothing (debug): the operation is dropped anyway. */
const DROPPED: FileSource = { kind: 'stored', id: 'dropped' }

/**
 * The write side of one object: checks each write, keeps it in memory for at most a group
 * commit, appends it to the durable log and lets the sender deliver it. Everything here runs
 * on the caller's thread and never waits for the network.
 */
export class ObjectWriter {
  readonly mode: Mode
  readonly registry = new FieldRegistry()
  readonly #behaviour: ModeBehaviour
  readonly #env: ClientEnv
  readonly #reporter: Reporter
  readonly #label: string
  readonly #buffer: OperationBuffer
  readonly #log: OperationLog | null
  readonly #folder: { path: string; meta: ObjectFolderMeta } | null
  readonly #sender: Sender | null
  readonly #series = new Map<string, SeriesState>()
  readonly #pendingStreams = new Map<string, Promise<void>>()
  readonly #rejections: OperationRejection[] = []
  readonly #drop: boolean
  #commitTimer: Timer | null = null
  #flushTimer: Timer | null = null
  #stopping: Promise<StopResult> | null = null
  #closed = false

  constructor(options: ObjectWriterOptions) {
    this.mode = options.mode
    this.#behaviour = MODE_BEHAVIOUR[options.mode]
    this.#env = options.env
    this.#reporter = options.reporter
    this.#label = options.label
    this.#buffer = new OperationBuffer(options.bufferLimits ?? DEFAULT_BUFFER_LIMITS)
    this.#folder = options.folder
    this.#drop = !this.#behaviour.logsToDisk
    this.#log =
      this.#behaviour.logsToDisk && options.folder
        ? OperationLog.open(options.folder.path, options.env.fs)
        : null
    this.#sender =
      this.#behaviour.sends && this.#log && options.api && options.objectId && options.folder
        ? new Sender({
            log: this.#log,
            api: options.api,
            objectId: options.objectId,
            writer: options.folder.meta.writer,
            env: options.env,
            resolver: new FileResolver({
              api: options.api,
              fs: options.env.fs,
              folder: options.folder.path,
              pendingStreams: this.#pendingStreams,
            }),
            onRejected: (rejection) => this.#rejected(rejection),
            onConnection: (event) => this.#connection(event),
            onFailed: (error) => this.#failed(error),
            onDamaged: ({ fromSeq, toSeq, details }) =>
              this.#reporter.error(
                new NereidError(
                  'INTERNAL',
                  `operations ${fromSeq}-${toSeq} of ${this.#label} could not be read back from the log and are lost (${details.join('; ') || 'damaged records'})`,
                ),
              ),
            onSkipped: ({ path, reason }) =>
              this.#reporter.error(
                new NereidError(
                  'FILE_NOT_FOUND',
                  `"${path}" of ${this.#label} was not sent: ${reason}`,
                  {
                    path,
                  },
                ),
              ),
          })
        : null
    this.#sender?.start()
  }

  get folder(): string | null {
    return this.#folder?.path ?? null
  }

  /** Checks and queues one operation (anything but a series append). */
  write(wire: OperationWire, type: FieldType | null): void {
    this.assertWritable()
    try {
      parseOperation(wire)
    } catch (error) {
      throw isNereidError(error) ? error : new NereidError('VALUE_INVALID', String(error))
    }
    if (type !== null) this.registry.claim(wire.path, type)
    if (wire.op === 'deleteField') this.#forget(wire.path)
    if (this.#drop) return
    this.#buffer.pushWire(JSON.stringify(wire))
    this.#added(1)
  }

  /** Queues an operation whose files are uploaded when it is sent. */
  writeFiles(operation: FileOperation, type: FieldType): void {
    this.assertWritable()
    validatePath(operation.path)
    if (operation.path.startsWith('sys/')) {
      throw new NereidError(
        'SYS_FIELD_READ_ONLY',
        `"${operation.path}" is maintained by the server; files cannot be written under sys/`,
        { path: operation.path },
      )
    }
    this.registry.claim(operation.path, type)
    if (this.#drop) return
    this.#buffer.pushFiles(operation)
    this.#added(1)
  }

  /**
   * The series at `path`, checked once: later appends through the same state cost a few array
   * stores.
   */
  series(path: string, type: 'floatSeries' | 'stringSeries' | 'fileSeries'): SeriesState {
    const known = this.#series.get(path)
    if (known !== undefined && this.registry.typeOf(path) === type) return known
    validatePath(path)
    if (path.startsWith('sys/')) {
      throw new NereidError(
        'SYS_FIELD_READ_ONLY',
        `"${path}" is maintained by the server; series cannot be written under sys/`,
        { path },
      )
    }
    this.registry.claim(path, type)
    const state: SeriesState = known ?? { path, lastStep: Number.NEGATIVE_INFINITY, group: null }
    this.#series.set(path, state)
    return state
  }

  /** The hot path of a training loop: one float point. `step` NaN means "next step". */
  appendFloat(series: SeriesState, value: number, step: number, timestamp: number): void {
    if (this.#closed) this.assertWritable()
    if (!this.#acceptStep(series, step)) return
    if (this.#drop) return
    this.#buffer.floatGroup(series).push(step, value, timestamp)
    this.#added(1)
  }

  appendString(series: SeriesState, value: string, step: number, timestamp: number): void {
    if (this.#closed) this.assertWritable()
    if (!this.#acceptStep(series, step)) return
    if (this.#drop) return
    const group = this.#buffer.stringGroup(series)
    group.steps.push(step)
    group.values.push(value)
    group.timestamps.push(timestamp)
    // Long strings weigh more: memory stays bounded by bytes, not only by points.
    this.#added(1 + (value.length >> 4))
  }

  /** Checks an explicit step of a file series point the same way. */
  acceptStep(series: SeriesState, step: number): boolean {
    return this.#acceptStep(series, step)
  }

  /** Keeps bytes in the local folder until their upload is acknowledged. */
  storeBytes(bytes: Uint8Array): FileSource {
    if (this.#drop || !this.#folder) return DROPPED
    const id = randomUUID()
    this.#env.fs.writeFileSync(join(this.#folder.path, 'blobs', id), bytes)
    return { kind: 'stored', id }
  }

  /** Copies a stream into the local folder in the background; the upload waits for it. */
  storeStream(stream: AsyncIterable<Uint8Array>, path: string): FileSource {
    if (this.#drop || !this.#folder) return DROPPED
    const id = randomUUID()
    const file = join(this.#folder.path, 'blobs', id)
    const fs = this.#env.fs
    const copy = pipeline(Readable.from(stream), fs.createWriteStream(`${file}.part`))
      .then(() => fs.renameSync(`${file}.part`, file))
      .catch((error: unknown) =>
        this.#reporter.error(
          new NereidError(
            'VALUE_INVALID',
            `reading the stream given for "${path}" of ${this.#label} failed (${(error as Error).message}); it is not uploaded`,
            { path },
          ),
        ),
      )
      .finally(() => this.#pendingStreams.delete(id))
    this.#pendingStreams.set(id, copy)
    return { kind: 'stored', id }
  }

  /** Writes everything waiting in memory to the log (the group commit). */
  commit(): void {
    if (this.#commitTimer !== null) {
      this.#env.clearTimeout(this.#commitTimer)
      this.#commitTimer = null
    }
    if (this.#buffer.isEmpty) return
    const entries = this.#buffer.take()
    const log = this.#log
    if (log === null) return
    try {
      const { frames, lastSeq } = encodeEntries(entries, log.lastSeq + 1)
      log.append(frames, lastSeq)
    } catch (error) {
      this.#reporter.once(
        'log-write',
        new NereidError(
          'INTERNAL',
          `could not write the operation log of ${this.#label} in ${log.folder} (${(error as Error).message}); operations logged since the last commit are lost`,
        ),
      )
      return
    }
    this.#scheduleDiskFlush()
    this.#sender?.notify()
  }

  /** Waits until everything written so far is acknowledged (or the timeout passes). */
  async wait(options: { timeoutMs?: number } = {}): Promise<WaitResult> {
    this.commit()
    const sender = this.#sender
    if (sender && this.#log) {
      await this.#waitFor(this.#log.lastSeq, options.timeoutMs ?? Number.POSITIVE_INFINITY)
    }
    const result: WaitResult = {
      pendingOperations: this.#pendingOperations(),
      rejections: this.#rejections.splice(0),
      error: this.#queueError(),
    }
    if (this.#behaviour.rejectionsThrow) this.#throwFirst(result)
    return result
  }

  /**
   * Commits what is in memory, waits up to `timeoutMs` for the server to acknowledge it, and
   * closes the log. What could not be sent stays on disk for `nereid sync`, and one line says
   * how much and where.
   */
  stop(options: { timeoutMs?: number } = {}): Promise<StopResult> {
    this.#stopping ??= this.#stop(options.timeoutMs ?? 30_000)
    return this.#stopping
  }

  status(): QueueStatus {
    const state: QueueState =
      this.mode === 'offline' || this.mode === 'debug' || this.mode === 'read-only'
        ? this.mode
        : (this.#sender?.state ?? 'stopped')
    return {
      mode: this.mode,
      state,
      pendingOperations: this.#pendingOperations(),
      acknowledgedSeq: this.#log?.ackedSeq ?? 0,
      writtenSeq: this.#log?.lastSeq ?? 0,
      folder: this.folder,
      error: this.#queueError(),
    }
  }

  /**
   * For a process that is about to die (uncaught error, `process.exit`): commits and forces
   * the log to disk synchronously. With `release`, the folder is handed over to `nereid sync`
   * and a line says what is left in it.
   */
  persistNow(options: { release: boolean; announce?: boolean }): {
    folder: string | null
    pendingOperations: number
  } {
    this.commit()
    try {
      this.#log?.flushToDiskNow()
    } catch {
      // Nothing more can be done in a dying process.
    }
    const pendingOperations = this.#pendingOperations()
    if (options.release && this.#folder && !this.#closed) {
      unlockFolder(this.#env.fs, this.#folder.path, this.#env.pid)
      if (pendingOperations > 0 && options.announce !== false)
        this.#reporter.notice(
          `${pendingOperations} operations of ${this.#label} were not sent before the process ended; they are safe on disk in ${this.#folder.path} and \`nereid sync\` will send them`,
        )
    }
    return { folder: this.folder, pendingOperations }
  }

  async #stop(timeoutMs: number): Promise<StopResult> {
    this.commit()
    this.#closed = true
    const deadline = new AbortController()
    // A referenced timer: the process stays alive while stop() waits, and no longer.
    const timer = this.#env.setTimeout(() => deadline.abort(), timeoutMs)
    try {
      await Promise.race([
        Promise.all(this.#pendingStreams.values()),
        new Promise((resolve) => deadline.signal.addEventListener('abort', resolve)),
      ])
      this.commit()
      if (this.#sender && this.#log) {
        this.#sender.notify()
        await this.#sender.waitFor(this.#log.lastSeq, deadline.signal)
        await this.#sender.stop()
      }
    } finally {
      this.#env.clearTimeout(timer)
    }
    if (this.#flushTimer !== null) this.#env.clearTimeout(this.#flushTimer)
    this.#log?.close()
    const pending = this.#log?.pendingRecords ?? 0
    let message: string | null = null
    const folder = this.#folder
    if (folder && this.#log) {
      if (pending === 0 && this.mode !== 'offline') {
        this.#env.fs.rmSync(folder.path, { recursive: true, force: true })
      } else {
        unlockFolder(this.#env.fs, folder.path, this.#env.pid)
        message =
          this.mode === 'offline'
            ? `${this.#label} is stored offline in ${folder.path} (${pending} operations); run \`nereid sync\` to upload it`
            : `${pending} operations of ${this.#label} could not be sent${
                this.#queueError() ? ` (${this.#queueError()!.message})` : ' in time'
              }; they are safe on disk in ${folder.path} and \`nereid sync\` will send them`
        this.#reporter.notice(message)
      }
    }
    const result: StopResult = {
      pendingOperations: pending,
      folder: pending > 0 ? (folder?.path ?? null) : null,
      message,
    }
    if (this.#behaviour.rejectionsThrow) {
      this.#throwFirst({
        pendingOperations: pending,
        rejections: this.#rejections.splice(0),
        error: this.#queueError(),
      })
    }
    return result
  }

  #acceptStep(series: SeriesState, step: number): boolean {
    if (step !== step) {
      // Not given: the server assigns previous + 1; follow it when the previous is known.
      if (series.lastStep !== Number.NEGATIVE_INFINITY) series.lastStep += 1
      return true
    }
    if (step > series.lastStep) {
      series.lastStep = step
      return true
    }
    const error = new NereidError(
      'STEP_NOT_INCREASING',
      `"${series.path}" of ${this.#label}: step ${step} is not greater than the previous step ${series.lastStep}; the point was not logged (steps must strictly increase)`,
      { path: series.path, step, previous: series.lastStep },
    )
    this.#reporter.once(`step:${series.path}`, error)
    if (this.#behaviour.rejectionsThrow)
      this.#rejections.push({ path: series.path, code: error.code, message: error.message, seq: 0 })
    return false
  }

  #added(weight: number): void {
    if (this.#buffer.added(weight)) {
      // Spill: memory stays bounded however fast the caller logs; the disk takes the rest.
      this.commit()
    } else if (this.#commitTimer === null) {
      this.#commitTimer = backgroundTimer(
        this.#env,
        () => {
          this.#commitTimer = null
          this.commit()
        },
        this.#behaviour.commitDelayMs,
      )
    }
  }

  #scheduleDiskFlush(): void {
    if (this.#flushTimer !== null || this.#log === null) return
    this.#flushTimer = backgroundTimer(
      this.#env,
      () => {
        this.#flushTimer = null
        this.#log?.flushToDisk((error) => {
          if (error)
            this.#reporter.once(
              'fsync',
              new NereidError(
                'INTERNAL',
                `could not flush the operation log of ${this.#label} to disk: ${error.message}`,
              ),
            )
        })
      },
      DISK_FLUSH_MS,
    )
  }

  async #waitFor(target: number, timeoutMs: number): Promise<void> {
    const controller = new AbortController()
    // Referenced while waiting, so `await run.wait()` keeps the program alive until it is done.
    const timer = this.#env.setTimeout(
      () => controller.abort(),
      Number.isFinite(timeoutMs) ? timeoutMs : 2 ** 31 - 1,
    )
    try {
      this.#sender!.notify()
      await this.#sender!.waitFor(target, controller.signal)
    } finally {
      this.#env.clearTimeout(timer)
    }
  }

  #pendingOperations(): number {
    return (this.#log?.pendingRecords ?? 0) + (this.#drop ? 0 : this.#buffer.pending)
  }

  #queueError(): NereidError | null {
    const error = this.#sender?.state === 'failed' ? this.#sender.error : null
    if (error === null || error === undefined) return null
    return isNereidError(error) ? error : new NereidError('INTERNAL', String(error))
  }

  #throwFirst(result: WaitResult): void {
    const first = result.rejections[0]
    if (first) {
      throw new NereidError(asCode(first.code), first.message, {
        path: first.path,
        rejections: result.rejections.length,
      })
    }
    if (result.error) throw result.error
  }

  /** Throws when the object takes no writes (read-only mode, or stopped). */
  assertWritable(): void {
    if (!this.#behaviour.writable) {
      throw new NereidError(
        'READ_ONLY_MODE',
        `${this.#label} was opened in read-only mode; open it with another mode to write (nothing was sent)`,
        { mode: this.mode },
      )
    }
    if (this.#closed) {
      throw new NereidError(
        'MODE_UNSUPPORTED',
        `${this.#label} was stopped; writes after stop() are not recorded`,
        { mode: 'stopped' },
      )
    }
  }

  #forget(path: string): void {
    this.registry.forget(path)
    this.#series.delete(path)
  }

  #rejected(rejection: OperationRejection): void {
    this.#reporter.once(
      `rejected:${rejection.path}:${rejection.code}`,
      new NereidError(
        asCode(rejection.code),
        `the server refused "${rejection.path}" of ${this.#label}: ${rejection.message}`,
        { path: rejection.path },
      ),
    )
    this.#rejections.push(rejection)
    // Keep memory bounded when a loop repeats the same mistake forever.
    if (this.#rejections.length > 1000) this.#rejections.splice(0, this.#rejections.length - 1000)
  }

  #connection(event: { recovered: boolean; error?: unknown; delayMs?: number }): void {
    if (event.recovered) {
      this.#reporter.reset('connection')
      this.#reporter.notice(
        `connection to the server restored; sending the operations of ${this.#label}`,
      )
      return
    }
    const error = event.error
    this.#reporter.once(
      'connection',
      new NereidError(
        isNereidError(error) ? error.code : 'SERVER_UNREACHABLE',
        `${isNereidError(error) || error instanceof Error ? error.message : String(error)}; retrying, and the operations of ${this.#label} are safe on disk${this.folder ? ` in ${this.folder}` : ''}`,
      ),
    )
  }

  #failed(error: unknown): void {
    const nereid = isNereidError(error) ? error : new NereidError('INTERNAL', String(error))
    this.#reporter.error(
      new NereidError(
        nereid.code,
        `sending the operations of ${this.#label} stopped: ${nereid.message}. Nothing is lost: they stay on disk${this.folder ? ` in ${this.folder}` : ''} for \`nereid sync\``,
        nereid.details,
      ),
    )
  }
}

function asCode(code: string): ErrorCode {
  return code in ERROR_CODES ? (code as ErrorCode) : 'VALUE_INVALID'
}
