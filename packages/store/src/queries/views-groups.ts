import { ValidationError, type FieldType, type ProjectVisibility } from '@nereid/core'
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import {
  and,
  compileWhere,
  isVirtualPath,
  queryPaths,
  type CompileEnv,
} from '../search/compile-query.js'
import { lookupPaths } from '../search/path-lookup.js'
import { VIRTUAL_COLUMNS } from '../search/virtual-columns.js'
import type { StoreContext } from '../store-context.js'
import type { GroupAggregate, GroupRequest, GroupStore, RunGroup } from '../store.js'

/** Field types a table can be grouped by: a value equal between objects means something. */
const GROUPABLE_TYPES: readonly FieldType[] = ['string', 'int', 'float', 'bool', 'runState']
const NUMERIC_TYPES: readonly FieldType[] = ['float', 'int', 'floatSeries']
const MAX_GROUPS = 1000
const MAX_AGGREGATES = 50

/** How the group value of an object is read. */
type GroupSource =
  | { kind: 'none' }
  | { kind: 'virtual'; type: FieldType; expression: RawBuilder<unknown> }
  | { kind: 'field'; pathId: number; types: FieldType[] }
  | { kind: 'set'; pathId: number }

/**
 * The aggregate rows of a grouped runs table: one statement groups the objects a query
 * matches by a field's value and summarizes numeric columns per group, so a table of 100,000
 * runs groups without sending them to the browser. A group's rows are then read with the
 * ordinary search and the group's condition added to the query.
 */
export function createGroupStore(context: StoreContext): GroupStore {
  const { db, adapter } = context
  return {
    async query(projectId, request) {
      checkRequest(request)
      const project = await db
        .selectFrom('projects')
        .select('visibility')
        .where('id', '=', projectId)
        .executeTakeFirst()
      if (project === undefined || request.kinds.length === 0) return { totalGroups: 0, groups: [] }
      const visibility = project.visibility as ProjectVisibility
      const aggregatePaths = [...new Set(request.aggregates ?? [])]
      const mentioned = queryPaths(request.query)
      const stored = [request.path, ...mentioned, ...aggregatePaths].filter(
        (path) => !isVirtualPath(path),
      )
      const env: CompileEnv = {
        ...(await lookupPaths(context, projectId, [...new Set(stored)])),
        regexpOperator: adapter.regexpOperator,
        caseSensitiveLike: adapter.caseSensitiveLike,
        visibility,
      }
      const filter = compileWhere(request.query, env)
      if (filter === false) return { totalGroups: 0, groups: [] }
      const source = groupSource(request.path, env)

      const includeTrashed = request.includeTrashed === true || mentioned.includes('sys/trashed')
      const scope = sql<SqlBool>`o.project_id = ${projectId} and o.kind in (${sql.join([...request.kinds])})${includeTrashed ? sql`` : sql` and o.trashed_at is null`}`
      const where = and([scope, filter])
      const whereSql = typeof where === 'boolean' ? sql`1 = 1` : where

      const { join: groupJoin, columns: groupColumns, keys } = groupSql(source)
      const aggregateJoins: RawBuilder<unknown>[] = []
      const aggregateColumns: RawBuilder<unknown>[] = []
      aggregatePaths.forEach((path, index) => {
        const value = aggregateValue(path, index, env, visibility, aggregateJoins)
        aggregateColumns.push(
          sql`, count(${value}) as ${sql.ref(`a${index}_n`)}, min(${value}) as ${sql.ref(`a${index}_min`)}, max(${value}) as ${sql.ref(`a${index}_max`)}, avg(${value}) as ${sql.ref(`a${index}_mean`)}`,
        )
      })
      const from = sql`objects o${groupJoin}${sql.join(aggregateJoins, sql``)}`
      const groupBy = keys.length > 0 ? sql` group by ${sql.join(keys)}` : sql``
      const order =
        keys.length > 0
          ? sql` order by ${sql.join(
              keys.map((key) => sql`(${key} is null), ${key}`),
              sql`, `,
            )}`
          : sql``
      const limit = request.limit
      const offset = request.offset ?? 0
      // All groups in one statement: counting them apart would group every object twice.
      const statement = sql<
        Record<string, unknown>
      >`select ${groupColumns}, count(*) as n${sql.join(aggregateColumns, sql``)} from ${from} where ${whereSql}${groupBy}${order}`
      const all = await statement.execute(db)
      // Without a group key the statement is one aggregate row, present even with no match.
      const rows = all.rows.filter((row) => Number(row.n) > 0)
      const matched = rows.slice(offset, offset + limit)
      const groups: RunGroup[] = matched.map((row) => ({
        ...groupValue(source, row),
        count: Number(row.n),
        aggregates: Object.fromEntries(
          aggregatePaths.map((path, index): [string, GroupAggregate] => [
            path,
            {
              count: Number(row[`a${index}_n`] ?? 0),
              min: numberOrNull(row[`a${index}_min`]),
              max: numberOrNull(row[`a${index}_max`]),
              mean: numberOrNull(row[`a${index}_mean`]),
            },
          ]),
        ),
      }))
      const totalGroups = rows.length
      return { totalGroups, groups }
    },
  }
}

function checkRequest(request: GroupRequest): void {
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > MAX_GROUPS) {
    throw new ValidationError(`limit must be an integer from 1 to ${MAX_GROUPS}`, {
      field: 'limit',
    })
  }
  const offset = request.offset ?? 0
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ValidationError('offset must be an integer of at least 0', { field: 'offset' })
  }
  if ((request.aggregates?.length ?? 0) > MAX_AGGREGATES) {
    throw new ValidationError(`at most ${MAX_AGGREGATES} columns can be summarized per group`, {
      field: 'aggregates',
    })
  }
}

function groupSource(path: string, env: CompileEnv): GroupSource {
  const virtual = VIRTUAL_COLUMNS.get(path)
  if (virtual !== undefined) {
    if (!GROUPABLE_TYPES.includes(virtual.type)) throw notGroupable(path, [virtual.type])
    return { kind: 'virtual', type: virtual.type, expression: virtual.expression(env.visibility) }
  }
  const pathId = env.pathIds.get(path)
  const types = pathId === undefined ? undefined : env.pathTypes.get(pathId)
  if (pathId === undefined || types === undefined || types.size === 0) return { kind: 'none' }
  if (types.has('stringSet')) {
    if (types.size > 1) throw notGroupable(path, [...types] as FieldType[])
    return { kind: 'set', pathId }
  }
  const groupable = GROUPABLE_TYPES.filter((type) => types.has(type))
  if (groupable.length === 0) throw notGroupable(path, [...types] as FieldType[])
  return { kind: 'field', pathId, types: groupable }
}

function notGroupable(path: string, types: FieldType[]): ValidationError {
  return new ValidationError(
    `"${path}" is a ${types.join(' / ')} field; group by a string, number or bool field, or by a tag set`,
    { field: 'groupBy', path },
  )
}

function groupSql(source: GroupSource): {
  join: RawBuilder<unknown>
  columns: RawBuilder<unknown>
  keys: RawBuilder<unknown>[]
} {
  switch (source.kind) {
    case 'none':
      return { join: sql``, columns: sql`null as g_type`, keys: [] }
    case 'virtual':
      return {
        join: sql``,
        columns: sql`${source.expression} as g_value`,
        keys: [source.expression],
      }
    case 'set':
      return {
        join: sql` left join string_set_values g on g.object_id = o.id and g.path_id = ${source.pathId}`,
        columns: sql`g.value as g_str`,
        keys: [sql`g.value`],
      }
    case 'field':
      return {
        join: sql` left join fields g on g.object_id = o.id and g.path_id = ${source.pathId} and g.type in (${sql.join(source.types)})`,
        columns: sql`g.type as g_type, g.num as g_num, g.str as g_str`,
        keys: [sql`g.type`, sql`g.num`, sql`g.str`],
      }
  }
}

function groupValue(
  source: GroupSource,
  row: Record<string, unknown>,
): Pick<RunGroup, 'value' | 'type'> {
  switch (source.kind) {
    case 'none':
      return { value: null, type: null }
    case 'virtual': {
      const raw = row.g_value
      if (raw === null || raw === undefined) return { value: null, type: null }
      return { value: typedValue(source.type, raw), type: source.type }
    }
    case 'set':
      return row.g_str === null || row.g_str === undefined
        ? { value: null, type: null }
        : { value: String(row.g_str), type: 'stringSet' }
    case 'field': {
      const type = row.g_type as FieldType | null
      if (type === null || type === undefined) return { value: null, type: null }
      return {
        value: typedValue(type, type === 'string' || type === 'runState' ? row.g_str : row.g_num),
        type,
      }
    }
  }
}

function typedValue(type: FieldType, raw: unknown): string | number | boolean {
  switch (type) {
    case 'bool':
      return Number(raw) === 1
    case 'int':
    case 'float':
      return Number(raw)
    default:
      return String(raw)
  }
}

/** The SQL value of one summarized column for `o`, adding the join it needs. */
function aggregateValue(
  path: string,
  index: number,
  env: CompileEnv,
  visibility: string,
  joins: RawBuilder<unknown>[],
): RawBuilder<unknown> {
  const virtual = VIRTUAL_COLUMNS.get(path)
  if (virtual !== undefined) {
    if (!['float', 'int'].includes(virtual.type)) throw notNumeric(path)
    return virtual.expression(visibility)
  }
  const pathId = env.pathIds.get(path)
  const alias = sql.ref(`a${index}`)
  if (pathId === undefined) return sql`cast(null as real)`
  const types = env.pathTypes.get(pathId) ?? new Set()
  const numeric = NUMERIC_TYPES.filter((type) => types.has(type))
  if (numeric.length === 0) return sql`cast(null as real)`
  joins.push(
    sql` left join fields ${alias} on ${alias}.object_id = o.id and ${alias}.path_id = ${pathId} and ${alias}.type in (${sql.join(numeric)})`,
  )
  return sql.ref(`a${index}.num`)
}

function notNumeric(path: string): ValidationError {
  return new ValidationError(`"${path}" is not a number; only numeric columns are summarized`, {
    field: 'aggregates',
    path,
  })
}

function numberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value)
}
