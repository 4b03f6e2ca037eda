import { ConflictError, type Operation } from '@nereid/core'
import { floatColumns } from '../queries/field-codec.js'
import type { BatchState } from './batch-state.js'
import { ensureField, writeFieldRow } from './field-access.js'

type Assign = Extract<Operation, { kind: 'assign' }>

export async function applyAssign(state: BatchState, operation: Assign): Promise<void> {
  const handle = await ensureField(state, operation.path, operation.type)
  switch (operation.type) {
    case 'float':
      return writeFieldRow(state, handle, { ...floatColumns(operation.value), bytes: 8 })
    case 'int':
    case 'datetime':
      return writeFieldRow(state, handle, { num: operation.value, bytes: 8 })
    case 'bool':
      return writeFieldRow(state, handle, { num: operation.value ? 1 : 0, bytes: 1 })
    case 'string':
      return writeFieldRow(state, handle, {
        str: operation.value,
        bytes: Buffer.byteLength(operation.value),
      })
  }
}

export async function applyGitRef(
  state: BatchState,
  operation: Extract<Operation, { kind: 'assignGitRef' }>,
): Promise<void> {
  const handle = await ensureField(state, operation.path, 'gitRef')
  const data = JSON.stringify(operation.value)
  await writeFieldRow(state, handle, { str: operation.value.commitId, data, bytes: data.length })
}

export async function applyNotebookRef(
  state: BatchState,
  operation: Extract<Operation, { kind: 'assignNotebookRef' }>,
): Promise<void> {
  const handle = await ensureField(state, operation.path, 'notebookRef')
  const data = JSON.stringify(operation.value)
  await writeFieldRow(state, handle, { str: operation.value.notebookId, data, bytes: data.length })
}

type SetOperation = Extract<Operation, { kind: 'addStrings' | 'removeStrings' | 'clearStringSet' }>

/** String sets keep one row per value (for CONTAINS queries) and a sorted JSON copy for reads. */
export async function applyStringSet(state: BatchState, operation: SetOperation): Promise<void> {
  const handle = await ensureField(state, operation.path, 'stringSet')
  const { trx } = state
  const current = new Set<string>(handle.row.data ? (JSON.parse(handle.row.data) as string[]) : [])
  if (operation.kind === 'clearStringSet') {
    if (current.size === 0) return
    await trx
      .deleteFrom('string_set_values')
      .where('object_id', '=', state.objectId)
      .where('path_id', '=', handle.pathId)
      .execute()
    current.clear()
  } else if (operation.kind === 'addStrings') {
    const added = operation.values.filter((value) => !current.has(value))
    if (added.length === 0) return
    for (let start = 0; start < added.length; start += 500) {
      await trx
        .insertInto('string_set_values')
        .values(
          added
            .slice(start, start + 500)
            .map((value) => ({ object_id: state.objectId, path_id: handle.pathId, value })),
        )
        .execute()
    }
    for (const value of added) current.add(value)
  } else {
    const removed = operation.values.filter((value) => current.has(value))
    if (removed.length === 0) return
    for (let start = 0; start < removed.length; start += 500) {
      await trx
        .deleteFrom('string_set_values')
        .where('object_id', '=', state.objectId)
        .where('path_id', '=', handle.pathId)
        .where('value', 'in', removed.slice(start, start + 500))
        .execute()
    }
    for (const value of removed) current.delete(value)
  }
  const values = [...current].sort()
  const data = JSON.stringify(values)
  await writeFieldRow(state, handle, {
    data,
    str: values.join(','),
    bytes: Buffer.byteLength(data),
  })
}

/** Artifacts are addressed by hash; the hash must have been registered with its file list. */
export async function applyAssignArtifact(
  state: BatchState,
  path: string,
  hash: string,
): Promise<void> {
  const artifact = await state.trx
    .selectFrom('artifacts')
    .select(['size', 'files'])
    .where('project_id', '=', state.projectId)
    .where('hash', '=', hash)
    .executeTakeFirst()
  if (!artifact) {
    throw new ConflictError(
      'VALUE_INVALID',
      `artifact ${hash} is unknown in this project; track its files first`,
      { path, hash },
    )
  }
  const handle = await ensureField(state, path, 'artifact')
  const files = JSON.parse(artifact.files) as unknown[]
  const data = JSON.stringify({
    size: artifact.size === null ? null : Number(artifact.size),
    fileCount: files.length,
  })
  await writeFieldRow(state, handle, { str: hash, data, bytes: hash.length + data.length })
}

export async function applyClearArtifact(state: BatchState, path: string): Promise<void> {
  const handle = await ensureField(state, path, 'artifact')
  await writeFieldRow(state, handle, {
    str: '',
    data: JSON.stringify({ size: null, fileCount: 0 }),
    bytes: 0,
  })
}
