import {
  encodeFilesRecord,
  encodeFloatsRecord,
  encodeWireRecord,
  type FileOperation,
} from './log-record.js'

/**
 * The caller's side of the queue: operations wait here, in memory and in order, until the
 * next group commit writes them to the log (operation-log.ts). Appends to a float or string
 * series are gathered per series into columns, so a training loop that logs a point per step
 * costs a few array stores, and one record carries thousands of points.
 *
 * Order: appends to different series commute, so they may share records made in any order.
 * Every other operation is a barrier: appends after it go into new groups, written after it,
 * so no point ever moves across an assignment, a deletion or an upload.
 */
export type BufferEntry =
  | { kind: 'wire'; json: string }
  | { kind: 'files'; operation: FileOperation }
  | FloatGroup
  | StringGroup

const INITIAL_CAPACITY = 256

export class FloatGroup {
  readonly kind = 'floats'
  readonly path: string
  readonly epoch: number
  count = 0
  steps: Float64Array
  values: Float64Array
  timestamps: Float64Array

  constructor(path: string, epoch: number) {
    this.path = path
    this.epoch = epoch
    this.steps = new Float64Array(INITIAL_CAPACITY)
    this.values = new Float64Array(INITIAL_CAPACITY)
    this.timestamps = new Float64Array(INITIAL_CAPACITY)
  }

  push(step: number, value: number, timestamp: number): void {
    const at = this.count
    if (at === this.values.length) this.#grow()
    this.steps[at] = step
    this.values[at] = value
    this.timestamps[at] = timestamp
    this.count = at + 1
  }

  #grow(): void {
    const capacity = this.values.length * 2
    const grow = (column: Float64Array) => {
      const next = new Float64Array(capacity)
      next.set(column)
      return next
    }
    this.steps = grow(this.steps)
    this.values = grow(this.values)
    this.timestamps = grow(this.timestamps)
  }
}

export class StringGroup {
  readonly kind = 'strings'
  readonly path: string
  readonly epoch: number
  readonly steps: number[] = []
  readonly values: string[] = []
  readonly timestamps: number[] = []

  constructor(path: string, epoch: number) {
    this.path = path
    this.epoch = epoch
  }

  get count(): number {
    return this.values.length
  }
}

/** Where one series gathers its points between commits, and what this process knows of it. */
export interface SeriesState {
  readonly path: string
  /** Highest step this process appended with an explicit step (-Infinity before the first). */
  lastStep: number
  group: FloatGroup | StringGroup | null
}

export interface BufferLimits {
  /** Points (or bytes / 16 for strings) held in memory before the caller commits them itself. */
  spillPoints: number
  /** Most points in one record. */
  maxGroupPoints: number
}

export const DEFAULT_BUFFER_LIMITS: BufferLimits = { spillPoints: 65_536, maxGroupPoints: 65_536 }

export class OperationBuffer {
  #entries: BufferEntry[] = []
  #epoch = 0
  #pending = 0
  readonly limits: BufferLimits

  constructor(limits: BufferLimits = DEFAULT_BUFFER_LIMITS) {
    this.limits = limits
  }

  /** Points and operations waiting; the writer commits when this reaches `spillPoints`. */
  get pending(): number {
    return this.#pending
  }

  get isEmpty(): boolean {
    return this.#entries.length === 0
  }

  /** Adds a barrier operation (any operation that is not a series append). */
  pushWire(json: string): void {
    this.#entries.push({ kind: 'wire', json })
    this.#epoch++
    this.#pending++
  }

  pushFiles(operation: FileOperation): void {
    this.#entries.push({ kind: 'files', operation })
    this.#epoch++
    this.#pending++
  }

  /** The open float group of a series, opened when there is none since the last barrier. */
  floatGroup(series: SeriesState): FloatGroup {
    const group = series.group
    if (
      group !== null &&
      group.epoch === this.#epoch &&
      group.kind === 'floats' &&
      group.count < this.limits.maxGroupPoints
    ) {
      return group
    }
    const opened = new FloatGroup(series.path, this.#epoch)
    this.#entries.push(opened)
    series.group = opened
    return opened
  }

  stringGroup(series: SeriesState): StringGroup {
    const group = series.group
    if (
      group !== null &&
      group.epoch === this.#epoch &&
      group.kind === 'strings' &&
      group.count < this.limits.maxGroupPoints
    ) {
      return group
    }
    const opened = new StringGroup(series.path, this.#epoch)
    this.#entries.push(opened)
    series.group = opened
    return opened
  }

  /** Counts `weight` pending units; true when the caller should commit now (spill). */
  added(weight: number): boolean {
    this.#pending += weight
    return this.#pending >= this.limits.spillPoints
  }

  /** Takes everything waiting, in order; groups opened so far are closed. */
  take(): BufferEntry[] {
    const entries = this.#entries
    this.#entries = []
    this.#epoch++
    this.#pending = 0
    return entries
  }
}

/** Encodes entries as log records numbered from `firstSeq`; returns the frames and last number. */
export function encodeEntries(
  entries: BufferEntry[],
  firstSeq: number,
): { frames: Buffer[]; lastSeq: number } {
  const frames: Buffer[] = []
  let seq = firstSeq - 1
  for (const entry of entries) {
    switch (entry.kind) {
      case 'wire':
        frames.push(encodeWireRecord(++seq, entry.json))
        break
      case 'files':
        frames.push(encodeFilesRecord(++seq, entry.operation))
        break
      case 'floats':
        if (entry.count === 0) break
        frames.push(
          encodeFloatsRecord(
            ++seq,
            entry.path,
            entry.steps,
            entry.values,
            entry.timestamps,
            entry.count,
          ),
        )
        break
      case 'strings': {
        if (entry.count === 0) break
        const hasSteps = entry.steps.some((step) => !Number.isNaN(step))
        frames.push(
          encodeWireRecord(
            ++seq,
            JSON.stringify({
              op: 'appendStrings',
              path: entry.path,
              values: entry.values,
              // NaN (not given) becomes null: "previous step + 1" on the server.
              ...(hasSteps ? { steps: entry.steps } : {}),
              timestamps: entry.timestamps,
            }),
          ),
        )
        break
      }
    }
  }
  return { frames, lastSeq: seq }
}
