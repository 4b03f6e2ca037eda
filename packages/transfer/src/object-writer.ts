import { createHash } from 'node:crypto'
import type { OperationWire } from '@nereid/core'
import type { NereidApi, ProjectWire } from './nereid-api.js'
import type { Progress } from './progress.js'

/** Bytes to upload before an operation that references them by hash. */
export interface PendingBlob {
  hash: string
  bytes: Uint8Array
}

/** What one operation adds to the counts when the server applies it. */
export interface OperationCounts {
  fields?: number
  points?: number
  files?: number
}

const MAX_OPERATIONS = 1000
const MAX_POINTS = 500_000
const MAX_BLOB_BYTES = 32 * 1024 * 1024

/** sha256 (hex) of bytes: the id a blob gets on the server. */
export function blobOf(bytes: Uint8Array): PendingBlob {
  return { hash: createHash('sha256').update(bytes).digest('hex'), bytes }
}

/**
 * Sends one object's operations in batches as one writer, numbering them from 1 in the order
 * they are added. An importer adds the same operations in the same order on every run, so the
 * server applies each once (`writer` + `seq`), and operations it acknowledged in an earlier,
 * interrupted run are not even sent again (`lastSeq`), nor are their files uploaded.
 */
export class ObjectWriter {
  readonly #api: NereidApi
  readonly #project: ProjectWire
  readonly #objectId: string
  readonly #label: string
  readonly #writer: string
  readonly #lastSeq: number
  readonly #progress: Progress
  #seq = 0
  #applied = 0
  #batch: { wire: OperationWire; counts: OperationCounts; blobs: PendingBlob[] }[] = []
  #batchPoints = 0
  #batchBlobBytes = 0
  #batchFirstSeq = 1
  /** The batch the server is applying while the next one is read and built. */
  #inFlight: Promise<void> = Promise.resolve()

  constructor(options: {
    api: NereidApi
    project: ProjectWire
    objectId: string
    /** How the object is named in skip reports, e.g. `VIS-12 (acme/vision VIS-12)`. */
    label: string
    writer: string
    lastSeq: number
    progress: Progress
  }) {
    this.#api = options.api
    this.#project = options.project
    this.#objectId = options.objectId
    this.#label = options.label
    this.#writer = options.writer
    this.#lastSeq = options.lastSeq
    this.#progress = options.progress
  }

  /** Whether the next operation added was applied in an earlier run (its inputs need no reading). */
  get nextIsDone(): boolean {
    return this.#seq + 1 <= this.#lastSeq
  }

  async add(
    wire: OperationWire,
    counts: OperationCounts = {},
    blobs: PendingBlob[] = [],
  ): Promise<void> {
    this.#seq++
    if (this.#seq <= this.#lastSeq) return
    if (this.#batch.length === 0) this.#batchFirstSeq = this.#seq
    this.#batch.push({ wire, counts, blobs })
    this.#batchPoints += counts.points ?? 0
    for (const blob of blobs) this.#batchBlobBytes += blob.bytes.byteLength
    if (
      this.#batch.length >= MAX_OPERATIONS ||
      this.#batchPoints >= MAX_POINTS ||
      this.#batchBlobBytes >= MAX_BLOB_BYTES
    )
      await this.#send()
  }

  /** Operations added so far, including those applied in an earlier run. */
  get added(): number {
    return this.#seq
  }

  /** Operations the server applied for the first time (not duplicates of an earlier run). */
  get applied(): number {
    return this.#applied
  }

  /** Counts an operation that the source could not express, keeping later seq numbers stable. */
  skip(path: string, reason: string): void {
    this.#progress.skip(`${this.#label} ${path}`, reason)
  }

  /** Sends what is batched and waits until the server has applied everything sent. */
  async flush(): Promise<void> {
    await this.#send()
    await this.#inFlight
  }

  /**
   * Hands the batch to the server once the previous one is applied, without waiting for this
   * one: the importer reads and builds the next batch meanwhile. Batches of one writer still
   * reach the server one after another, in sequence order.
   */
  async #send(): Promise<void> {
    await this.#inFlight
    if (this.#batch.length === 0) return
    const batch = this.#batch
    const firstSeq = this.#batchFirstSeq
    this.#batch = []
    this.#batchPoints = 0
    this.#batchBlobBytes = 0
    this.#inFlight = this.#apply(batch, firstSeq)
    // Reported by the next #send or flush; this keeps it from counting as unhandled meanwhile.
    this.#inFlight.catch(() => {})
  }

  async #apply(
    batch: { wire: OperationWire; counts: OperationCounts; blobs: PendingBlob[] }[],
    firstSeq: number,
  ): Promise<void> {
    const uploaded = new Set<string>()
    for (const { blobs } of batch) {
      for (const blob of blobs) {
        if (uploaded.has(blob.hash)) continue
        await this.#api.uploadBlob(this.#project, blob.bytes)
        uploaded.add(blob.hash)
      }
    }
    const answer = await this.#api.applyOperations(this.#project, this.#objectId, {
      writer: this.#writer,
      seq: firstSeq,
      operations: batch.map((entry) => entry.wire),
    })
    answer.results.forEach((result, index) => {
      const entry = batch[index]!
      if (!result.ok) {
        this.#progress.skip(
          `${this.#label} ${entry.wire.path}`,
          `${result.error.code}: ${result.error.message}`,
        )
        return
      }
      if (result.duplicate) return
      this.#applied++
      this.#progress.add({
        fields: entry.counts.fields ?? 0,
        points: entry.counts.points ?? 0,
        files: entry.counts.files ?? 0,
      })
    })
  }
}
