import { sql } from 'kysely'
import type { FieldsTable, ObjectsTable, SeriesTable } from '../database.js'
import { preparedStatement } from '../queries/prepared-statement.js'

/**
 * The statements every ingested batch runs, as prepared statements (see
 * prepared-statement.ts for why). Plain SQL that SQLite and PostgreSQL both accept.
 */

/** What the applier needs of the object a batch writes to. */
export type BatchObject = Pick<
  ObjectsTable,
  'id' | 'project_id' | 'kind' | 'short_id' | 'custom_run_id' | 'trashed_at' | 'field_count'
>

export interface BatchTarget extends BatchObject, FirstFieldColumns {
  project_key: string
  project_storage_limit_bytes: number | null
  /** The writer's last applied sequence number; null when it has written nothing yet. */
  writer_last_seq: number | null
}

/**
 * The object a batch writes to, its project's key and limit, where the batch's writer stands
 * (`writer` null when the batch names none), and the field and series at `firstPath` (null:
 * none), which the batch's first operation writes: one round trip.
 */
export const selectBatchTarget = preparedStatement(
  (writer: string | null, firstPath: string | null, objectId: string) =>
    sql<BatchTarget>`select o.id, o.project_id, o.kind, o.short_id, o.custom_run_id, o.trashed_at, o.field_count,
      p.key as project_key, p.storage_limit_bytes as project_storage_limit_bytes,
      w.last_seq as writer_last_seq, f.type as first_field_type, f.num as first_num,
      f.str as first_str, f.data as first_data, f.bytes as first_bytes, s.id as first_series_id,
      s.type as first_series_type, s.count as first_count, s.finite_count as first_finite_count,
      s.first_step as first_first_step, s.last_step as first_last_step, s.last_ts as first_last_ts,
      s.min as first_min, s.max as first_max, s.sum as first_sum, s.sum_sq as first_sum_sq,
      s.last_value as first_last_value, s.config as first_config, s.next_block as first_next_block,
      s.tail_count as first_tail_count
      from objects o inner join projects p on p.id = o.project_id
      left join writer_positions w on w.object_id = o.id and w.writer = ${writer}
      left join paths pa on pa.project_id = o.project_id and pa.path = ${firstPath}
      left join fields f on f.object_id = o.id and f.path_id = pa.id
      left join series s on s.object_id = o.id and s.path_id = pa.id
      where o.id = ${objectId}`,
)

/**
 * Keeps the object's row locked until the batch commits, where writers run in parallel
 * (adapter.lockRowsForUpdate): batches for one object from several server processes then run
 * one after the other. A statement of its own before selectBatchTarget, so that the read starts
 * once the lock is held and sees everything the batch it waited for committed (each statement
 * reads the latest commits), rather than relying on how the database re-checks the joined rows
 * of a row it had to wait for. Deferrable: it leaves with the read, no round trip of its own.
 */
export const lockBatchObject = preparedStatement(
  (objectId: string) => sql`select id from objects where id = ${objectId} for update`,
  { deferrable: true },
)

/** selectFieldWithSeries's columns as the batch target read carries them, prefixed. */
interface FirstFieldColumns {
  first_field_type: string | null
  first_num: number | null
  first_str: string | null
  first_data: string | null
  first_bytes: number | null
  first_series_id: number | null
  first_series_type: string | null
  first_count: number | null
  first_finite_count: number | null
  first_first_step: number | null
  first_last_step: number | null
  first_last_ts: number | null
  first_min: number | null
  first_max: number | null
  first_sum: number | null
  first_sum_sq: number | null
  first_last_value: string | null
  first_config: string | null
  first_next_block: number | null
  first_tail_count: number | null
}

/**
 * The first path's field and series as selectFieldWithSeries would read them: undefined when
 * the object has no field there.
 */
export function firstFieldOf(target: BatchTarget): FieldWithSeries | undefined {
  if (target.first_field_type === null) return undefined
  return {
    field_type: target.first_field_type,
    num: target.first_num,
    str: target.first_str,
    data: target.first_data,
    bytes: target.first_bytes ?? 0,
    id: target.first_series_id,
    type: target.first_series_type,
    count: target.first_count ?? 0,
    finite_count: target.first_finite_count ?? 0,
    first_step: target.first_first_step,
    last_step: target.first_last_step,
    last_ts: target.first_last_ts,
    min: target.first_min,
    max: target.first_max,
    sum: target.first_sum ?? 0,
    sum_sq: target.first_sum_sq ?? 0,
    last_value: target.first_last_value,
    config: target.first_config,
    next_block: target.first_next_block ?? 0,
    tail_count: target.first_tail_count ?? 0,
  } as FieldWithSeries
}

export const upsertWriterPosition = preparedStatement(
  (objectId: string, writer: string, lastSeq: number, now: number) =>
    sql`insert into writer_positions (object_id, writer, last_seq, updated_at) values (${objectId}, ${writer}, ${lastSeq}, ${now})
      on conflict (object_id, writer) do update set last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
)

// Deferrable: where statements cost a round trip, it leaves with the operation's first read.
// The release is not: it ends the operation, and a failure of a deferred write must show there.
export const savepoint = preparedStatement(() => sql`savepoint nereid_operation`, {
  deferrable: true,
})
export const releaseSavepoint = preparedStatement(() => sql`release savepoint nereid_operation`)
export const rollbackToSavepoint = preparedStatement(
  () => sql`rollback to savepoint nereid_operation`,
)

export const finishObject = preparedStatement(
  (
    now: number,
    fieldCount: number,
    fields: number,
    series: number,
    files: number,
    objectId: string,
  ) =>
    sql`update objects set modified_at = ${now}, field_count = field_count + ${fieldCount},
      fields_bytes = fields_bytes + ${fields}, series_bytes = series_bytes + ${series}, files_bytes = files_bytes + ${files}
      where id = ${objectId}`,
)

/**
 * What ends a batch, in one statement where the database runs data-modifying CTEs
 * (adapter.writableCtes): the object's totals (finishObject), the project's usage
 * (addBatchUsage) and the writer's position (upsertWriterPosition). Each part has its own
 * condition, so the statement keeps one shape whatever the batch did; on PostgreSQL this is
 * one round trip instead of three.
 */
export const finishBatchAtOnce = preparedStatement(
  (
    now: number,
    fieldCount: number,
    fields: number,
    series: number,
    files: number,
    objectId: string,
    changed: number,
    projectId: string,
    usedFields: number,
    usedSeries: number,
    usedFiles: number,
    usageChanged: number,
    positionObjectId: string,
    writer: string | null,
    lastSeq: number | null,
    positionNow: number,
    positioned: number,
  ) =>
    sql`with finished as (
      update objects set modified_at = cast(${now} as bigint), field_count = field_count + cast(${fieldCount} as bigint),
        fields_bytes = fields_bytes + cast(${fields} as bigint), series_bytes = series_bytes + cast(${series} as bigint),
        files_bytes = files_bytes + cast(${files} as bigint)
      where id = ${objectId} and cast(${changed} as integer) = 1
    ), used as (
      insert into project_usage (project_id, kind, bytes)
      select cast(${projectId} as text), v.kind, v.bytes
      from (values ('fields', cast(${usedFields} as bigint)), ('series', cast(${usedSeries} as bigint)), ('files', cast(${usedFiles} as bigint))) as v (kind, bytes)
      where cast(${usageChanged} as integer) = 1
      on conflict (project_id, kind) do update set bytes = project_usage.bytes + excluded.bytes
    )
    insert into writer_positions (object_id, writer, last_seq, updated_at)
    select cast(${positionObjectId} as text), cast(${writer} as text), cast(${lastSeq} as bigint), cast(${positionNow} as bigint)
    where cast(${positioned} as integer) = 1
    on conflict (object_id, writer) do update set last_seq = excluded.last_seq, updated_at = excluded.updated_at`,
  { deferrable: true },
)

/** The three usage buckets a batch touches, in one statement. */
export const addBatchUsage = preparedStatement(
  (p1: string, fields: number, p2: string, series: number, p3: string, files: number) =>
    sql`insert into project_usage (project_id, kind, bytes)
      values (${p1}, 'fields', ${fields}), (${p2}, 'series', ${series}), (${p3}, 'files', ${files})
      on conflict (project_id, kind) do update set bytes = project_usage.bytes + excluded.bytes`,
)

export const selectProjectBytes = preparedStatement(
  (projectId: string) =>
    sql<{
      total: number | null
    }>`select sum(bytes) as total from project_usage where project_id = ${projectId}`,
)

export const selectFieldRow = preparedStatement(
  (objectId: string, pathId: number) =>
    sql<FieldsTable>`select * from fields where object_id = ${objectId} and path_id = ${pathId}`,
)

export const insertFieldRow = preparedStatement(
  (objectId: string, pathId: number, type: string) =>
    sql`insert into fields (object_id, path_id, type, num, str, data, bytes) values (${objectId}, ${pathId}, ${type}, null, null, null, 0)`,
)

export const insertProjectField = preparedStatement(
  (projectId: string, pathId: number, type: string) =>
    sql`insert into project_fields (project_id, path_id, type) values (${projectId}, ${pathId}, ${type}) on conflict do nothing`,
)

export const updateFieldRow = preparedStatement(
  (
    num: number | null,
    str: string | null,
    data: string | null,
    bytes: number,
    objectId: string,
    pathId: number,
  ) =>
    sql`update fields set num = ${num}, str = ${str}, data = ${data}, bytes = ${bytes} where object_id = ${objectId} and path_id = ${pathId}`,
)

/** A field row with its series row joined (series columns null when there is none yet). */
export type FieldWithSeries = { field_type: string } & Pick<
  FieldsTable,
  'num' | 'str' | 'data' | 'bytes'
> &
  Omit<SeriesTable, 'object_id' | 'path_id' | 'id' | 'type'> & {
    id: number | null
    type: string | null
  }

/** What a series write needs to know of its field and series: one statement instead of two. */
export const selectFieldWithSeries = preparedStatement(
  (objectId: string, pathId: number) =>
    sql<FieldWithSeries>`select f.type as field_type, f.num, f.str, f.data, f.bytes, s.id, s.type, s.count, s.finite_count,
      s.first_step, s.last_step, s.last_ts, s.min, s.max, s.sum, s.sum_sq, s.last_value, s.config, s.next_block, s.tail_count
      from fields f left join series s on s.object_id = f.object_id and s.path_id = f.path_id
      where f.object_id = ${objectId} and f.path_id = ${pathId}`,
)

export const insertBlock = preparedStatement(
  (seriesId: number, blockNo: number, payload: Uint8Array) =>
    sql`insert into series_blocks (series_id, block_no, payload) values (${seriesId}, ${blockNo}, ${payload})`,
  { deferrable: true },
)

export const replaceBlock = preparedStatement(
  (payload: Uint8Array, seriesId: number, blockNo: number) =>
    sql`update series_blocks set payload = ${payload} where series_id = ${seriesId} and block_no = ${blockNo}`,
)

export const selectBlock = preparedStatement(
  (seriesId: number, blockNo: number) =>
    sql<{
      payload: Uint8Array
    }>`select payload from series_blocks where series_id = ${seriesId} and block_no = ${blockNo}`,
)

export const insertBlockStats = preparedStatement(
  (
    seriesId: number,
    blockNo: number,
    count: number,
    firstStep: number,
    lastStep: number,
    minTs: number,
    maxTs: number,
    stats: Uint8Array,
  ) =>
    sql`insert into series_block_stats (series_id, block_no, count, first_step, last_step, min_ts, max_ts, stats)
      values (${seriesId}, ${blockNo}, ${count}, ${firstStep}, ${lastStep}, ${minTs}, ${maxTs}, ${stats})`,
  { deferrable: true },
)

export const replaceBlockStats = preparedStatement(
  (
    count: number,
    firstStep: number,
    lastStep: number,
    minTs: number,
    maxTs: number,
    stats: Uint8Array,
    seriesId: number,
    blockNo: number,
  ) =>
    sql`update series_block_stats set count = ${count}, first_step = ${firstStep}, last_step = ${lastStep},
      min_ts = ${minTs}, max_ts = ${maxTs}, stats = ${stats} where series_id = ${seriesId} and block_no = ${blockNo}`,
)

/** Everything an append changes on the series row, in one statement. */
export const updateSeriesAfterAppend = preparedStatement(
  (
    count: number,
    finiteCount: number,
    firstStep: number,
    lastStep: number,
    lastTs: number,
    min: number | null,
    max: number | null,
    sum: number,
    sumSq: number,
    lastValue: string | null,
    nextBlock: number,
    tailCount: number,
    seriesId: number,
  ) =>
    sql`update series set count = ${count}, finite_count = ${finiteCount}, first_step = ${firstStep}, last_step = ${lastStep},
      last_ts = ${lastTs}, min = ${min}, max = ${max}, sum = ${sum}, sum_sq = ${sumSq}, last_value = ${lastValue},
      next_block = ${nextBlock}, tail_count = ${tailCount} where id = ${seriesId}`,
)

/**
 * Everything an append stores, in one statement where the database runs data-modifying CTEs
 * (adapter.writableCtes): its last block and the block's stats (inserted, or rewritten when
 * the append went into the tail block), the series row and the field row. On PostgreSQL one
 * round trip instead of four.
 */
export const appendAtOnce = preparedStatement(
  (
    blockSeriesId: number,
    blockNo: number,
    payload: Uint8Array,
    statsSeriesId: number,
    statsBlockNo: number,
    blockCount: number,
    blockFirstStep: number,
    blockLastStep: number,
    minTs: number,
    maxTs: number,
    stats: Uint8Array,
    count: number,
    finiteCount: number,
    firstStep: number,
    lastStep: number,
    lastTs: number,
    min: number | null,
    max: number | null,
    sum: number,
    sumSq: number,
    lastValue: string | null,
    nextBlock: number,
    tailCount: number,
    seriesId: number,
    num: number | null,
    str: string | null,
    data: string | null,
    bytes: number,
    objectId: string,
    pathId: number,
  ) =>
    sql`with block as (
      insert into series_blocks (series_id, block_no, payload) values (${blockSeriesId}, ${blockNo}, ${payload})
      on conflict (series_id, block_no) do update set payload = excluded.payload
    ), block_stats as (
      insert into series_block_stats (series_id, block_no, count, first_step, last_step, min_ts, max_ts, stats)
      values (${statsSeriesId}, ${statsBlockNo}, ${blockCount}, ${blockFirstStep}, ${blockLastStep}, ${minTs}, ${maxTs}, ${stats})
      on conflict (series_id, block_no) do update set count = excluded.count, first_step = excluded.first_step,
        last_step = excluded.last_step, min_ts = excluded.min_ts, max_ts = excluded.max_ts, stats = excluded.stats
    ), appended as (
      update series set count = ${count}, finite_count = ${finiteCount}, first_step = ${firstStep}, last_step = ${lastStep},
        last_ts = ${lastTs}, min = ${min}, max = ${max}, sum = ${sum}, sum_sq = ${sumSq}, last_value = ${lastValue},
        next_block = ${nextBlock}, tail_count = ${tailCount} where id = ${seriesId}
    )
    update fields set num = ${num}, str = ${str}, data = ${data}, bytes = ${bytes} where object_id = ${objectId} and path_id = ${pathId}`,
  { deferrable: true },
)
