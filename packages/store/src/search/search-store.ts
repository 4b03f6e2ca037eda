import { LIMITS, OBJECT_KINDS, ValidationError, type ProjectVisibility } from '@nereid/core'
import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely'
import type { Database, ObjectsTable } from '../database.js'
import { loadObjectFields } from '../queries/field-reader.js'
import { toObjectRecord } from '../queries/rows.js'
import type { StoreContext } from '../store-context.js'
import type { SearchRequest, SearchResult, SearchStore } from '../store.js'
import {
  and,
  compileFilter,
  isVirtualPath,
  planSort,
  queryPaths,
  type CompileEnv,
  type CompiledFilter,
  type Predicate,
  type SortPlan,
} from './compile-query.js'
import { CountCache } from './count-cache.js'
import { lookupPaths } from './path-lookup.js'

/** Counts of 10,000 and more are reused for 2 s (see CountCache). */
const LARGE_COUNT = 10_000
const COUNT_CACHE = { ttlMs: 2_000, maxEntries: 256 }

/** How far back from a page's start its field order looks for the first key of a tie. */
const KEY_WINDOW = 64

/**
 * Runs-table search: NQL filter, sort, count and one page of objects with their fields.
 *
 * After the path ids and their types are looked up (cached, plus one small query) a search
 * takes two or three statements: the count and the page (or one statement giving both), then
 * one query for the fields of the page. Never a query per row.
 *
 * How the page is read depends on how many objects match (see `SearchStatements.run`):
 * walking the sort field's index until the page is full is fastest when many match; starting
 * from the most selective condition's index and sorting the matches when few do.
 *
 * A deep page costs little more than the first when nothing filters it: the default order
 * (created_at) and sys/id are read from indexes that hold the whole order of the objects not
 * in the trash (migration 0007), so skipping reads no table row; a field order finds where
 * the page starts from the field's index alone (`#keyStart`). Large counts are reused for a
 * moment (`CountCache`). A filtered deep page still tests the filter on every object it skips.
 */
export function createSearchStore(context: StoreContext): SearchStore {
  const { db, adapter } = context
  const counts = new CountCache<Counts>(COUNT_CACHE)

  return {
    async query(projectId, request, clock): Promise<SearchResult> {
      checkPaging(request)
      const project = await db
        .selectFrom('projects')
        .select('visibility')
        .where('id', '=', projectId)
        .executeTakeFirst()
      if (project === undefined || request.kinds.length === 0) return { total: 0, rows: [] }

      const mentioned = queryPaths(request.query)
      const stored = new Set(mentioned.filter((path) => !isVirtualPath(path)))
      if (request.sort !== undefined && !isVirtualPath(request.sort.path)) {
        stored.add(request.sort.path)
      }
      const env: CompileEnv = {
        ...(await lookupPaths(context, projectId, [...stored])),
        regexpOperator: adapter.regexpOperator,
        caseSensitiveLike: adapter.caseSensitiveLike,
        visibility: project.visibility,
      }
      const filter = compileFilter(request.query, env)
      if (filter.predicate === false) return { total: 0, rows: [] }
      const statements = new SearchStatements(db, adapter.maxParamsPerStatement, counts, {
        now: clock.now,
        projectId,
        kinds: request.kinds,
        includeTrashed: request.includeTrashed === true || mentioned.includes('sys/trashed'),
        filter,
        sort: planSort(request.sort, env),
      })
      const { total, rows } = await statements.run(request.limit, request.offset)

      const visibility = project.visibility as ProjectVisibility
      const objects = rows.map((row) => ({ object: toObjectRecord(row), visibility }))
      const fields = await loadObjectFields(context, objects, request.columns)
      return {
        total,
        rows: objects.map(({ object }) => ({ object, fields: fields.get(object.id) ?? [] })),
      }
    },
  }
}

interface SearchShape {
  now: number
  projectId: string
  kinds: readonly string[]
  includeTrashed: boolean
  filter: CompiledFilter
  sort: SortPlan
}

type ObjectRow = Selectable<ObjectsTable>
type Estimate = { driven: number; objects: number; total: number | null }
type Counts = number | Estimate
type Source = { from: RawBuilder<unknown>; where: RawBuilder<SqlBool> }

/**
 * The statements of one search, as parameterized SQL over `objects o`. Only fixed SQL text
 * (names, `asc`/`desc`) is spliced in; every value is a bound parameter.
 *
 * A `CROSS JOIN` after a driver's table keeps SQLite from reordering the join, so the search
 * starts from the index the driver names; PostgreSQL plans it as an ordinary inner join.
 */
class SearchStatements {
  readonly #db: Kysely<Database>
  readonly #maxParams: number
  readonly #counts: CountCache<Counts>
  readonly #shape: SearchShape
  readonly #scope: RawBuilder<SqlBool>
  readonly #direction: RawBuilder<unknown>

  constructor(
    db: Kysely<Database>,
    maxParams: number,
    counts: CountCache<Counts>,
    shape: SearchShape,
  ) {
    this.#db = db
    this.#maxParams = maxParams
    this.#counts = counts
    this.#shape = shape
    const trashed = shape.includeTrashed ? sql`` : sql` and o.trashed_at is null`
    const kinds = sql.join([...shape.kinds])
    this.#scope = sql<SqlBool>`o.project_id = ${shape.projectId} and o.kind in (${kinds})${trashed}`
    this.#direction = sql.raw(shape.sort.direction === 'asc' ? 'asc' : 'desc')
  }

  async run(limit: number, offset: number): Promise<{ total: number; rows: ObjectRow[] }> {
    const { sort, filter, kinds } = this.#shape
    const window = offset + limit
    // Walking the sort order reads about window × N / total objects before the page is full;
    // starting from the matches reads about `total` of them (through a driver) or all N.
    const ordered = sort.kind === 'field' || (sort.kind === 'created' && kinds.length === 1)
    const estimate = filter.driver !== null && ordered ? await this.#estimate() : null
    let total = estimate?.total ?? null
    if (total === null && filter.driver !== null && limit > 0) {
      // Taking `total` to be the driver's row count: reading the matches costs about
      // driven + total, counting them and then walking the order driven + window × N / total.
      if (estimate === null || window * estimate.objects >= estimate.driven * estimate.driven) {
        // One statement gives the page and, through a window count, the total.
        const rows = await this.#sortedMatches(limit, offset, true)
        const first = rows[0]
        if (first !== undefined) return { total: Number(first.total), rows: rows.map(withoutTotal) }
        return { total: offset === 0 ? 0 : await this.#count(), rows: [] }
      }
    }
    total ??= await this.#count()
    if (total === 0 || limit === 0 || offset >= total) return { total, rows: [] }
    // Without a driver, reading the matches means reading all N objects: more than walking
    // the order as soon as the page ends before the last match. Unfiltered, a field order
    // finds where any page starts from the field's index alone, so it is walked to the end.
    const keyset = sort.kind === 'field' && sort.types === null && filter.predicate === true
    const inOrder =
      ordered &&
      (total > window || keyset) &&
      (estimate === null || window * estimate.objects < total * (estimate.driven + total))
    if (!inOrder) return { total, rows: await this.#sortedMatches(limit, offset, false) }
    if (sort.kind !== 'field') {
      return {
        total,
        rows: await this.#run<ObjectRow>(this.#createdOrder(this.#all(), limit, offset)),
      }
    }
    return { total, rows: await this.#fieldOrder(sort, limit, offset) }
  }

  async #count(): Promise<number> {
    const { from, where } = this.#matching()
    const statement = sql`select count(*) as total from ${from} where ${where}`
    const key = this.#key(statement)
    const cached = this.#counts.get(key, this.#shape.now)
    if (typeof cached === 'number') return cached
    const rows = await this.#run<{ total: number | string }>(statement)
    const total = Number(rows[0]?.total ?? 0)
    if (total >= LARGE_COUNT) this.#counts.set(key, total, this.#shape.now)
    return total
  }

  /** What identifies a count: its statement and parameters. */
  #key(statement: RawBuilder<unknown>): string {
    const compiled = statement.compile(this.#db)
    return `${compiled.sql}\n${JSON.stringify(compiled.parameters)}`
  }

  /**
   * From indexes alone: how many rows the driver's index holds for its condition (at least the
   * matches) and how many objects of these kinds the project has. When the driver is the whole
   * filter, also the exact total: every row of a path of the project belongs to an object of
   * the project, so the total is the driver's rows less those of objects out of scope (other
   * kinds, trashed), which are few.
   */
  async #estimate(): Promise<Estimate> {
    const { filter, projectId, includeTrashed } = this.#shape
    const driver = filter.driver!
    const kinds = sql.join([...this.#shape.kinds])
    const driven = sql`(select count(*) from ${driver.from} where ${driver.where})`
    const objects = sql`(select count(*) from objects o where o.project_id = ${projectId} and o.kind in (${kinds}))`
    let excluded: RawBuilder<unknown> = sql`null`
    if (filter.rest === true) {
      const trashed = includeTrashed ? sql`` : sql` or o.trashed_at is not null`
      const out = sql`(o.kind not in (${kinds})${trashed})`
      const matches = sql`exists (select 1 from ${driver.from} where d.object_id = o.id and ${driver.where})`
      excluded = sql`(select count(*) from objects o where o.project_id = ${projectId} and ${out} and ${matches})`
    }
    const statement = sql`select ${driven} as driven, ${objects} as objects, ${excluded} as excluded`
    const key = this.#key(statement)
    const cached = this.#counts.get(key, this.#shape.now)
    if (cached !== undefined && typeof cached !== 'number') return cached
    const rows =
      await this.#run<Record<'driven' | 'objects' | 'excluded', number | string | null>>(statement)
    const row = rows[0]
    const count = Number(row?.driven ?? 0)
    const estimate = {
      driven: count,
      objects: Number(row?.objects ?? 0),
      total:
        row?.excluded === null || row?.excluded === undefined ? null : count - Number(row.excluded),
    }
    // Without a total the estimate only picks a plan, so a slightly old one cannot make a
    // result wrong: it is kept whatever its size (a scrolling table asks again for each page).
    if (estimate.total === null || count >= LARGE_COUNT) {
      this.#counts.set(key, estimate, this.#shape.now)
    }
    return estimate
  }

  /** The matching objects: from the driver's index when there is one, else from `objects`. */
  #matching(extra: Predicate = true): Source {
    const { driver, rest } = this.#shape.filter
    if (driver === null) return { from: sql`objects o`, where: this.#where([rest, extra]) }
    return {
      from: sql`${driver.from} cross join objects o`,
      where: this.#where([driver.where, sql<SqlBool>`o.id = d.object_id`, rest, extra]),
    }
  }

  #all(): Source {
    return { from: sql`objects o`, where: this.#where([this.#shape.filter.predicate]) }
  }

  #where(parts: Predicate[]): RawBuilder<SqlBool> {
    const where = and([this.#scope, ...parts])
    return typeof where === 'boolean' ? sql<SqlBool>`${sql.lit(where ? 1 : 0)} = 1` : where
  }

  /** All matches, sorted (a temporary sort of the matches): best when few objects match. */
  #sortedMatches(
    limit: number,
    offset: number,
    withTotal: boolean,
  ): Promise<(ObjectRow & { total?: number | string })[]> {
    const { sort } = this.#shape
    const { from, where } = this.#matching()
    let join: RawBuilder<unknown> = sql``
    let keys: RawBuilder<unknown>[] = []
    if (sort.kind === 'field') {
      const types = typeTest('sf', sort.types)
      join = sql` left join fields sf on sf.object_id = o.id and sf.path_id = ${sort.pathId}${types}`
      keys = [sql.ref(`sf.${sort.column}`)]
    } else if (sort.kind === 'computed') {
      if (sort.join?.table === 'fields') {
        const types = typeTest('sf', sort.join.types)
        join = sql` left join fields sf on sf.object_id = o.id and sf.path_id = ${sort.join.pathId}${types}`
      } else if (sort.join?.table === 'series') {
        join = sql` left join series ss on ss.object_id = o.id and ss.path_id = ${sort.join.pathId} and ss.type = 'floatSeries'`
      }
      keys = sort.keys
    }
    const order = sql.join(
      [...keys.map((key) => sql`${key} ${this.#direction} nulls last`), ...this.#tieBreakers()],
      sql`, `,
    )
    const total = withTotal ? sql`, count(*) over () as total` : sql``
    return this.#run(
      sql`select o.*${total} from ${from}${join} where ${where} order by ${order} limit ${limit} offset ${offset}`,
    )
  }

  #createdOrder({ from, where }: Source, limit: number, offset: number): RawBuilder<ObjectRow> {
    const order = sql.join(this.#tieBreakers(), sql`, `)
    return sql<ObjectRow>`select o.* from ${from} where ${where} order by ${order} limit ${limit} offset ${offset}`
  }

  #tieBreakers(): RawBuilder<unknown>[] {
    return [sql`o.created_at ${this.#direction}`, sql`o.id ${this.#direction}`]
  }

  /**
   * In sort-field order: the objects with a value, walked along the (path_id, num|str) index,
   * then, if the page reaches past them, the objects without one by created_at, id.
   */
  async #fieldOrder(
    sort: Extract<SortPlan, { kind: 'field' }>,
    limit: number,
    offset: number,
  ): Promise<ObjectRow[]> {
    const column = sql.ref(`sf.${sort.column}`)
    const types = typeTest('sf', sort.types)
    const keyed = sql<SqlBool>`sf.path_id = ${sort.pathId} and ${column} is not null${types}`
    const ordered = (bound: Predicate): RawBuilder<SqlBool> =>
      this.#where([keyed, bound, sql<SqlBool>`o.id = sf.object_id`, this.#shape.filter.predicate])
    const start =
      sort.types === null && this.#shape.filter.predicate === true && offset > 0
        ? await this.#keyStart(sort, offset)
        : null

    let rows: ObjectRow[] = []
    let keyedTotal: number
    if (start !== null && 'keyed' in start) {
      keyedTotal = start.keyed
    } else {
      const from =
        start === null
          ? true
          : sql<SqlBool>`${column} ${sql.raw(sort.direction === 'desc' ? '<=' : '>=')} ${start.key}`
      const order = sql.join([sql`${column} ${this.#direction}`, ...this.#tieBreakers()], sql`, `)
      rows = await this.#run<ObjectRow>(
        sql`select o.* from fields sf cross join objects o where ${ordered(from)} order by ${order} limit ${limit} offset ${offset - (start?.before ?? 0)}`,
      )
      if (rows.length === limit) return rows
      keyedTotal = offset + rows.length
    }
    if (rows.length === 0 && offset > 0 && !(start !== null && 'keyed' in start)) {
      const counted = await this.#run<{ total: number | string }>(
        sql`select count(*) as total from fields sf cross join objects o where ${ordered(true)}`,
      )
      keyedTotal = Number(counted[0]?.total ?? 0)
    }
    const lacking = sql<SqlBool>`not exists (select 1 from fields sf where sf.object_id = o.id and ${keyed})`
    const missing = await this.#run<ObjectRow>(
      this.#createdOrder(
        this.#matching(lacking),
        limit - rows.length,
        Math.max(0, offset - keyedTotal),
      ),
    )
    return [...rows, ...missing]
  }

  /**
   * Where a page of an unfiltered field order starts, from the field's index alone, so that a
   * deep page does not read every object it skips: `key`, the sort key of the object at
   * `offset`, and `before`, how many objects in the search have a key that sorts before it
   * (the page is then the objects from `key` on, less the first `offset - before`). When the
   * index holds no more than `offset` keys, `keyed` is how many objects in the search have one.
   *
   * The index also holds the keys of objects the search leaves out (other kinds, trashed
   * ones): they can only move the key at `offset` later in the order, never past the page's
   * first object, and the few that sort before it are counted and subtracted.
   */
  async #keyStart(
    sort: Extract<SortPlan, { kind: 'field' }>,
    offset: number,
  ): Promise<{ key: number | string; before: number } | { keyed: number }> {
    const column = sql.ref(`sf.${sort.column}`)
    const keyed = sql<SqlBool>`sf.path_id = ${sort.pathId} and ${column} is not null`
    const first = Math.max(0, offset - KEY_WINDOW)
    const keys = await this.#run<{ k: number | string }>(
      sql`select ${column} as k from fields sf where ${keyed} order by ${column} ${this.#direction} limit ${offset - first + 1} offset ${first}`,
    )
    const last = keys.at(-1)
    if (last === undefined || keys.length < offset - first + 1) {
      let indexed = first + keys.length
      if (keys.length === 0 && first > 0) {
        const counted = await this.#run<{ total: number | string }>(
          sql`select count(*) as total from fields sf where ${keyed}`,
        )
        indexed = Number(counted[0]?.total ?? 0)
      }
      return { keyed: indexed - (await this.#outOfScopeKeys(sort, null)) }
    }
    const key = last.k
    const tie = keys.findIndex((row) => Object.is(row.k, key))
    let before = first + tie
    if (tie < 0 || (tie === 0 && first > 0)) {
      // A tie longer than the window: count the keys before it.
      const counted = await this.#run<{ total: number | string }>(
        sql`select count(*) as total from fields sf where ${keyed} and ${this.#before(column, key)}`,
      )
      before = Number(counted[0]?.total ?? 0)
    }
    return { key, before: before - (await this.#outOfScopeKeys(sort, key)) }
  }

  /**
   * How many objects of the project that the search leaves out have a key for the sort field,
   * sorting before `key` when given: found from the objects left out, which are few.
   */
  async #outOfScopeKeys(
    sort: Extract<SortPlan, { kind: 'field' }>,
    key: number | string | null,
  ): Promise<number> {
    const { projectId, kinds, includeTrashed } = this.#shape
    const column = sql.ref(`d.${sort.column}`)
    const bound = key === null ? sql`` : sql` and ${this.#before(column, key)}`
    const keyedBy = sql<SqlBool>`d.object_id = o.id and d.path_id = ${sort.pathId} and ${column} is not null${bound}`
    const counts: RawBuilder<unknown>[] = []
    const others = OBJECT_KINDS.filter((kind) => !kinds.includes(kind))
    if (others.length > 0) {
      counts.push(
        sql`(select count(*) from objects o cross join fields d where o.project_id = ${projectId} and o.kind in (${sql.join(others)}) and ${keyedBy})`,
      )
    }
    if (!includeTrashed) {
      counts.push(
        sql`(select count(*) from objects o cross join fields d where o.trashed_at is not null and o.project_id = ${projectId} and o.kind in (${sql.join([...kinds])}) and ${keyedBy})`,
      )
    }
    if (counts.length === 0) return 0
    const rows = await this.#run<{ total: number | string }>(
      sql`select ${sql.join(counts, sql` + `)} as total`,
    )
    return Number(rows[0]?.total ?? 0)
  }

  /** `column` sorts before `key` in the search's direction. */
  #before(column: RawBuilder<unknown>, key: number | string): RawBuilder<SqlBool> {
    return sql<SqlBool>`${column} ${sql.raw(this.#shape.sort.direction === 'desc' ? '>' : '<')} ${key}`
  }

  async #run<R>(statement: RawBuilder<unknown>): Promise<R[]> {
    const compiled = statement.compile(this.#db)
    if (compiled.parameters.length > this.#maxParams) {
      throw new ValidationError(
        `the query is too large: it needs ${compiled.parameters.length} parameters, more than the ${this.#maxParams} one statement may carry`,
        { parameters: compiled.parameters.length },
        'NQL_SYNTAX_ERROR',
      )
    }
    const result = await this.#db.executeQuery<R>(compiled)
    return result.rows
  }
}

function withoutTotal(row: ObjectRow & { total?: number | string }): ObjectRow {
  const { total: _total, ...object } = row
  return object
}

function typeTest(alias: 'sf', types: readonly string[] | null): RawBuilder<unknown> {
  return types === null ? sql`` : sql` and ${sql.ref(`${alias}.type`)} in (${sql.join([...types])})`
}

function checkPaging(request: SearchRequest): void {
  const { limit, offset } = request
  if (!Number.isInteger(limit) || limit < 0 || limit > LIMITS.maxSearchLimit) {
    throw new ValidationError(`limit must be an integer from 0 to ${LIMITS.maxSearchLimit}`, {
      field: 'limit',
    })
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ValidationError('offset must be an integer of at least 0', { field: 'offset' })
  }
}
