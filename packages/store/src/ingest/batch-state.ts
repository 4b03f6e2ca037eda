import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { PathSession } from '../queries/path-registry.js'
import type { StoreAppend } from './append-store.js'
import type { BatchObject, FieldWithSeries } from './hot-statements.js'
import type { TailBlockCache } from './tail-block-cache.js'

export type ByteKind = 'fields' | 'series' | 'files'

interface Deltas {
  fieldCount: number
  fields: number
  series: number
  files: number
}

/** What the applier needs of the object's project. */
export interface BatchProject {
  id: string
  key: string
  storageLimitBytes: number | null
}

const zero = (): Deltas => ({ fieldCount: 0, fields: 0, series: 0, files: 0 })

/**
 * Everything one batch's operations share inside its transaction. Counters change per
 * operation and are folded into the batch only when the operation succeeds, so a rejected
 * operation leaves no trace, not even in the object's size.
 */
export class BatchState {
  readonly trx: Transaction<Database>
  readonly paths: PathSession
  readonly object: BatchObject
  readonly project: BatchProject
  readonly now: number
  /** Decoded tail blocks of series, where this store keeps them (one writer process). */
  readonly tails: TailBlockCache | null
  /** How this store writes what ends an append (append-store.ts). */
  readonly storeAppend: StoreAppend
  #prefetched: { path: string; row: FieldWithSeries | undefined } | null = null
  #operation: Deltas = zero()
  #batch: Deltas = zero()
  #changed = false

  constructor(
    trx: Transaction<Database>,
    paths: PathSession,
    object: BatchObject,
    project: BatchProject,
    now: number,
    { tails, storeAppend }: { tails: TailBlockCache | null; storeAppend: StoreAppend },
  ) {
    this.trx = trx
    this.paths = paths
    this.object = object
    this.project = project
    this.now = now
    this.tails = tails
    this.storeAppend = storeAppend
  }

  /**
   * The field and series at `path` as the batch's first read found them (undefined: no field),
   * for the first operation to use instead of reading them again; null forgets it.
   */
  prefetchField(path: string | null, row?: FieldWithSeries): void {
    this.#prefetched = path === null ? null : { path, row }
  }

  /** The prefetched field and series of `path`, once; null when there is none to use. */
  takePrefetchedField(path: string): { row: FieldWithSeries | undefined } | null {
    const prefetched = this.#prefetched
    this.#prefetched = null
    return prefetched !== null && prefetched.path === path ? prefetched : null
  }

  get objectId(): string {
    return this.object.id
  }

  get projectId(): string {
    return this.project.id
  }

  /** Real field rows of the object, counting this batch's changes so far. */
  get fieldCount(): number {
    return Number(this.object.field_count) + this.#batch.fieldCount + this.#operation.fieldCount
  }

  get changed(): boolean {
    return this.#changed
  }

  get totals(): Readonly<Deltas> {
    return this.#batch
  }

  /** Bytes the current operation adds (negative when it frees space). */
  get operationBytes(): number {
    return this.#operation.fields + this.#operation.series + this.#operation.files
  }

  get batchBytes(): number {
    return this.#batch.fields + this.#batch.series + this.#batch.files
  }

  addBytes(kind: ByteKind, bytes: number): void {
    this.#operation[kind] += bytes
  }

  addFieldCount(delta: number): void {
    this.#operation.fieldCount += delta
  }

  commitOperation(): void {
    this.#batch.fieldCount += this.#operation.fieldCount
    this.#batch.fields += this.#operation.fields
    this.#batch.series += this.#operation.series
    this.#batch.files += this.#operation.files
    this.#operation = zero()
    this.#changed = true
  }

  abortOperation(): void {
    this.#operation = zero()
  }
}
