import { isNereidError, NereidError, QuotaExceededError, type Operation } from '@nereid/core'
import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { PathSession } from '../queries/path-registry.js'
import { inTransaction, type StoreContext } from '../store-context.js'
import type { BatchResult, Ingest, OperationBatch, OperationResult } from '../store.js'
import {
  applyAssign,
  applyAssignArtifact,
  applyClearArtifact,
  applyGitRef,
  applyNotebookRef,
  applyStringSet,
} from './apply-atoms.js'
import { applyDeleteField, resolveCopy } from './apply-delete.js'
import { applyDeleteFiles, applyUploadFile, applyUploadFileSet } from './apply-files.js'
import { storeAppendInOneStatement, storeAppendOneByOne, type StoreAppend } from './append-store.js'
import { applyAppend, applyClearSeries, applyConfigFloatSeries } from './apply-series.js'
import { computeArtifactHash } from './artifact-hash.js'
import { putArtifact } from '../queries/artifacts.js'
import { BatchState } from './batch-state.js'
import { GroupCommitter, type ApplyInTransaction } from './group-commit.js'
import { TailBlockCache } from './tail-block-cache.js'
import {
  addBatchUsage,
  finishBatchAtOnce,
  finishObject,
  firstFieldOf,
  releaseSavepoint,
  rollbackToSavepoint,
  savepoint,
  lockBatchObject,
  selectBatchTarget,
  selectProjectBytes,
  upsertWriterPosition,
} from './hot-statements.js'

/**
 * The one operation applier (DESIGN §2). Every writer — native API, Neptune protocol, offline
 * import — reaches storage through `applyBatch`. Each operation runs inside a savepoint, so a
 * rejected operation leaves nothing behind while the rest of the batch is applied; the batch
 * commits in one transaction (on SQLite possibly shared with batches that arrived with it,
 * group-commit.ts) before the caller acknowledges it.
 */
export function createIngest(context: StoreContext): Ingest {
  const selectTarget: typeof selectBatchTarget = context.adapter.lockRowsForUpdate
    ? async (trx, writer, firstPath, objectId) => {
        await lockBatchObject(trx, objectId)
        return selectBatchTarget(trx, writer, firstPath, objectId)
      }
    : selectBatchTarget
  // Other processes may rewrite a series behind a cached tail where writers run in parallel.
  const tails = context.adapter.supportsConcurrentWriters ? null : new TailBlockCache()
  const finish = context.adapter.writableCtes ? finishAtOnce : finishOneByOne
  const storeAppend = context.adapter.writableCtes ? storeAppendInOneStatement : storeAppendOneByOne
  const applyWith =
    (savepoints: boolean): ApplyInTransaction =>
    (trx, paths, objectId, batch, now) =>
      applyBatchIn(
        trx,
        paths,
        { selectTarget, tails, storeAppend, finish, savepoints },
        objectId,
        batch,
        now,
      )
  const apply = applyWith(true)
  // With one writer (SQLite), batches that arrive together share a transaction: the commit is
  // the most expensive statement of a batch. Where writers run in parallel (PostgreSQL), each
  // batch keeps its own transaction and connection.
  if (!context.adapter.supportsConcurrentWriters) {
    const committer = new GroupCommitter(context, apply)
    return { applyBatch: (objectId, batch, { now }) => committer.submit(objectId, batch, now) }
  }
  // A batch in a transaction of its own is first applied without a savepoint per operation:
  // on PostgreSQL each costs two round trips, and nearly every batch is applied whole. When an
  // operation is rejected, the transaction is rolled back and the batch applied again with
  // savepoints, so the rest of it still lands.
  const optimistic = applyWith(false)
  return {
    async applyBatch(objectId, batch, { now }) {
      try {
        return await inTransaction(context, (trx, paths) =>
          optimistic(trx, paths, objectId, batch, now),
        )
      } catch (error) {
        if (!(error instanceof OperationRejected)) throw error
        return inTransaction(context, (trx, paths) => apply(trx, paths, objectId, batch, now))
      }
    },
  }
}

/** An operation failed in a batch applied without savepoints: apply it again with them. */
class OperationRejected extends Error {
  constructor(cause: NereidError) {
    super('an operation of the batch was rejected', { cause })
  }
}

async function applyBatchIn(
  trx: Transaction<Database>,
  paths: PathSession,
  {
    selectTarget,
    tails,
    storeAppend,
    finish,
    savepoints,
  }: {
    selectTarget: typeof selectBatchTarget
    tails: TailBlockCache | null
    storeAppend: StoreAppend
    finish: FinishBatch
    /** Without them, a rejected operation throws OperationRejected (see createIngest). */
    savepoints: boolean
  },
  objectId: string,
  batch: OperationBatch,
  now: number,
): Promise<BatchResult> {
  const writer = batch.writer
  const firstSeq = batch.seq
  const tracked = writer !== undefined && firstSeq !== undefined
  // The first operation's field and series come with the object when it appends to a series:
  // on PostgreSQL one round trip less for the batches training scripts send most.
  const first = batch.operations[0]
  const firstPath =
    first !== undefined &&
    (first.kind === 'appendFloats' ||
      first.kind === 'appendStrings' ||
      first.kind === 'appendFiles')
      ? first.path
      : null
  const object = (await selectTarget(trx, tracked ? writer : null, firstPath, objectId)).rows[0]
  if (!object) {
    throw new NereidError('OBJECT_NOT_FOUND', `object ${objectId} not found`, { objectId })
  }
  const project = {
    id: object.project_id,
    key: object.project_key,
    storageLimitBytes:
      object.project_storage_limit_bytes === null
        ? null
        : Number(object.project_storage_limit_bytes),
  }
  const limit = project.storageLimitBytes
  const used =
    limit === null ? 0 : Number((await selectProjectBytes(trx, project.id)).rows[0]?.total ?? 0)

  const lastSeq = tracked ? Number(object.writer_last_seq ?? 0) : null

  const state = new BatchState(trx, paths, object, project, now, { tails, storeAppend })
  if (firstPath !== null) state.prefetchField(firstPath, firstFieldOf(object))
  const results: OperationResult[] = []
  for (let i = 0; i < batch.operations.length; i++) {
    const operation = batch.operations[i]!
    // Read before any operation ran: only the first one may use it.
    if (i === 1) state.prefetchField(null)
    if (lastSeq !== null && firstSeq! + i <= lastSeq) {
      results.push({ ok: true, duplicate: true })
      continue
    }
    if (operation.kind === 'invalid') {
      results.push(failure(operation.error))
      continue
    }
    if (object.trashed_at !== null) {
      results.push(
        failure(
          new NereidError(
            'READ_ONLY_OBJECT',
            `${object.short_id} is in the trash; restore it before writing to it`,
          ),
        ),
      )
      continue
    }
    // Interned before the savepoint: a path row rolled back with a failed operation would
    // leave a cached id pointing at nothing.
    await paths.intern(project.id, operation.path)
    if (savepoints) await savepoint(trx)
    try {
      await dispatch(state, operation)
      if (
        limit !== null &&
        state.operationBytes > 0 &&
        used + state.batchBytes + state.operationBytes > limit
      ) {
        throw new QuotaExceededError(
          `project ${project.key} is over its storage limit of ${limit} bytes; "${operation.path}" was not written. Free space or raise the limit.`,
          { path: operation.path, limitBytes: limit, usedBytes: used + state.batchBytes },
        )
      }
      if (savepoints) await releaseSavepoint(trx)
      state.commitOperation()
      results.push({ ok: true })
    } catch (error) {
      if (!savepoints) throw isNereidError(error) ? new OperationRejected(error) : error
      await rollbackToSavepoint(trx)
      await releaseSavepoint(trx)
      state.abortOperation()
      if (!isNereidError(error)) throw error
      results.push(failure(error))
    }
  }

  const acknowledgedSeq =
    tracked && lastSeq !== null ? Math.max(lastSeq, firstSeq! + batch.operations.length - 1) : null
  await finish(trx, state, acknowledgedSeq === null ? null : { writer: writer!, acknowledgedSeq })
  return { results, acknowledgedSeq }
}

async function dispatch(state: BatchState, operation: Operation): Promise<void> {
  switch (operation.kind) {
    case 'assign':
      return applyAssign(state, operation)
    case 'appendFloats':
    case 'appendStrings':
    case 'appendFiles':
      return applyAppend(state, operation)
    case 'clearSeries':
      return applyClearSeries(state, operation.path, operation.type)
    case 'configFloatSeries':
      return applyConfigFloatSeries(state, operation)
    case 'addStrings':
    case 'removeStrings':
    case 'clearStringSet':
      return applyStringSet(state, operation)
    case 'uploadFile':
      return applyUploadFile(state, operation.path, operation.file)
    case 'uploadFileSet':
      return applyUploadFileSet(state, operation)
    case 'deleteFiles':
      return applyDeleteFiles(state, operation.path, operation.filePaths)
    case 'assignArtifact':
      return applyAssignArtifact(state, operation.path, operation.hash)
    case 'trackArtifact': {
      const hash = computeArtifactHash(operation.files)
      await putArtifact(state.trx, state.projectId, hash, operation.files, state.now)
      return applyAssignArtifact(state, operation.path, hash)
    }
    case 'clearArtifact':
      return applyClearArtifact(state, operation.path)
    case 'assignGitRef':
      return applyGitRef(state, operation)
    case 'assignNotebookRef':
      return applyNotebookRef(state, operation)
    case 'copyField':
      return dispatch(state, await resolveCopy(state, operation))
    case 'deleteField':
      return applyDeleteField(state, operation.path)
  }
}

/** Records what the batch changed (object totals, project usage) and where its writer stands. */
type FinishBatch = (
  trx: Transaction<Database>,
  state: BatchState,
  position: { writer: string; acknowledgedSeq: number } | null,
) => Promise<void>

const finishOneByOne: FinishBatch = async (trx, state, position) => {
  const { fieldCount, fields, series, files } = state.totals
  if (state.changed) {
    await finishObject(trx, state.now, fieldCount, fields, series, files, state.objectId)
    if (fields !== 0 || series !== 0 || files !== 0) {
      const id = state.projectId
      await addBatchUsage(trx, id, fields, id, series, id, files)
    }
  }
  if (position)
    await upsertWriterPosition(
      trx,
      state.objectId,
      position.writer,
      position.acknowledgedSeq,
      state.now,
    )
}

const finishAtOnce: FinishBatch = async (trx, state, position) => {
  const { fieldCount, fields, series, files } = state.totals
  const usageChanged = state.changed && (fields !== 0 || series !== 0 || files !== 0)
  if (!state.changed && !position) return
  await finishBatchAtOnce(
    trx,
    state.now,
    fieldCount,
    fields,
    series,
    files,
    state.objectId,
    state.changed ? 1 : 0,
    state.projectId,
    fields,
    series,
    files,
    usageChanged ? 1 : 0,
    state.objectId,
    position?.writer ?? null,
    position?.acknowledgedSeq ?? null,
    state.now,
    position ? 1 : 0,
  )
}

function failure(error: NereidError): OperationResult {
  return { ok: false, error: error.toJSON() }
}
