import type { FieldType, ObjectKind } from '@nereid/core'
import type { Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { PathSession } from './path-registry.js'

export interface InitialField {
  path: string
  type: FieldType
  num?: number | null
  str?: string | null
  data?: string | null
  bytes: number
}

/** The stored (not virtual) sys/ fields an object starts with. */
export function initialSysFields(
  kind: ObjectKind,
  options: { name: string; modelShortId?: string },
): InitialField[] {
  const fields: InitialField[] = [
    { path: 'sys/name', type: 'string', str: options.name, bytes: options.name.length },
    { path: 'sys/tags', type: 'stringSet', data: '[]', str: '', bytes: 0 },
    { path: 'sys/group_tags', type: 'stringSet', data: '[]', str: '', bytes: 0 },
  ]
  if (kind === 'run' || kind === 'notebook') {
    fields.push({ path: 'sys/description', type: 'string', str: '', bytes: 0 })
  }
  if (kind === 'run') fields.push({ path: 'sys/failed', type: 'bool', num: 0, bytes: 1 })
  if (kind === 'modelVersion' && options.modelShortId !== undefined) {
    fields.push(
      {
        path: 'sys/model_id',
        type: 'string',
        str: options.modelShortId,
        bytes: options.modelShortId.length,
      },
      { path: 'sys/stage', type: 'string', str: 'none', bytes: 4 },
    )
  }
  return fields
}

/** Inserts fields of a new object and counts them on the object row. */
export async function insertInitialFields(
  trx: Transaction<Database>,
  paths: PathSession,
  projectId: string,
  objectId: string,
  fields: InitialField[],
): Promise<void> {
  let bytes = 0
  for (const field of fields) {
    const pathId = await paths.intern(projectId, field.path)
    await trx
      .insertInto('fields')
      .values({
        object_id: objectId,
        path_id: pathId,
        type: field.type,
        num: field.num ?? null,
        str: field.str ?? null,
        data: field.data ?? null,
        bytes: field.bytes,
      })
      .execute()
    await trx
      .insertInto('project_fields')
      .values({ project_id: projectId, path_id: pathId, type: field.type })
      .onConflict((conflict) => conflict.doNothing())
      .execute()
    bytes += field.bytes
  }
  await trx
    .updateTable('objects')
    .set((eb) => ({
      field_count: eb('field_count', '+', fields.length),
      fields_bytes: eb('fields_bytes', '+', bytes),
    }))
    .where('id', '=', objectId)
    .execute()
  await addUsage(trx, projectId, 'fields', bytes)
}

export type UsageKind = 'fields' | 'series' | 'files' | 'trash'

export async function addUsage(
  trx: Transaction<Database>,
  projectId: string,
  kind: UsageKind,
  bytes: number,
): Promise<void> {
  if (bytes === 0) return
  await trx
    .insertInto('project_usage')
    .values({ project_id: projectId, kind, bytes })
    .onConflict((conflict) =>
      conflict
        .columns(['project_id', 'kind'])
        .doUpdateSet((eb) => ({ bytes: eb('project_usage.bytes', '+', bytes) })),
    )
    .execute()
}
