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
  if (existing) {
    if (existing.type !== type) {
      throw new ConflictError(
        'FIELD_TYPE_CONFLICT',
        `"${path}" is a ${existing.type} field; this operation writes a ${type}`,
        {
          path,
          existingType: existing.type,
          requestedType: type,
        },
      )
    }
    return { pathId, row: existing, created: false }
  }
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
  values: { num?: number | null; str?: string | null; data?: string | null; bytes?: number },
): Promise<void> {
  const next = {
    ...handle.row,
    ...('num' in values ? { num: values.num ?? null } : {}),
    ...('str' in values ? { str: values.str ?? null } : {}),
    ...('data' in values ? { data: values.data ?? null } : {}),
    ...(values.bytes !== undefined ? { bytes: values.bytes } : {}),
  }
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
  if (values.bytes !== undefined) {
    state.addBytes(byteKindOf(handle.row.type), values.bytes - Number(handle.row.bytes))
  }
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
