import { randomUUID } from 'node:crypto'
import {
  ConflictError,
  LIMITS,
  NotFoundError,
  ValidationError,
  modelShortId,
  modelVersionShortId,
  runShortId,
  validateModelKey,
  type ObjectRecord,
} from '@nereid/core'
import { sql, type Transaction } from 'kysely'
import type { Database, ObjectsTable } from '../database.js'
import { inTransaction, type StoreContext } from '../store-context.js'
import type { BulkResult, CreateObjectInput, ObjectStore } from '../store.js'
import { addUsage, initialSysFields, insertInitialFields } from './initial-fields.js'
import { deleteObjectData } from './object-deletion.js'
import { toObjectRecord } from './rows.js'
import { preparedStatement } from './prepared-statement.js'

const selectObjectById = preparedStatement(
  (projectId: string, id: string) =>
    sql<ObjectsTable>`select * from objects where project_id = ${projectId} and id = ${id}`,
)
const selectObjectByShortId = preparedStatement(
  (projectId: string, shortId: string) =>
    sql<ObjectsTable>`select * from objects where project_id = ${projectId} and short_id = ${shortId}`,
)

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(ref: string): boolean {
  return UUID.test(ref)
}

export function createObjectStore(context: StoreContext): ObjectStore {
  const { db } = context

  async function get(projectId: string, ref: string): Promise<ObjectRecord | null> {
    const found = isUuid(ref)
      ? await selectObjectById(db, projectId, ref)
      : await selectObjectByShortId(db, projectId, ref)
    const row = found.rows[0]
    return row ? toObjectRecord(row) : null
  }

  return {
    async create(input) {
      if (
        input.customRunId !== undefined &&
        input.customRunId.length > LIMITS.maxCustomRunIdLength
      ) {
        throw new ValidationError(
          `custom run id is longer than ${LIMITS.maxCustomRunIdLength} characters`,
          { field: 'customRunId' },
        )
      }
      try {
        return await inTransaction(context, (trx, paths) =>
          createInTransaction(trx, input, async (object, fields) => {
            await insertInitialFields(trx, paths, input.projectId, object.id, fields)
          }),
        )
      } catch (error) {
        // Two writers creating the same custom run at once: the loser reads the winner's run.
        if (input.customRunId !== undefined && context.adapter.isUniqueViolation(error)) {
          const existing = await db
            .selectFrom('objects')
            .selectAll()
            .where('project_id', '=', input.projectId)
            .where('custom_run_id', '=', input.customRunId)
            .executeTakeFirst()
          if (existing) return { object: toObjectRecord(existing), created: false }
        }
        throw error
      }
    },

    get,

    async getById(id) {
      const row = await db.selectFrom('objects').selectAll().where('id', '=', id).executeTakeFirst()
      return row ? toObjectRecord(row) : null
    },

    async ping(objectId, now) {
      const result = await db
        .updateTable('objects')
        .set((eb) => ({
          ping_at: now,
          active_since: eb
            .case()
            .when('state', '=', 'active')
            .then(eb.ref('active_since'))
            .else(now)
            .end(),
          state: 'active',
        }))
        .where('id', '=', objectId)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0)
        throw new NotFoundError('OBJECT_NOT_FOUND', `object ${objectId} not found`)
    },

    async markInactive(cutoff) {
      const result = await db
        .updateTable('objects')
        .set((eb) => ({
          state: 'inactive',
          running_ms: eb(
            'running_ms',
            '+',
            eb(
              eb.fn.coalesce('ping_at', eb.val(0)),
              '-',
              eb.fn.coalesce('active_since', 'ping_at'),
            ),
          ),
          active_since: null,
        }))
        .where('state', '=', 'active')
        .where('ping_at', '<', cutoff)
        .executeTakeFirst()
      return Number(result.numUpdatedRows)
    },

    async trash(projectId, ids, now) {
      return inTransaction(context, async (trx) => {
        const result: BulkResult = { updated: [], errors: [] }
        for (const ref of ids) {
          const row = await findRow(trx, projectId, ref)
          if (!row) {
            result.errors.push({ id: ref, reason: 'NOT_EXISTS', message: `${ref} does not exist` })
          } else if (row.kind === 'project') {
            result.errors.push({
              id: ref,
              reason: 'IS_PROJECT',
              message: 'the project object cannot be trashed',
            })
          } else if (row.trashed_at !== null) {
            result.errors.push({
              id: ref,
              reason: 'ALREADY_TRASHED',
              message: `${row.short_id} is already in the trash`,
            })
          } else {
            const family =
              row.kind === 'model'
                ? [row, ...(await children(trx, row.id)).filter((c) => c.trashed_at === null)]
                : [row]
            for (const member of family) await moveToTrash(trx, member, now)
            result.updated.push(row.short_id)
          }
        }
        return result
      })
    },

    async restore(projectId, ids) {
      return inTransaction(context, async (trx) => {
        const result: BulkResult = { updated: [], errors: [] }
        for (const ref of ids) {
          const row = await findRow(trx, projectId, ref)
          if (!row) {
            result.errors.push({ id: ref, reason: 'NOT_EXISTS', message: `${ref} does not exist` })
          } else if (row.trashed_at === null) {
            result.errors.push({
              id: ref,
              reason: 'NOT_IN_TRASH',
              message: `${row.short_id} is not in the trash`,
            })
          } else {
            const family =
              row.kind === 'model'
                ? [row, ...(await children(trx, row.id)).filter((c) => c.trashed_at !== null)]
                : [row]
            for (const member of family) await moveOutOfTrash(trx, member)
            result.updated.push(row.short_id)
          }
        }
        return result
      })
    },

    async deletePermanently(projectId, ids) {
      return inTransaction(context, async (trx) => {
        const result: BulkResult & { freedBlobs: string[] } = {
          updated: [],
          errors: [],
          freedBlobs: [],
        }
        for (const ref of ids) {
          const row = await findRow(trx, projectId, ref)
          if (!row) {
            result.errors.push({ id: ref, reason: 'NOT_EXISTS', message: `${ref} does not exist` })
          } else if (row.trashed_at === null) {
            result.errors.push({
              id: ref,
              reason: 'NOT_IN_TRASH',
              message: `${row.short_id} must be trashed before it is deleted`,
            })
          } else {
            const family = row.kind === 'model' ? [...(await children(trx, row.id)), row] : [row]
            for (const member of family) {
              result.freedBlobs.push(...(await deleteObjectData(trx, member.id)))
              await addUsage(trx, projectId, 'trash', -objectBytes(member))
              await trx.deleteFrom('objects').where('id', '=', member.id).execute()
            }
            result.updated.push(row.short_id)
          }
        }
        return result
      })
    },
  }
}

type CreateResult = { object: ObjectRecord; created: boolean }

async function createInTransaction(
  trx: Transaction<Database>,
  input: CreateObjectInput,
  addFields: (object: ObjectsTable, fields: ReturnType<typeof initialSysFields>) => Promise<void>,
): Promise<CreateResult> {
  const project = await trx
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', input.projectId)
    .executeTakeFirst()
  if (!project) throw new NotFoundError('PROJECT_NOT_FOUND', `project ${input.projectId} not found`)

  if (input.kind === 'run' && input.customRunId !== undefined) {
    const existing = await trx
      .selectFrom('objects')
      .selectAll()
      .where('project_id', '=', input.projectId)
      .where('custom_run_id', '=', input.customRunId)
      .executeTakeFirst()
    if (existing) return { object: toObjectRecord(existing), created: false }
  }

  let shortId: string
  let number: number | null = null
  let parentId: string | null = null
  let modelKey: string | null = null
  let parentShortId: string | undefined
  switch (input.kind) {
    case 'run':
    case 'notebook': {
      // Incremented in place, not from the value read above: another server instance may be
      // numbering a run of the same project at this moment.
      const counter = await trx
        .updateTable('projects')
        .set((eb) => ({ next_run_number: eb('next_run_number', '+', 1) }))
        .where('id', '=', project.id)
        .returning('next_run_number')
        .executeTakeFirstOrThrow()
      number = Number(counter.next_run_number) - 1
      shortId =
        input.kind === 'run' ? runShortId(project.key, number) : `${project.key}-NB${number}`
      break
    }
    case 'model': {
      if (input.modelKey === undefined)
        throw new ValidationError('a model needs a key, e.g. "MOD"', { field: 'key' })
      modelKey = validateModelKey(input.modelKey)
      shortId = modelShortId(project.key, modelKey)
      const clash = await trx
        .selectFrom('objects')
        .select('id')
        .where('project_id', '=', project.id)
        .where('short_id', '=', shortId)
        .executeTakeFirst()
      if (clash)
        throw new ConflictError('MODEL_KEY_EXISTS', `model ${shortId} exists; choose another key`, {
          field: 'key',
          shortId,
        })
      break
    }
    case 'modelVersion': {
      if (input.modelId === undefined)
        throw new ValidationError('a model version needs the id of its model', { field: 'modelId' })
      const model = await findRow(trx, project.id, input.modelId)
      if (!model || model.kind !== 'model') {
        throw new NotFoundError(
          'OBJECT_NOT_FOUND',
          `model ${input.modelId} not found in this project`,
          { modelId: input.modelId },
        )
      }
      const counter = await trx
        .updateTable('objects')
        .set((eb) => ({ next_version_number: eb('next_version_number', '+', 1) }))
        .where('id', '=', model.id)
        .returning('next_version_number')
        .executeTakeFirstOrThrow()
      number = Number(counter.next_version_number) - 1
      shortId = modelVersionShortId(model.short_id, number)
      parentId = model.id
      parentShortId = model.short_id
      break
    }
  }

  const isLive = input.kind !== 'notebook'
  const row: ObjectsTable = {
    id: randomUUID(),
    project_id: project.id,
    kind: input.kind,
    short_id: shortId,
    number,
    custom_run_id: input.kind === 'run' ? (input.customRunId ?? null) : null,
    parent_id: parentId,
    model_key: modelKey,
    next_version_number: 1,
    owner: input.owner,
    created_at: input.now,
    modified_at: input.now,
    ping_at: isLive ? input.now : null,
    active_since: isLive ? input.now : null,
    running_ms: 0,
    state: isLive ? 'active' : 'inactive',
    trashed_at: null,
    field_count: 0,
    fields_bytes: 0,
    series_bytes: 0,
    files_bytes: 0,
  }
  await trx.insertInto('objects').values(row).execute()
  await addFields(
    row,
    initialSysFields(input.kind, {
      name: input.name ?? 'Untitled',
      ...(parentShortId ? { modelShortId: parentShortId } : {}),
    }),
  )
  const stored = await trx
    .selectFrom('objects')
    .selectAll()
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow()
  return { object: toObjectRecord(stored), created: true }
}

async function findRow(
  trx: Transaction<Database>,
  projectId: string,
  ref: string,
): Promise<ObjectsTable | undefined> {
  return trx
    .selectFrom('objects')
    .selectAll()
    .where('project_id', '=', projectId)
    .where(isUuid(ref) ? 'id' : 'short_id', '=', ref)
    .executeTakeFirst()
}

async function children(trx: Transaction<Database>, parentId: string): Promise<ObjectsTable[]> {
  return trx.selectFrom('objects').selectAll().where('parent_id', '=', parentId).execute()
}

function objectBytes(row: ObjectsTable): number {
  return Number(row.fields_bytes) + Number(row.series_bytes) + Number(row.files_bytes)
}

/** Trashed objects still count against the project, under "trash" instead of their kinds. */
async function moveToTrash(
  trx: Transaction<Database>,
  row: ObjectsTable,
  now: number,
): Promise<void> {
  await trx.updateTable('objects').set({ trashed_at: now }).where('id', '=', row.id).execute()
  await addUsage(trx, row.project_id, 'fields', -Number(row.fields_bytes))
  await addUsage(trx, row.project_id, 'series', -Number(row.series_bytes))
  await addUsage(trx, row.project_id, 'files', -Number(row.files_bytes))
  await addUsage(trx, row.project_id, 'trash', objectBytes(row))
}

async function moveOutOfTrash(trx: Transaction<Database>, row: ObjectsTable): Promise<void> {
  await trx.updateTable('objects').set({ trashed_at: null }).where('id', '=', row.id).execute()
  await addUsage(trx, row.project_id, 'fields', Number(row.fields_bytes))
  await addUsage(trx, row.project_id, 'series', Number(row.series_bytes))
  await addUsage(trx, row.project_id, 'files', Number(row.files_bytes))
  await addUsage(trx, row.project_id, 'trash', -objectBytes(row))
}
