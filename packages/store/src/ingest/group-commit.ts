import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { PathSession } from '../queries/path-registry.js'
import { inTransaction, type StoreContext } from '../store-context.js'
import type { BatchResult, OperationBatch } from '../store.js'

/** Applies one batch inside a transaction it does not own. */
export type ApplyInTransaction = (
  trx: Transaction<Database>,
  paths: PathSession,
  objectId: string,
  batch: OperationBatch,
  now: number,
) => Promise<BatchResult>

interface PendingBatch {
  objectId: string
  batch: OperationBatch
  now: number
  resolve: (result: BatchResult) => void
  reject: (error: unknown) => void
}

/**
 * A group stays short, so reads queued behind it (they share the one connection) wait for a
 * few milliseconds, not for everything that arrived under load.
 */
const MAX_GROUP_BATCHES = 32
const MAX_GROUP_POINTS = 64_000

/**
 * Group commit for a database with one writer. Committing is the most expensive step of a
 * batch (WAL frames of every page it touched, several shared by all batches: the project's
 * usage, the objects table), so batches that arrive while another transaction runs are applied
 * together in the next transaction, in arrival order, and all are answered after its commit:
 * each answer still means "durable". Nothing waits for company: a batch that finds the writer
 * idle starts in the next turn of the event loop.
 *
 * A batch that fails as a whole (its object is gone, a database error) rolls back the group;
 * every batch of that group then runs again in a transaction of its own, so the error reaches
 * only its own caller and the others are applied as if they had come alone.
 */
export class GroupCommitter {
  readonly #context: StoreContext
  readonly #apply: ApplyInTransaction
  readonly #queue: PendingBatch[] = []
  #draining = false

  constructor(context: StoreContext, apply: ApplyInTransaction) {
    this.#context = context
    this.#apply = apply
  }

  submit(objectId: string, batch: OperationBatch, now: number): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      this.#queue.push({ objectId, batch, now, resolve, reject })
      if (!this.#draining) {
        this.#draining = true
        setImmediate(() => void this.#drain())
      }
    })
  }

  async #drain(): Promise<void> {
    try {
      for (let group = this.#takeGroup(); group.length > 0; group = this.#takeGroup()) {
        await this.#commitGroup(group)
        // One turn of the event loop, so batches whose requests arrived meanwhile join the
        // next group instead of each waiting for a commit of its own.
        await new Promise((resolve) => setImmediate(resolve))
      }
    } finally {
      this.#draining = false
    }
  }

  #takeGroup(): PendingBatch[] {
    let points = 0
    let count = 0
    while (count < this.#queue.length && count < MAX_GROUP_BATCHES) {
      points += weightOf(this.#queue[count]!.batch)
      count++
      if (points >= MAX_GROUP_POINTS) break
    }
    return this.#queue.splice(0, count)
  }

  async #commitGroup(group: PendingBatch[]): Promise<void> {
    if (group.length === 1) return this.#commitAlone(group[0]!)
    let results: BatchResult[]
    try {
      results = await inTransaction(this.#context, async (trx, paths) => {
        const out: BatchResult[] = []
        for (const pending of group)
          out.push(await this.#apply(trx, paths, pending.objectId, pending.batch, pending.now))
        return out
      })
    } catch {
      // Nothing of the group was written; the batch that failed fails again on its own.
      for (const pending of group) await this.#commitAlone(pending)
      return
    }
    for (let i = 0; i < group.length; i++) group[i]!.resolve(results[i]!)
  }

  async #commitAlone(pending: PendingBatch): Promise<void> {
    try {
      pending.resolve(
        await inTransaction(this.#context, (trx, paths) =>
          this.#apply(trx, paths, pending.objectId, pending.batch, pending.now),
        ),
      )
    } catch (error) {
      pending.reject(error)
    }
  }
}

/** How much work a batch brings: its points, or one per operation that is not an append. */
function weightOf(batch: OperationBatch): number {
  let weight = 0
  for (const operation of batch.operations)
    weight +=
      operation.kind === 'appendFloats' ||
      operation.kind === 'appendStrings' ||
      operation.kind === 'appendFiles'
        ? Math.max(1, operation.values.length)
        : 1
  return weight
}
