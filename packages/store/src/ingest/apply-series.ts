import {
  NereidError,
  ValidationError,
  type FileInfo,
  type Operation,
  type SeriesType,
} from '@nereid/core'
import type { Selectable } from 'kysely'
import type { SeriesTable } from '../database.js'
import { deleteSeriesData, fileSeriesHashes } from '../queries/object-deletion.js'
import { releaseBlobs, retainBlob } from '../queries/blob-refs.js'
import {
  BLOCK_CAPACITY,
  computeBlockStats,
  decodeBlock,
  encodeFileBlock,
  type DecodedBlock,
  encodeFloatBlock,
  encodeStringBlock,
  summarize,
} from '../series/index.js'
import { insertNewBlock, type AppendWrite } from './append-store.js'
import type { BatchState } from './batch-state.js'
import {
  createField,
  existingField,
  nextFieldRow,
  settleFieldRow,
  writeFieldRow,
  type FieldHandle,
} from './field-access.js'
import { selectBlock, selectFieldWithSeries } from './hot-statements.js'

type Append = Extract<Operation, { kind: 'appendFloats' | 'appendStrings' | 'appendFiles' }>
type SeriesRow = Selectable<SeriesTable>

/** Bytes a point costs in usage accounting: step, timestamp and value. */
const FLOAT_POINT_BYTES = 24
const TEXT_POINT_OVERHEAD = 16

export async function applyAppend(state: BatchState, operation: Append): Promise<void> {
  const type: SeriesType =
    operation.kind === 'appendFloats'
      ? 'floatSeries'
      : operation.kind === 'appendStrings'
        ? 'stringSeries'
        : 'fileSeries'
  const { handle, series } = await ensureFieldWithSeries(state, operation.path, type)
  const count = operation.values.length
  if (count === 0) return

  const steps = resolveSteps(operation.path, operation.steps, series.last_step)
  const timestamps = operation.timestamps
  for (let i = 0; i < count; i++) if (Number.isNaN(timestamps[i])) timestamps[i] = state.now

  let values: Float64Array | string[] | FileInfo[]
  let pointBytes: number
  let fileBytes = 0
  if (operation.kind === 'appendFloats') {
    values = operation.values
    pointBytes = FLOAT_POINT_BYTES * count
  } else if (operation.kind === 'appendStrings') {
    values = operation.values
    pointBytes = TEXT_POINT_OVERHEAD * count
    for (const value of operation.values) pointBytes += Buffer.byteLength(value)
  } else {
    const files: FileInfo[] = []
    for (const ref of operation.values) {
      const size = await retainBlob(state.trx, ref.hash)
      if (size === null) {
        throw new NereidError(
          'BLOB_NOT_FOUND',
          `blob ${ref.hash} of "${operation.path}" was never uploaded; upload it first`,
          {
            path: operation.path,
            hash: ref.hash,
          },
        )
      }
      fileBytes += size
      files.push({
        hash: ref.hash,
        size,
        name: ref.name ?? ref.hash.slice(0, 12),
        ext: ref.ext ?? '',
        contentType: ref.contentType ?? 'application/octet-stream',
      })
    }
    values = files
    pointBytes = TEXT_POINT_OVERHEAD * count + fileBytes
  }

  const position = await writeBlocks(state, series, type, steps, timestamps, values)

  const lastIndex = count - 1
  let finiteCount = Number(series.finite_count)
  let sum = Number(series.sum)
  let sumSq = Number(series.sum_sq)
  let min = series.min
  let max = series.max
  let lastValue: string
  let fieldValues: { num?: number | null; str?: string | null; data?: string | null }
  if (values instanceof Float64Array) {
    const summary = summarize(values)
    if (summary.finiteCount > 0) {
      finiteCount += summary.finiteCount
      sum += summary.sum
      sumSq += summary.sumSq
      min = min === null ? summary.min : Math.min(min, summary.min)
      max = max === null ? summary.max : Math.max(max, summary.max)
    }
    const last = values[lastIndex]!
    // String(NaN) and String(±Infinity) read back exactly through Number().
    lastValue = String(last)
    fieldValues = { num: Number.isFinite(last) ? last : null }
  } else if (typeof values[0] === 'string') {
    lastValue = (values as string[])[lastIndex]!
    fieldValues = { str: lastValue.slice(0, 1000) }
  } else {
    lastValue = JSON.stringify((values as FileInfo[])[lastIndex]!)
    fieldValues = { data: lastValue }
  }
  const field = nextFieldRow(handle, {
    ...fieldValues,
    bytes: Number(handle.row.bytes) + pointBytes,
  })
  await state.storeAppend(state.trx, {
    seriesId: Number(series.id),
    block: position.lastBlock,
    series: {
      count: Number(series.count) + count,
      finiteCount,
      firstStep: series.first_step ?? steps[0]!,
      lastStep: steps[lastIndex]!,
      lastTs: timestamps[lastIndex]!,
      min,
      max,
      sum,
      sumSq,
      lastValue,
      nextBlock: position.nextBlock,
      tailCount: position.tailCount,
    },
    field,
  })
  // Kept only once the series row describes it (see TailBlockCache).
  state.tails?.remember(Number(series.id), position.nextBlock - 1, position.tail)
  settleFieldRow(state, handle, field)
}

export async function applyClearSeries(
  state: BatchState,
  path: string,
  type: SeriesType,
): Promise<void> {
  const { handle, series } = await ensureFieldWithSeries(state, path, type)
  if (Number(series.count) === 0) return
  if (type === 'fileSeries')
    await releaseBlobs(state.trx, await fileSeriesHashes(state.trx, Number(series.id)))
  await deleteSeriesData(state.trx, Number(series.id))
  state.tails?.forget(Number(series.id))
  await state.trx
    .updateTable('series')
    .set({
      count: 0,
      finite_count: 0,
      first_step: null,
      last_step: null,
      last_ts: null,
      min: null,
      max: null,
      sum: 0,
      sum_sq: 0,
      last_value: null,
      tail_count: 0,
    })
    .where('id', '=', series.id)
    .execute()
  await writeFieldRow(state, handle, { num: null, str: null, data: null, bytes: 0 })
}

export async function applyConfigFloatSeries(
  state: BatchState,
  operation: Extract<Operation, { kind: 'configFloatSeries' }>,
): Promise<void> {
  const { series } = await ensureFieldWithSeries(state, operation.path, 'floatSeries')
  const config = JSON.stringify({ min: operation.min, max: operation.max, unit: operation.unit })
  await state.trx.updateTable('series').set({ config }).where('id', '=', series.id).execute()
}

/**
 * The series field at `path` and its series row, created when missing. An existing field and
 * its series are read in one statement (for a batch's first operation, with the batch's
 * target: BatchState.takePrefetchedField): on PostgreSQL one round trip per append less.
 */
async function ensureFieldWithSeries(
  state: BatchState,
  path: string,
  type: SeriesType,
): Promise<{ handle: FieldHandle; series: SeriesRow }> {
  const pathId = await state.paths.intern(state.projectId, path)
  const prefetched = state.takePrefetchedField(path)
  const found =
    prefetched !== null
      ? prefetched.row
      : (await selectFieldWithSeries(state.trx, state.objectId, pathId)).rows[0]
  if (!found) {
    const handle = await createField(state, path, pathId, type)
    return { handle, series: await createSeries(state, handle, type) }
  }
  const { field_type, num, str, data, bytes, ...series } = found
  const handle = existingField(
    path,
    pathId,
    { object_id: state.objectId, path_id: pathId, type: field_type, num, str, data, bytes },
    type,
  )
  if (series.id === null) return { handle, series: await createSeries(state, handle, type) }
  return {
    handle,
    series: {
      ...series,
      id: series.id,
      type: series.type ?? type,
      object_id: state.objectId,
      path_id: pathId,
    },
  }
}

/** The empty series row of a field that has none yet (ensureFieldWithSeries found it missing). */
async function createSeries(
  state: BatchState,
  handle: FieldHandle,
  type: SeriesType,
): Promise<SeriesRow> {
  await state.trx
    .insertInto('series')
    .values({
      object_id: state.objectId,
      path_id: handle.pathId,
      type,
      count: 0,
      finite_count: 0,
      first_step: null,
      last_step: null,
      last_ts: null,
      min: null,
      max: null,
      sum: 0,
      sum_sq: 0,
      last_value: null,
      config: null,
      next_block: 0,
      tail_count: 0,
    } as never)
    .execute()
  return state.trx
    .selectFrom('series')
    .selectAll()
    .where('object_id', '=', state.objectId)
    .where('path_id', '=', handle.pathId)
    .executeTakeFirstOrThrow()
}

/**
 * Fills in missing steps (previous + 1, starting at 0) and checks that steps strictly
 * increase, from the last stored step through the whole append. One bad step rejects the
 * whole operation: a series is never half-appended.
 */
function resolveSteps(path: string, given: Float64Array, lastStep: number | null): Float64Array {
  // Filled in on a copy: the operation stays as sent, so a transaction run again after losing
  // a race (store-context.ts) numbers the points from the series as it is then.
  let steps = given
  let previous = lastStep
  for (let i = 0; i < steps.length; i++) {
    let step = steps[i]!
    if (Number.isNaN(step)) {
      step = previous === null ? 0 : Math.floor(previous) + 1
      if (steps === given) steps = given.slice()
      steps[i] = step
    } else if (previous !== null && step <= previous) {
      throw new ValidationError(
        `steps of "${path}" must strictly increase: step ${step} at index ${i} is not greater than ${previous}`,
        { path, index: i, step, previousStep: previous },
        'STEP_NOT_INCREASING',
      )
    }
    previous = step
  }
  return steps
}

/**
 * Appends points to the block store: into the tail block while the whole append fits there
 * (small appends coalesce), otherwise into new blocks of at most BLOCK_CAPACITY points. Writes
 * every block but the last, which it returns with the new position and the tail block as it
 * will be stored: the caller stores it with the series row (StoreAppend).
 */
async function writeBlocks(
  state: BatchState,
  series: SeriesRow,
  type: SeriesType,
  steps: Float64Array,
  timestamps: Float64Array,
  values: Float64Array | string[] | FileInfo[],
): Promise<{
  nextBlock: number
  tailCount: number
  tail: DecodedBlock
  lastBlock: AppendWrite['block']
}> {
  const seriesId = Number(series.id)
  let nextBlock = Number(series.next_block)
  let tailCount = Number(series.tail_count)
  const count = steps.length
  let start = 0
  let tail: Columns | undefined
  let lastBlock: AppendWrite['block'] | undefined

  if (nextBlock > 0 && tailCount > 0 && tailCount + count <= BLOCK_CAPACITY) {
    const tailNo = nextBlock - 1
    const stored =
      state.tails?.get(seriesId, {
        blockNo: tailNo,
        count: tailCount,
        lastStep: series.last_step,
        lastTs: series.last_ts,
      }) ?? (await readTail(state, seriesId, tailNo))
    tail = mergeColumns(stored, steps, timestamps, values)
    lastBlock = packBlock(tailNo, type, tail, true)
    tailCount = tail.steps.length
    start = count
  }
  while (start < count) {
    if (lastBlock !== undefined) await insertNewBlock(state.trx, seriesId, lastBlock)
    const end = Math.min(count, start + BLOCK_CAPACITY)
    // The last block is copied: kept as the cached tail, it must not pin the whole operation.
    const cut = end === count ? 'slice' : 'subarray'
    tail = {
      steps: steps[cut](start, end),
      timestamps: timestamps[cut](start, end),
      values: values.slice(start, end) as Float64Array | string[] | FileInfo[],
    }
    lastBlock = packBlock(nextBlock, type, tail, false)
    nextBlock++
    tailCount = end - start
    start = end
  }
  return { nextBlock, tailCount, tail: { type, ...tail! } as DecodedBlock, lastBlock: lastBlock! }
}

async function readTail(state: BatchState, seriesId: number, blockNo: number) {
  const row = (await selectBlock(state.trx, seriesId, blockNo)).rows[0]
  if (!row) throw new Error(`series ${seriesId} lacks its tail block ${blockNo}`)
  return decodeBlock(row.payload)
}

interface Columns {
  steps: Float64Array
  timestamps: Float64Array
  values: Float64Array | string[] | FileInfo[]
}

function packBlock(
  no: number,
  type: SeriesType,
  columns: Columns,
  replace: boolean,
): AppendWrite['block'] {
  const payload = encode(type, columns)
  const stats = computeBlockStats(
    columns.values instanceof Float64Array
      ? { steps: columns.steps, timestamps: columns.timestamps, values: columns.values }
      : { steps: columns.steps, timestamps: columns.timestamps },
  )
  return { no, payload, stats, replace }
}

function encode(type: SeriesType, columns: Columns): Uint8Array {
  switch (type) {
    case 'floatSeries':
      return encodeFloatBlock(
        columns as { steps: Float64Array; timestamps: Float64Array; values: Float64Array },
      )
    case 'stringSeries':
      return encodeStringBlock(
        columns as { steps: Float64Array; timestamps: Float64Array; values: string[] },
      )
    case 'fileSeries':
      return encodeFileBlock(
        columns as { steps: Float64Array; timestamps: Float64Array; values: FileInfo[] },
      )
  }
}

function mergeColumns(
  tail: ReturnType<typeof decodeBlock>,
  steps: Float64Array,
  timestamps: Float64Array,
  values: Float64Array | string[] | FileInfo[],
): Columns {
  const n = tail.steps.length + steps.length
  const mergedSteps = new Float64Array(n)
  mergedSteps.set(tail.steps)
  mergedSteps.set(steps, tail.steps.length)
  const mergedTimestamps = new Float64Array(n)
  mergedTimestamps.set(tail.timestamps)
  mergedTimestamps.set(timestamps, tail.steps.length)
  let mergedValues: Float64Array | string[] | FileInfo[]
  if (tail.type === 'floatSeries') {
    const out = new Float64Array(n)
    out.set(tail.values)
    out.set(values as Float64Array, tail.steps.length)
    mergedValues = out
  } else if (tail.type === 'stringSeries') {
    mergedValues = [...tail.values, ...(values as string[])]
  } else {
    mergedValues = [...tail.values, ...(values as FileInfo[])]
  }
  return { steps: mergedSteps, timestamps: mergedTimestamps, values: mergedValues }
}
