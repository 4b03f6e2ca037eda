import { NotFoundError, type Operation } from '@nereid/core'
import { releaseBlobs } from '../queries/blob-refs.js'
import { deleteSeriesData, fileSeriesHashes } from '../queries/object-deletion.js'
import type { BatchState } from './batch-state.js'
import { byteKindOf, readField } from './field-access.js'

/** Deletes a field and all its data. Deleting a field that does not exist is a no-op. */
export async function applyDeleteField(state: BatchState, path: string): Promise<void> {
  const { pathId, row } = await readField(state, path)
  if (pathId === null || row === null) return
  const { trx } = state
  const where = { object: state.objectId, path: pathId }
  switch (row.type) {
    case 'stringSet':
      await trx
        .deleteFrom('string_set_values')
        .where('object_id', '=', where.object)
        .where('path_id', '=', where.path)
        .execute()
      break
    case 'floatSeries':
    case 'stringSeries':
    case 'fileSeries': {
      const series = await trx
        .selectFrom('series')
        .select('id')
        .where('object_id', '=', where.object)
        .where('path_id', '=', where.path)
        .executeTakeFirst()
      if (series) {
        if (row.type === 'fileSeries')
          await releaseBlobs(trx, await fileSeriesHashes(trx, Number(series.id)))
        await deleteSeriesData(trx, Number(series.id))
        await trx.deleteFrom('series').where('id', '=', series.id).execute()
      }
      break
    }
    case 'file': {
      const hash = (JSON.parse(row.data ?? '{}') as { hash?: string }).hash
      if (hash) await releaseBlobs(trx, [hash])
      break
    }
    case 'fileSet': {
      const entries = await trx
        .selectFrom('file_set_entries')
        .select('hash')
        .where('object_id', '=', where.object)
        .where('path_id', '=', where.path)
        .execute()
      await releaseBlobs(
        trx,
        entries.map((entry) => entry.hash),
      )
      await trx
        .deleteFrom('file_set_entries')
        .where('object_id', '=', where.object)
        .where('path_id', '=', where.path)
        .execute()
      break
    }
  }
  await trx
    .deleteFrom('fields')
    .where('object_id', '=', where.object)
    .where('path_id', '=', where.path)
    .execute()
  state.addFieldCount(-1)
  state.addBytes(byteKindOf(row.type), -Number(row.bytes))
}

/**
 * Copies the value of an atom, string set, file, artifact or git ref, from this object or
 * another one of the same project, by turning it into the operation that writes that value.
 */
export async function resolveCopy(
  state: BatchState,
  operation: Extract<Operation, { kind: 'copyField' }>,
): Promise<Operation> {
  let sourceId = state.objectId
  if (operation.fromObject !== null) {
    const source = await state.trx
      .selectFrom('objects')
      .select('id')
      .where('project_id', '=', state.projectId)
      .where((eb) =>
        eb.or([eb('id', '=', operation.fromObject!), eb('short_id', '=', operation.fromObject!)]),
      )
      .executeTakeFirst()
    if (!source) {
      throw new NotFoundError(
        'OBJECT_NOT_FOUND',
        `object ${operation.fromObject} to copy from does not exist in this project`,
        {
          fromObject: operation.fromObject,
        },
      )
    }
    sourceId = source.id
  }
  const pathId = await state.paths.lookup(state.projectId, operation.fromPath)
  const row =
    pathId === null
      ? undefined
      : await state.trx
          .selectFrom('fields')
          .selectAll()
          .where('object_id', '=', sourceId)
          .where('path_id', '=', pathId)
          .executeTakeFirst()
  if (!row) {
    throw new NotFoundError(
      'SOURCE_FIELD_NOT_FOUND',
      `"${operation.fromPath}" does not exist on the object to copy from`,
      {
        fromPath: operation.fromPath,
      },
    )
  }
  const path = operation.path
  switch (row.type) {
    case 'float':
      return { kind: 'assign', path, type: 'float', value: row.num ?? Number(row.str ?? 'NaN') }
    case 'int':
    case 'datetime':
      return { kind: 'assign', path, type: row.type, value: Number(row.num) }
    case 'bool':
      return { kind: 'assign', path, type: 'bool', value: Number(row.num) === 1 }
    case 'string':
      return { kind: 'assign', path, type: 'string', value: row.str ?? '' }
    case 'stringSet':
      return { kind: 'addStrings', path, values: JSON.parse(row.data ?? '[]') as string[] }
    case 'file': {
      const info = JSON.parse(row.data ?? '{}') as {
        hash: string
        name: string
        ext: string
        contentType: string
      }
      return {
        kind: 'uploadFile',
        path,
        file: {
          hash: info.hash,
          name: info.name,
          ext: info.ext,
          contentType: info.contentType,
          description: null,
        },
      }
    }
    case 'artifact':
      return { kind: 'assignArtifact', path, hash: row.str ?? '' }
    case 'gitRef':
      return {
        kind: 'assignGitRef',
        path,
        value: JSON.parse(row.data ?? '{}') as { commitId: string },
      }
    default:
      throw new NotFoundError(
        'VALUE_INVALID',
        `"${operation.fromPath}" is a ${row.type} field; only atoms, string sets, files, artifacts and git refs can be copied`,
        {
          fromPath: operation.fromPath,
          type: row.type,
        },
      )
  }
}
