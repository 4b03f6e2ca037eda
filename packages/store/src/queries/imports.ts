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
} from '@nereid/core'
import type { Kysely, Transaction } from 'kysely'
import type { Database, ObjectsTable } from '../database.js'
import { inTransaction, type StoreContext } from '../store-context.js'
import type { ImportedObject, ImportSource, ImportStore } from '../store.js'
import { initialSysFields, insertInitialFields, type InitialField } from './initial-fields.js'
import { isUuid } from './objects.js'
import { toObjectRecord } from './rows.js'

/** The table of migration 0005, known only to this file. */
interface ImportSourcesTable {
  project_id: string
  system: string
  source_id: string
  object_id: string
  created_at: number
  finished_at: number | null
}

type ImportDatabase = Database & { import_sources: ImportSourcesTable }

const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

export function createImportStore(context: StoreContext): ImportStore {
  const db = context.db as unknown as Kysely<ImportDatabase>

  return {
    async find(projectId, source) {
      return findBySource(db, projectId, source)
    },

    async importObject(request) {
      // UUIDs are stored in lower case; one written in upper case names the same object.
      const input =
        request.id !== undefined && isUuid(request.id)
          ? { ...request, id: request.id.toLowerCase() }
          : request
      if (input.customRunId !== undefined && input.customRunId.length > LIMITS.maxCustomRunIdLength)
        throw new ValidationError(
          `custom run id is longer than ${LIMITS.maxCustomRunIdLength} characters`,
          { field: 'customRunId' },
        )
      return inTransaction(context, async (base, paths) => {
        const trx = base as unknown as Transaction<ImportDatabase>
        const known = await findBySource(trx, input.projectId, input.source)
        if (known) return known

        // An object already on the server that the source describes: a run with the same
        // custom run id, or the object with the same UUID (a Neptune run synced before).
        let matched: { row: ObjectsTable; by: 'customRunId' | 'id' } | null = null
        if (input.kind === 'run' && input.customRunId !== undefined) {
          const row = await trx
            .selectFrom('objects')
            .selectAll()
            .where('project_id', '=', input.projectId)
            .where('custom_run_id', '=', input.customRunId)
            .executeTakeFirst()
          if (row) matched = { row, by: 'customRunId' }
        }
        if (!matched && input.id !== undefined) {
          const row = await trx
            .selectFrom('objects')
            .selectAll()
            .where('id', '=', input.id)
            .executeTakeFirst()
          if (row && row.project_id === input.projectId && row.kind === input.kind)
            matched = { row, by: 'id' }
        }
        if (matched) {
          await recordSource(trx, input.projectId, input.source, matched.row.id, input.now)
          return {
            object: toObjectRecord(matched.row),
            source: input.source,
            created: false,
            matchedBy: matched.by,
            finishedAt: null,
          }
        }

        const row = await insertObject(trx, input)
        await insertInitialFields(base, paths, input.projectId, row.id, [
          ...initialSysFields(input.kind, {
            name: input.name ?? 'Untitled',
            ...(row.parentShortId !== null ? { modelShortId: row.parentShortId } : {}),
          }),
          // Provenance as ordinary read-only fields, so it shows in tables and queries.
          stringField('sys/import/system', input.source.system),
          stringField('sys/import/id', input.source.id),
        ])
        await recordSource(trx, input.projectId, input.source, row.id, input.now)
        const stored = await trx
          .selectFrom('objects')
          .selectAll()
          .where('id', '=', row.id)
          .executeTakeFirstOrThrow()
        return {
          object: toObjectRecord(stored),
          source: input.source,
          created: true,
          matchedBy: null,
          finishedAt: null,
        }
      })
    },

    async finish(objectId, input) {
      return inTransaction(context, async (base) => {
        const trx = base as unknown as Transaction<ImportDatabase>
        const row = await trx
          .selectFrom('objects')
          .selectAll()
          .where('id', '=', objectId)
          .executeTakeFirst()
        if (!row) throw new NotFoundError('OBJECT_NOT_FOUND', `object ${objectId} not found`)
        await trx
          .updateTable('objects')
          .set({
            ...(input.modifiedAt !== undefined ? { modified_at: input.modifiedAt } : {}),
            ...(input.pingAt !== undefined ? { ping_at: input.pingAt } : {}),
            ...(input.runningMs !== undefined ? { running_ms: input.runningMs } : {}),
            // An imported object is a record of the past: nothing is running it here.
            state: 'inactive',
            active_since: null,
          })
          .where('id', '=', objectId)
          .execute()
        await trx
          .updateTable('import_sources')
          .set({ finished_at: input.now })
          .where('object_id', '=', objectId)
          .execute()
        const stored = await trx
          .selectFrom('objects')
          .selectAll()
          .where('id', '=', objectId)
          .executeTakeFirstOrThrow()
        return toObjectRecord(stored)
      })
    },

    async sources(objectId) {
      const rows = await db
        .selectFrom('import_sources')
        .select(['system', 'source_id', 'finished_at'])
        .where('object_id', '=', objectId)
        .orderBy('created_at')
        .execute()
      return rows.map((row) => ({
        system: row.system,
        id: row.source_id,
        finishedAt: num(row.finished_at),
      }))
    },

    async writerPosition(objectId, writer) {
      const row = await db
        .selectFrom('writer_positions')
        .select('last_seq')
        .where('object_id', '=', objectId)
        .where('writer', '=', writer)
        .executeTakeFirst()
      return row ? Number(row.last_seq) : 0
    },
  }
}

function stringField(path: string, value: string): InitialField {
  return { path, type: 'string', str: value, bytes: Buffer.byteLength(value) }
}

async function findBySource(
  db: Kysely<ImportDatabase> | Transaction<ImportDatabase>,
  projectId: string,
  source: ImportSource,
): Promise<ImportedObject | null> {
  const row = await db
    .selectFrom('import_sources as i')
    .innerJoin('objects as o', 'o.id', 'i.object_id')
    .selectAll('o')
    .select('i.finished_at as import_finished_at')
    .where('i.project_id', '=', projectId)
    .where('i.system', '=', source.system)
    .where('i.source_id', '=', source.id)
    .executeTakeFirst()
  if (!row) return null
  const { import_finished_at, ...object } = row
  return {
    object: toObjectRecord(object),
    source,
    created: false,
    matchedBy: 'source',
    finishedAt: num(import_finished_at),
  }
}

async function recordSource(
  trx: Transaction<ImportDatabase>,
  projectId: string,
  source: ImportSource,
  objectId: string,
  now: number,
): Promise<void> {
  await trx
    .insertInto('import_sources')
    .values({
      project_id: projectId,
      system: source.system,
      source_id: source.id,
      object_id: objectId,
      created_at: now,
      finished_at: null,
    })
    // A row left pointing at a deleted object (where foreign keys are not enforced) is replaced.
    .onConflict((conflict) =>
      conflict
        .columns(['project_id', 'system', 'source_id'])
        .doUpdateSet({ object_id: objectId, created_at: now, finished_at: null }),
    )
    .execute()
}

/**
 * Inserts the object row with the source's creation time and owner. A readable id from the
 * source is kept when it has this project's key and is free (a Nereid export imported into a
 * project with the same key keeps `CLS-12`); otherwise the next number is taken.
 */
async function insertObject(
  trx: Transaction<ImportDatabase>,
  input: Parameters<ImportStore['importObject']>[0],
): Promise<ObjectsTable & { parentShortId: string | null }> {
  const project = await trx
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', input.projectId)
    .executeTakeFirst()
  if (!project) throw new NotFoundError('PROJECT_NOT_FOUND', `project ${input.projectId} not found`)

  const taken = async (shortId: string) =>
    (await trx
      .selectFrom('objects')
      .select('id')
      .where('project_id', '=', project.id)
      .where('short_id', '=', shortId)
      .executeTakeFirst()) !== undefined
  const wantedNumber = (prefix: string): number | null => {
    if (input.shortId === undefined || !input.shortId.startsWith(prefix)) return null
    const rest = input.shortId.slice(prefix.length)
    return /^[1-9][0-9]{0,14}$/.test(rest) ? Number(rest) : null
  }

  let shortId: string
  let number: number | null = null
  let parentId: string | null = null
  let parentShortId: string | null = null
  let modelKey: string | null = null
  switch (input.kind) {
    case 'run':
    case 'notebook': {
      const prefix = input.kind === 'run' ? `${project.key}-` : `${project.key}-NB`
      const format = (n: number) =>
        input.kind === 'run' ? runShortId(project.key, n) : `${project.key}-NB${n}`
      const next = Number(project.next_run_number)
      const wanted = wantedNumber(prefix)
      number = wanted !== null && !(await taken(format(wanted))) ? wanted : next
      shortId = format(number)
      await trx
        .updateTable('projects')
        .set({ next_run_number: Math.max(next, number + 1) })
        .where('id', '=', project.id)
        .execute()
      break
    }
    case 'model': {
      const key =
        input.modelKey ??
        (input.shortId?.startsWith(`${project.key}-`)
          ? input.shortId.slice(project.key.length + 1)
          : undefined)
      if (key === undefined)
        throw new ValidationError('a model needs a key, e.g. "MOD"', { field: 'modelKey' })
      modelKey = validateModelKey(key)
      shortId = modelShortId(project.key, modelKey)
      if (await taken(shortId))
        throw new ConflictError(
          'MODEL_KEY_EXISTS',
          `model ${shortId} exists and was not imported from ${input.source.system} ${input.source.id}; import into another project or rename that model`,
          { field: 'modelKey', shortId },
        )
      break
    }
    case 'modelVersion': {
      if (input.modelId === undefined)
        throw new ValidationError('a model version needs the id of its model', { field: 'modelId' })
      const model = await trx
        .selectFrom('objects')
        .selectAll()
        .where('project_id', '=', project.id)
        .where(isUuid(input.modelId) ? 'id' : 'short_id', '=', input.modelId)
        .executeTakeFirst()
      if (!model || model.kind !== 'model')
        throw new NotFoundError(
          'OBJECT_NOT_FOUND',
          `model ${input.modelId} not found in this project; import the model before its versions`,
          { modelId: input.modelId },
        )
      const next = Number(model.next_version_number)
      const wanted = wantedNumber(`${model.short_id}-`)
      number =
        wanted !== null && !(await taken(modelVersionShortId(model.short_id, wanted)))
          ? wanted
          : next
      shortId = modelVersionShortId(model.short_id, number)
      await trx
        .updateTable('objects')
        .set({ next_version_number: Math.max(next, number + 1) })
        .where('id', '=', model.id)
        .execute()
      parentId = model.id
      parentShortId = model.short_id
      break
    }
  }

  let id: string = randomUUID()
  if (input.id !== undefined && isUuid(input.id)) {
    const clash = await trx
      .selectFrom('objects')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst()
    if (!clash) id = input.id.toLowerCase()
  }
  const row: ObjectsTable = {
    id,
    project_id: project.id,
    kind: input.kind,
    short_id: shortId,
    number,
    custom_run_id: input.kind === 'run' ? (input.customRunId ?? null) : null,
    parent_id: parentId,
    model_key: modelKey,
    next_version_number: 1,
    owner: input.owner,
    created_at: input.createdAt,
    modified_at: input.createdAt,
    ping_at: input.createdAt,
    active_since: null,
    running_ms: 0,
    state: 'inactive',
    trashed_at: null,
    field_count: 0,
    fields_bytes: 0,
    series_bytes: 0,
    files_bytes: 0,
  }
  await trx.insertInto('objects').values(row).execute()
  return { ...row, parentShortId }
}
