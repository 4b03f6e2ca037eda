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
  encodeFloatBlock,
  encodeStringBlock,
  summarize,
} from '../series/index.js'
import type { BatchState } from './batch-state.js'
import { ensureField, writeFieldRow, type FieldHandle } from './field-access.js'

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
  const handle = await ensureField(state, operation.path, type)
  const series = await ensureSeries(state, handle, type)
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

  await writeBlocks(state, series, type, steps, timestamps, values)

  const lastIndex = count - 1
  const update: Partial<SeriesRow> = {
    count: Number(series.count) + count,
    first_step: series.first_step ?? steps[0]!,
    last_step: steps[lastIndex]!,
    last_ts: timestamps[lastIndex]!,
  }
  let fieldValues: { num?: number | null; str?: string | null; data?: string | null }
  if (values instanceof Float64Array) {
    const summary = summarize(values)
    const finite = Number(series.finite_count) + summary.finiteCount
    update.finite_count = finite
    update.sum = Number(series.sum) + summary.sum
    update.sum_sq = Number(series.sum_sq) + summary.sumSq
    update.min =
      summary.finiteCount === 0
        ? series.min
        : series.min === null
          ? summary.min
          : Math.min(series.min, summary.min)
    update.max =
      summary.finiteCount === 0
        ? series.max
        : series.max === null
          ? summary.max
          : Math.max(series.max, summary.max)
    const last = values[lastIndex]!
    update.last_value = String(last)
    fieldValues = { num: Number.isFinite(last) ? last : null }
  } else if (typeof values[0] === 'string') {
    const last = (values as string[])[lastIndex]!
    update.last_value = last
    fieldValues = { str: last.slice(0, 1000) }
  } else {
    const last = (values as FileInfo[])[lastIndex]!
    update.last_value = JSON.stringify(last)
    fieldValues = { data: update.last_value }
  }
  await state.trx.updateTable('series').set(update).where('id', '=', series.id).execute()
  await writeFieldRow(state, handle, {
    ...fieldValues,
    bytes: Number(handle.row.bytes) + pointBytes,
  })
}

export async function applyClearSeries(
  state: BatchState,
  path: string,
  type: SeriesType,
): Promise<void> {
  const handle = await ensureField(state, path, type)
  const series = await ensureSeries(state, handle, type)
  if (Number(series.count) === 0) return
  if (type === 'fileSeries')
    await releaseBlobs(state.trx, await fileSeriesHashes(state.trx, Number(series.id)))
  await deleteSeriesData(state.trx, Number(series.id))
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
  const handle = await ensureField(state, operation.path, 'floatSeries')
  const series = await ensureSeries(state, handle, 'floatSeries')
  const config = JSON.stringify({ min: operation.min, max: operation.max, unit: operation.unit })
  await state.trx.updateTable('series').set({ config }).where('id', '=', series.id).execute()
}

async function ensureSeries(
  state: BatchState,
  handle: FieldHandle,
  type: SeriesType,
): Promise<SeriesRow> {
  const existing = await state.trx
    .selectFrom('series')
    .selectAll()
    .where('object_id', '=', state.objectId)
    .where('path_id', '=', handle.pathId)
    .executeTakeFirst()
  if (existing) return existing
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
function resolveSteps(path: string, steps: Float64Array, lastStep: number | null): Float64Array {
  let previous = lastStep
  for (let i = 0; i < steps.length; i++) {
    let step = steps[i]!
    if (Number.isNaN(step)) {
      step = previous === null ? 0 : Math.floor(previous) + 1
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
 * (small appends coalesce), otherwise into new blocks of at most BLOCK_CAPACITY points.
 */
async function writeBlocks(
  state: BatchState,
  series: SeriesRow,
  type: SeriesType,
  steps: Float64Array,
  timestamps: Float64Array,
  values: Float64Array | string[] | FileInfo[],
): Promise<void> {
  const seriesId = Number(series.id)
  let nextBlock = Number(series.next_block)
  let tailCount = Number(series.tail_count)
  const count = steps.length
  let start = 0

  if (nextBlock > 0 && tailCount > 0 && tailCount + count <= BLOCK_CAPACITY) {
    const tailNo = nextBlock - 1
    const tail = await state.trx
      .selectFrom('series_blocks')
      .select('payload')
      .where('series_id', '=', seriesId)
      .where('block_no', '=', tailNo)
      .executeTakeFirstOrThrow()
    const decoded = decodeBlock(tail.payload)
    const merged = mergeColumns(decoded, steps, timestamps, values)
    await writeBlock(state, seriesId, tailNo, type, merged, true)
    tailCount = merged.steps.length
    start = count
  }
  while (start < count) {
    const end = Math.min(count, start + BLOCK_CAPACITY)
    const columns = {
      steps: steps.subarray(start, end),
      timestamps: timestamps.subarray(start, end),
      values: values.slice(start, end) as Float64Array | string[] | FileInfo[],
    }
    await writeBlock(state, seriesId, nextBlock, type, columns, false)
    nextBlock++
    tailCount = end - start
    start = end
  }
  await state.trx
    .updateTable('series')
    .set({ next_block: nextBlock, tail_count: tailCount })
    .where('id', '=', seriesId)
    .execute()
}

interface Columns {
  steps: Float64Array
  timestamps: Float64Array
  values: Float64Array | string[] | FileInfo[]
}

async function writeBlock(
  state: BatchState,
  seriesId: number,
  blockNo: number,
  type: SeriesType,
  columns: Columns,
  replace: boolean,
) {
  const payload = encode(type, columns)
  const stats = computeBlockStats(
    columns.values instanceof Float64Array
      ? { steps: columns.steps, timestamps: columns.timestamps, values: columns.values }
      : { steps: columns.steps, timestamps: columns.timestamps },
  )
  const statsRow = {
    count: stats.count,
    first_step: stats.firstStep,
    last_step: stats.lastStep,
    min_ts: stats.minTs,
    max_ts: stats.maxTs,
    stats: stats.stats,
  }
  if (replace) {
    await state.trx
      .updateTable('series_blocks')
      .set({ payload })
      .where('series_id', '=', seriesId)
      .where('block_no', '=', blockNo)
      .execute()
    await state.trx
      .updateTable('series_block_stats')
      .set(statsRow)
      .where('series_id', '=', seriesId)
      .where('block_no', '=', blockNo)
      .execute()
  } else {
    await state.trx
      .insertInto('series_blocks')
      .values({ series_id: seriesId, block_no: blockNo, payload })
      .execute()
    await state.trx
      .insertInto('series_block_stats')
      .values({ series_id: seriesId, block_no: blockNo, ...statsRow })
      .execute()
  }
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
