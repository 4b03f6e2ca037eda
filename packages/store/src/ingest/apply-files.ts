import { NereidError, type FileRef, type Operation } from '@nereid/core'
import { releaseBlobs, retainBlob } from '../queries/blob-refs.js'
import type { BatchState } from './batch-state.js'
import { ensureField, writeFieldRow, type FieldHandle } from './field-access.js'

export async function applyUploadFile(
  state: BatchState,
  path: string,
  file: FileRef,
): Promise<void> {
  const handle = await ensureField(state, path, 'file')
  const size = await retain(state, path, file.hash)
  const previous = handle.row.data
    ? (JSON.parse(handle.row.data) as { hash?: string }).hash
    : undefined
  if (previous) await releaseBlobs(state.trx, [previous])
  const name = file.name ?? lastSegment(path)
  const info = {
    hash: file.hash,
    size,
    name,
    ext: file.ext ?? extensionOf(name),
    contentType: file.contentType ?? 'application/octet-stream',
  }
  await writeFieldRow(state, handle, {
    num: size,
    str: name,
    data: JSON.stringify(info),
    bytes: size,
  })
}

type FileSetUpload = Extract<Operation, { kind: 'uploadFileSet' }>

export async function applyUploadFileSet(
  state: BatchState,
  operation: FileSetUpload,
): Promise<void> {
  const handle = await ensureField(state, operation.path, 'fileSet')
  const { trx } = state
  if (operation.reset) await removeEntries(state, handle, null)
  for (const file of operation.files) {
    const size = await retain(state, operation.path, file.hash)
    const replaced = await trx
      .selectFrom('file_set_entries')
      .select('hash')
      .where('object_id', '=', state.objectId)
      .where('path_id', '=', handle.pathId)
      .where('file_path', '=', file.path)
      .executeTakeFirst()
    if (replaced) {
      await releaseBlobs(trx, [replaced.hash])
      await trx
        .updateTable('file_set_entries')
        .set({ hash: file.hash, size, mtime: file.mtime ?? state.now })
        .where('object_id', '=', state.objectId)
        .where('path_id', '=', handle.pathId)
        .where('file_path', '=', file.path)
        .execute()
    } else {
      await trx
        .insertInto('file_set_entries')
        .values({
          object_id: state.objectId,
          path_id: handle.pathId,
          file_path: file.path,
          hash: file.hash,
          size,
          mtime: file.mtime ?? state.now,
        })
        .execute()
    }
  }
  await refreshFileSet(state, handle)
}

export async function applyDeleteFiles(
  state: BatchState,
  path: string,
  filePaths: string[],
): Promise<void> {
  const handle = await ensureField(state, path, 'fileSet')
  for (const filePath of filePaths) await removeEntries(state, handle, filePath)
  await refreshFileSet(state, handle)
}

/** Removes one file, a whole folder (`dir` removes `dir/...`), or everything (null). */
async function removeEntries(
  state: BatchState,
  handle: FieldHandle,
  filePath: string | null,
): Promise<void> {
  let query = state.trx
    .selectFrom('file_set_entries')
    .select(['file_path', 'hash'])
    .where('object_id', '=', state.objectId)
    .where('path_id', '=', handle.pathId)
  if (filePath !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('file_path', '=', filePath),
        eb.and([eb('file_path', '>=', `${filePath}/`), eb('file_path', '<', `${filePath}0`)]),
      ]),
    )
  }
  const entries = await query.execute()
  if (entries.length === 0) return
  await releaseBlobs(
    state.trx,
    entries.map((entry) => entry.hash),
  )
  for (let start = 0; start < entries.length; start += 500) {
    await state.trx
      .deleteFrom('file_set_entries')
      .where('object_id', '=', state.objectId)
      .where('path_id', '=', handle.pathId)
      .where(
        'file_path',
        'in',
        entries.slice(start, start + 500).map((entry) => entry.file_path),
      )
      .execute()
  }
}

async function refreshFileSet(state: BatchState, handle: FieldHandle): Promise<void> {
  const totals = await state.trx
    .selectFrom('file_set_entries')
    .select((eb) => [eb.fn.countAll().as('count'), eb.fn.sum('size').as('size')])
    .where('object_id', '=', state.objectId)
    .where('path_id', '=', handle.pathId)
    .executeTakeFirstOrThrow()
  const size = Number(totals.size ?? 0)
  await writeFieldRow(state, handle, {
    num: size,
    data: JSON.stringify({ fileCount: Number(totals.count) }),
    bytes: size,
  })
}

async function retain(state: BatchState, path: string, hash: string): Promise<number> {
  const size = await retainBlob(state.trx, hash)
  if (size === null) {
    throw new NereidError(
      'BLOB_NOT_FOUND',
      `blob ${hash} for "${path}" was never uploaded; upload the file first`,
      { path, hash },
    )
  }
  return size
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1) : ''
}
