import { OBJECT_KINDS, parseQuery, type FieldType, type ObjectKind } from '@nereid/core'
import type { SearchSort } from '@nereid/store'
import type { FastifyInstance } from 'fastify'
import { fieldTypesOf, neptuneType, toAttributeDto } from '../attribute-dto.js'
import { resolveProject } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'

const AUTHENTICATED = { config: { permission: 'authenticated' as const } }

interface SearchParams {
  sorting?: { dir?: string; sortBy?: { name?: string; type?: string } }
  attributeFilters?: { path?: string }[]
  query?: { query?: string }
  pagination?: { limit?: number; offset?: number }
}

type TypeQuery = { projectIdentifier: string; type?: string | string[]; search?: string }

/** The container kinds a `type` query parameter names (runs when absent). */
function kindsOf(type: string | string[] | undefined): ObjectKind[] {
  const names = type === undefined ? ['run'] : [type].flat()
  return names.filter((name): name is ObjectKind =>
    (OBJECT_KINDS as readonly string[]).includes(name),
  )
}

/** Runs, models and model versions tables (`fetch_*_table`, protocol §9.4). */
export async function leaderboardRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  const { store, now } = deps

  app.post<{ Querystring: TypeQuery }>(
    '/api/leaderboard/v1/leaderboard/attributes/search',
    AUTHENTICATED,
    async (request) => {
      const project = await resolveProject(
        store,
        request.principal!,
        request.query.projectIdentifier ?? '',
        'read',
      )
      const fields = await store.fields.listProjectFields(project.id, {
        ...(request.query.search ? { search: request.query.search } : {}),
        kinds: kindsOf(request.query.type),
      })
      const entries = []
      for (const field of fields) {
        const type = neptuneType(field.type)
        if (type !== null) entries.push({ name: field.path, type })
      }
      return { entries }
    },
  )

  app.post<{ Querystring: TypeQuery; Body: SearchParams }>(
    '/api/leaderboard/v1/leaderboard/entries/search',
    AUTHENTICATED,
    async (request) => {
      const project = await resolveProject(
        store,
        request.principal!,
        request.query.projectIdentifier ?? '',
        'read',
      )
      const params = request.body ?? {}
      const { expr } = parseQuery(params.query?.query ?? '')
      const sortBy = params.sorting?.sortBy
      let sort: SearchSort | undefined
      if (sortBy?.name) {
        const type = sortType(sortBy.type)
        sort = {
          path: sortBy.name,
          direction: params.sorting?.dir === 'ascending' ? 'asc' : 'desc',
          ...(type ? { type } : {}),
        }
      }
      const columns = params.attributeFilters
        ?.map((filter) => filter.path)
        .filter((path): path is string => typeof path === 'string' && path !== '')
      const result = await store.search.query(
        project.id,
        {
          kinds: kindsOf(request.query.type),
          query: expr,
          ...(sort ? { sort } : {}),
          ...(columns ? { columns } : {}),
          limit: Math.min(10_000, Math.max(0, params.pagination?.limit ?? 100)),
          offset: Math.max(0, params.pagination?.offset ?? 0),
          // The client adds `sys/trashed = false` itself unless asked for trashed objects too.
          includeTrashed: true,
        },
        { now: now() },
      )
      return {
        matchingItemCount: result.total,
        entries: result.rows.map((row) => ({
          experimentId: row.object.id,
          type: row.object.kind,
          projectId: project.id,
          organizationId: project.workspaceId,
          attributes: row.fields.map(toAttributeDto).filter((dto) => dto !== null),
        })),
      }
    },
  )
}

/** The field type to sort as, for the attribute type the client looked up. */
function sortType(type: string | undefined): FieldType | undefined {
  if (type === undefined) return undefined
  if (type === 'integer') return 'int'
  return fieldTypesOf(type)[0]
}
