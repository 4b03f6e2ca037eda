import { ConflictError, type ErrorCode } from '@nereid/core'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { DialectAdapter } from '../dialect-adapter.js'
import type { PutDocumentInput } from '../store.js'

/**
 * Named JSON documents of a project (saved views, dashboards) share one write rule, kept here:
 * a revisioned create-or-replace that a client may retry safely.
 */

export interface DocumentRow {
  project_id: string
  id: string
  name: string
  body: string
  created_by: string
  created_at: number
  updated_at: number
  revision: number
}

/** Where a kind of document lives and how its clashes are reported. */
export interface DocumentTable {
  table: 'saved_views' | 'dashboards'
  /** The column holding the JSON body. */
  bodyColumn: 'state' | 'widgets'
  nameExists: ErrorCode
}

export type DocumentTables = {
  saved_views: {
    project_id: string
    id: string
    name: string
    state: string
    is_default: number
    created_by: string
    created_at: number
    updated_at: number
    revision: number
  }
  dashboards: {
    project_id: string
    id: string
    name: string
    widgets: string
    created_by: string
    created_at: number
    updated_at: number
    revision: number
  }
}

export type DocumentDatabase = Database & DocumentTables

export function documentDb(db: Kysely<Database>): Kysely<DocumentDatabase> {
  return db.withTables<DocumentTables>()
}

/** Reads one document row with its body under the common name `body`. */
export async function readDocument(
  db: Kysely<DocumentDatabase> | Transaction<DocumentDatabase>,
  spec: DocumentTable,
  projectId: string,
  id: string,
): Promise<(DocumentRow & { is_default?: number }) | null> {
  const row = await db
    .selectFrom(spec.table)
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
  return row ? toDocumentRow(spec, row as Record<string, unknown>) : null
}

export function toDocumentRow(
  spec: DocumentTable,
  row: Record<string, unknown>,
): DocumentRow & { is_default?: number } {
  return {
    project_id: row.project_id as string,
    id: row.id as string,
    name: row.name as string,
    body: row[spec.bodyColumn] as string,
    created_by: row.created_by as string,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    revision: Number(row.revision),
    ...(row.is_default !== undefined ? { is_default: Number(row.is_default) } : {}),
  }
}

/**
 * Creates or replaces a document in one transaction. Writing what is stored changes nothing,
 * whatever `baseRevision` says: a client that retries a write which succeeded is not told of a
 * conflict with itself.
 */
export async function putDocument(
  db: Kysely<DocumentDatabase>,
  adapter: DialectAdapter,
  spec: DocumentTable,
  input: PutDocumentInput,
  body: string,
): Promise<{ row: DocumentRow & { is_default?: number }; created: boolean }> {
  const { projectId, id, name, author, now, baseRevision } = input
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await readDocument(trx, spec, projectId, id)
      if (existing && existing.name === name && existing.body === body) {
        return { row: existing, created: false }
      }
      const current = existing?.revision ?? 0
      if (baseRevision !== undefined && baseRevision !== current) {
        throw new ConflictError(
          'REVISION_CONFLICT',
          existing
            ? `"${existing.name}" is at revision ${current}, not ${baseRevision}: someone saved it meanwhile; reload it and apply your change again`
            : `there is nothing at revision ${baseRevision} to replace: it was deleted meanwhile`,
          { revision: current },
        )
      }
      await checkNameFree(trx, spec, projectId, id, name)
      if (existing) {
        await trx
          .updateTable(spec.table)
          .set({ name, [spec.bodyColumn]: body, updated_at: now, revision: current + 1 })
          .where('project_id', '=', projectId)
          .where('id', '=', id)
          .execute()
      } else {
        const row = {
          project_id: projectId,
          id,
          name,
          created_by: author,
          created_at: now,
          updated_at: now,
          revision: 1,
        }
        if (spec.table === 'saved_views') {
          await trx
            .insertInto('saved_views')
            .values({ ...row, state: body, is_default: 0 })
            .execute()
        } else {
          await trx
            .insertInto('dashboards')
            .values({ ...row, widgets: body })
            .execute()
        }
      }
      const written = await readDocument(trx, spec, projectId, id)
      return { row: written!, created: existing === null }
    })
  } catch (error) {
    // Two writers creating the same name at once: the unique index decides.
    if (adapter.isUniqueViolation(error)) throw nameTaken(spec, name)
    throw error
  }
}

async function checkNameFree(
  trx: Transaction<DocumentDatabase>,
  spec: DocumentTable,
  projectId: string,
  id: string,
  name: string,
): Promise<void> {
  const clash = await trx
    .selectFrom(spec.table)
    .select('id')
    .where('project_id', '=', projectId)
    .where('name', '=', name)
    .where('id', '<>', id)
    .executeTakeFirst()
  if (clash) throw nameTaken(spec, name, clash.id)
}

function nameTaken(spec: DocumentTable, name: string, id?: string): ConflictError {
  const what = spec.table === 'saved_views' ? 'saved view' : 'dashboard'
  return new ConflictError(
    spec.nameExists,
    `the project has another ${what} named "${name}"; choose another name`,
    { field: 'name', ...(id !== undefined ? { id } : {}) },
  )
}

export async function deleteDocument(
  db: Kysely<DocumentDatabase>,
  spec: DocumentTable,
  projectId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom(spec.table)
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}
