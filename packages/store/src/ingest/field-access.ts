import { ConflictError, LIMITS, namespacePrefixes, NereidError, type FieldType } from '@nereid/core'
import type { Selectable } from 'kysely'
import type { FieldsTable } from '../database.js'
import { VIRTUAL_SYS_PATHS, virtualFieldCount } from '../queries/field-codec.js'
import type { BatchState } from './batch-state.js'
import {
  insertFieldRow,
  insertProjectField,
  selectFieldRow,
  updateFieldRow,
} from './hot-statements.js'

export type FieldRowRecord = Selectable<FieldsTable>

export interface FieldHandle {
  pathId: number
  row: FieldRowRecord
  created: boolean
}

export async function readField(
  state: BatchState,
  path: string,
): Promise<{ pathId: number | null; row: FieldRowRecord | null }> {
  const pathId = await state.paths.lookup(state.projectId, path)
  if (pathId === null) return { pathId: null, row: null }
  const row = await state.trx
    .selectFrom('fields')
    .selectAll()
    .where('object_id', '=', state.objectId)
    .where('path_id', '=', pathId)
    .executeTakeFirst()
  return { pathId, row: row ?? null }
}

/**
 * The field at `path`, created empty with `type` when missing. Enforces the rules every write
 * obeys: a path keeps the type of its first write, a path is never both a field and a
 * namespace, and an object holds at most LIMITS.maxFieldsPerObject fields.
 */
export async function ensureField(
  state: BatchState,
  path: string,
  type: FieldType,
): Promise<FieldHandle> {
  const pathId = await state.paths.intern(state.projectId, path)
  const existing = (await selectFieldRow(state.trx, state.objectId, pathId)).rows[0]
  return existing
    ? existingField(path, pathId, existing, type)
    : createField(state, path, pathId, type)
}

/** A field found by the caller's own read, checked against the type the write needs. */
export function existingField(
  path: string,
  pathId: number,
  row: FieldRowRecord,
  type: FieldType,
): FieldHandle {
  if (row.type !== type) {
    throw new ConflictError(
      'FIELD_TYPE_CONFLICT',
      `"${path}" is a ${row.type} field; this operation writes a ${type}`,
      {
        path,
        existingType: row.type,
        requestedType: type,
      },
    )
  }
  return { pathId, row, created: false }
}

/** Creates the empty field at `path`, which the caller found missing. */
export async function createField(
  state: BatchState,
  path: string,
  pathId: number,
  type: FieldType,
): Promise<FieldHandle> {
  await checkNamespace(state, path)
  if (state.fieldCount + virtualFieldCount(state.object) >= LIMITS.maxFieldsPerObject) {
    throw new NereidError(
      'FIELD_LIMIT_EXCEEDED',
      `the object already holds ${LIMITS.maxFieldsPerObject} fields, the limit; "${path}" was not created`,
      { path, limit: LIMITS.maxFieldsPerObject },
    )
  }
  const row: FieldRowRecord = {
    object_id: state.objectId,
    path_id: pathId,
    type,
    num: null,
    str: null,
    data: null,
    bytes: 0,
  }
  await insertFieldRow(state.trx, state.objectId, pathId, type)
  await insertProjectField(state.trx, state.projectId, pathId, type)
  state.addFieldCount(1)
  return { pathId, row, created: true }
}

async function checkNamespace(state: BatchState, path: string): Promise<void> {
  const prefixes = namespacePrefixes(path)
  if (prefixes.length > 0) {
    const clash = await state.trx
      .selectFrom('fields')
      .innerJoin('paths', 'paths.id', 'fields.path_id')
      .select('paths.path')
      .where('fields.object_id', '=', state.objectId)
      .where('paths.project_id', '=', state.projectId)
      .where('paths.path', 'in', prefixes)
      .limit(1)
      .executeTakeFirst()
    if (clash) {
      throw new ConflictError(
        'NAMESPACE_CONFLICT',
        `"${clash.path}" is a field, so "${path}" cannot be created under it`,
        {
          path,
          field: clash.path,
        },
      )
    }
  }
  // '/' sorts just before '0': every path under `path/` lies in ['path/', 'path0').
  const below = await state.trx
    .selectFrom('fields')
    .innerJoin('paths', 'paths.id', 'fields.path_id')
    .select('paths.path')
    .where('fields.object_id', '=', state.objectId)
    .where('paths.project_id', '=', state.projectId)
    .where('paths.path', '>=', `${path}/`)
    .where('paths.path', '<', `${path}0`)
    .limit(1)
    .executeTakeFirst()
  if (below || VIRTUAL_SYS_PATHS.has(path) || path === 'sys') {
    throw new ConflictError(
      'NAMESPACE_CONFLICT',
      `"${path}" is a namespace (it holds "${below?.path ?? 'sys/id'}"), not a field`,
      {
        path,
        field: below?.path ?? 'sys/id',
      },
    )
  }
}

/** Rewrites the value columns of a field and accounts for the change in its size. */
export async function writeFieldRow(
  state: BatchState,
  handle: FieldHandle,
  values: FieldValues,
): Promise<void> {
  const next = nextFieldRow(handle, values)
  // One statement shape for every update, so it stays prepared.
  await updateFieldRow(
    state.trx,
    next.num,
    next.str,
    next.data,
    Number(next.bytes),
    state.objectId,
    handle.pathId,
  )
  settleFieldRow(state, handle, next)
}

export interface FieldValues {
  num?: number | null
  str?: string | null
  data?: string | null
  bytes?: number
}

/** The field's row once `values` are written (for a caller that writes it itself). */
export function nextFieldRow(handle: FieldHandle, values: FieldValues): FieldRowRecord {
  return {
    ...handle.row,
    ...('num' in values ? { num: values.num ?? null } : {}),
    ...('str' in values ? { str: values.str ?? null } : {}),
    ...('data' in values ? { data: values.data ?? null } : {}),
    ...(values.bytes !== undefined ? { bytes: values.bytes } : {}),
  }
}

/** After `next` was written: accounts for the change in the field's size. */
export function settleFieldRow(state: BatchState, handle: FieldHandle, next: FieldRowRecord): void {
  state.addBytes(byteKindOf(handle.row.type), Number(next.bytes) - Number(handle.row.bytes))
  handle.row = next
}

/** Which usage bucket a field's bytes count in. */
export function byteKindOf(type: string): 'fields' | 'series' | 'files' {
  switch (type) {
    case 'floatSeries':
    case 'stringSeries':
      return 'series'
    case 'file':
    case 'fileSet':
    case 'fileSeries':
      return 'files'
    default:
      return 'fields'
  }
}
