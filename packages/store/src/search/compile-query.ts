import {
  ValidationError,
  type FieldType,
  type NqlAggregate,
  type NqlCondition,
  type NqlExpr,
  type NqlFieldType,
  type NqlOperator,
  type NqlValue,
} from '@nereid/core'
import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { SearchSort } from '../store.js'
import {
  boolValue,
  datetimeValue,
  likeContainsPattern,
  literalRegex,
  numberValue,
  parseIsoDate,
  stateValue,
  textValue,
} from './query-values.js'
import { VIRTUAL_COLUMNS, type VirtualColumn } from './virtual-columns.js'

/**
 * Compiles an NQL AST into a WHERE expression over `objects as o`, and a sort into the joins
 * and ORDER BY keys of the page query. The semantics are documented in docs/nql.md; in short:
 *
 * - A condition on a stored field is an `EXISTS` over that object's `fields` row (or its
 *   `string_set_values` / `series` row), found through the (object_id, path_id) keys.
 * - `!=`, `NOT CONTAINS`, `NOT MATCHES` and `NOT EXISTS` are the negation of their positive
 *   form, so objects that lack the field match them.
 * - A condition on a path no object of the project has is false; no SQL is made for it.
 * - Typed conditions match fields of that type (float and int alike); untyped ones infer what
 *   they compare from the value (see `untypedTargets`).
 *
 * Every value is a bound parameter. The only SQL text made here is fixed: column names,
 * operators from a closed list, and the dialect's regular-expression operator.
 */

/** A compiled condition: a constant, or a two-valued SQL predicate (never NULL). */
export type Predicate = boolean | RawBuilder<SqlBool>

export interface CompileEnv {
  /** path → path_id for the stored paths the query and sort use; missing paths are absent. */
  readonly pathIds: ReadonlyMap<string, number>
  /**
   * path_id → the types the path has in the project (`project_fields`, a superset: a type is
   * never removed). Lets the compiler drop type tests that cannot fail and conditions that
   * cannot match.
   */
  readonly pathTypes: ReadonlyMap<number, ReadonlySet<string>>
  readonly regexpOperator: 'REGEXP' | '~'
  /** Whether LIKE is case-sensitive on this dialect (then CONTAINS needs no regex). */
  readonly caseSensitiveLike?: boolean
  /** The project's visibility (sys/visibility of its metadata object). */
  readonly visibility: string
}

type PositiveOperator = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'MATCHES' | 'EXISTS'
type CompareOperator = '=' | '<' | '<=' | '>' | '>='
type OperatorClass = 'eq' | 'order' | 'contains' | 'matches' | 'exists'

const NEGATED: Partial<Record<NqlOperator, PositiveOperator>> = {
  '!=': '=',
  'NOT CONTAINS': 'CONTAINS',
  'NOT MATCHES': 'MATCHES',
  'NOT EXISTS': 'EXISTS',
}

const OPERATOR_CLASS: Record<PositiveOperator, OperatorClass> = {
  '=': 'eq',
  '<': 'order',
  '<=': 'order',
  '>': 'order',
  '>=': 'order',
  CONTAINS: 'contains',
  MATCHES: 'matches',
  EXISTS: 'exists',
}

/** SQL text of each comparison operator: a closed list, so safe to place in the statement. */
const COMPARE_SQL: Record<CompareOperator, RawBuilder<unknown>> = {
  '=': sql.raw('='),
  '<': sql.raw('<'),
  '<=': sql.raw('<='),
  '>': sql.raw('>'),
  '>=': sql.raw('>='),
}

/** Field types whose `fields.str` holds the value string conditions compare. */
const TEXT_TYPES: readonly FieldType[] = [
  'string',
  'stringSeries',
  'file',
  'artifact',
  'gitRef',
  'notebookRef',
]

/** Which operator classes each type accepts (EXISTS is accepted by all). */
const TYPE_OPERATORS: Record<FieldType, readonly OperatorClass[]> = {
  float: ['eq', 'order'],
  int: ['eq', 'order'],
  datetime: ['eq', 'order'],
  floatSeries: ['eq', 'order'],
  bool: ['eq'],
  runState: ['eq'],
  string: ['eq', 'order', 'contains', 'matches'],
  stringSeries: ['eq', 'order', 'contains', 'matches'],
  file: ['eq', 'order', 'contains', 'matches'],
  artifact: ['eq', 'order', 'contains', 'matches'],
  gitRef: ['eq', 'order', 'contains', 'matches'],
  notebookRef: ['eq', 'order', 'contains', 'matches'],
  stringSet: ['contains'],
  fileSeries: [],
  fileSet: [],
}

/** Types sorted by `fields.num`; every other type sorts by `fields.str`. */
const NUMERIC_SORT_TYPES: readonly FieldType[] = [
  'float',
  'int',
  'datetime',
  'bool',
  'floatSeries',
  'fileSet',
]
const TEXT_SORT_TYPES: readonly FieldType[] = [...TEXT_TYPES, 'stringSet', 'runState']

/** Above this many characters a CONTAINS skips the LIKE pre-filter (SQLite caps LIKE patterns). */
const MAX_LIKE_TEXT = 10_000

/** What a condition tests of one value. */
type Test =
  | { kind: 'compare'; operator: CompareOperator; value: number | string }
  | { kind: 'contains'; text: string }
  | { kind: 'matches'; pattern: string }
  | { kind: 'exists' }

/** Where a stored-field condition looks. */
type Target =
  /** The field row, when its type is one of `types` (any type when null). */
  | { source: 'field'; types: readonly FieldType[] | null; column: 'num' | 'str'; test: Test }
  /** A value of the string set. */
  | { source: 'set'; value: string }
  /** A summary of the float series. */
  | { source: 'series'; aggregate: Exclude<NqlAggregate, 'last'>; test: Test }

// PREDICATE ALGEBRA

export function and(items: Predicate[]): Predicate {
  const parts: RawBuilder<SqlBool>[] = []
  for (const item of items) {
    if (item === false) return false
    if (item !== true) parts.push(item)
  }
  if (parts.length === 0) return true
  return balanced(parts, sql` and `)
}

export function or(items: Predicate[]): Predicate {
  const parts: RawBuilder<SqlBool>[] = []
  for (const item of items) {
    if (item === true) return true
    if (item !== false) parts.push(item)
  }
  if (parts.length === 0) return false
  return balanced(parts, sql` or `)
}

/**
 * Joins predicates with one operator as a tree of groups of at most 8, so the SQL expression
 * stays shallow however many conditions a query joins (SQLite refuses expression trees deeper
 * than 1000; a flat `a or b or …` is as deep as it is long).
 */
function balanced(
  parts: RawBuilder<SqlBool>[],
  operator: RawBuilder<unknown>,
): RawBuilder<SqlBool> {
  if (parts.length === 1) return parts[0]!
  if (parts.length <= 8) return sql<SqlBool>`(${sql.join(parts, operator)})`
  const size = Math.ceil(parts.length / 8)
  const groups: RawBuilder<SqlBool>[] = []
  for (let start = 0; start < parts.length; start += size) {
    groups.push(balanced(parts.slice(start, start + size), operator))
  }
  return balanced(groups, operator)
}

export function not(item: Predicate): Predicate {
  return typeof item === 'boolean' ? !item : sql<SqlBool>`(not ${item})`
}

// QUERY

/**
 * A condition that can drive the search: its rows are found through an index of
 * `fields` or `string_set_values` (aliased `d`), and each leads to one object. Driving by the
 * most selective index costs about what checking that condition on every object costs, and
 * much less when few objects match.
 */
export interface Driver {
  /** `fields d` or `string_set_values d`. */
  readonly from: RawBuilder<unknown>
  /** The condition over `d` alone (join it with `o.id = d.object_id`). */
  readonly where: RawBuilder<SqlBool>
  /** 0: equality, 1: range, 2: presence. Lower is usually more selective. */
  readonly rank: number
}

export interface CompiledFilter {
  /** The whole filter. */
  readonly predicate: Predicate
  /** A top-level conjunct that can drive the search, if any. */
  readonly driver: Driver | null
  /** The filter without the driver's conjunct (equal to `predicate` when there is no driver). */
  readonly rest: Predicate
}

export function compileFilter(expr: NqlExpr | null, env: CompileEnv): CompiledFilter {
  if (expr === null) return { predicate: true, driver: null, rest: true }
  const conjuncts: NqlExpr[] = []
  const flatten = (node: NqlExpr): void => {
    if (node.kind === 'and') node.items.forEach(flatten)
    else conjuncts.push(node)
  }
  flatten(expr)
  const compiled = conjuncts.map((node) =>
    node.kind === 'condition'
      ? compileCondition(node, env)
      : { predicate: compileWhere(node, env), driver: null },
  )
  const predicate = and(compiled.map((item) => item.predicate))
  if (typeof predicate === 'boolean') return { predicate, driver: null, rest: predicate }
  let best = -1
  compiled.forEach((item, index) => {
    if (item.driver !== null && (best < 0 || item.driver.rank < compiled[best]!.driver!.rank))
      best = index
  })
  if (best < 0) return { predicate, driver: null, rest: predicate }
  const rest = and(compiled.filter((_, index) => index !== best).map((item) => item.predicate))
  return { predicate, driver: compiled[best]!.driver, rest }
}

export function compileWhere(expr: NqlExpr | null, env: CompileEnv): Predicate {
  if (expr === null) return true
  switch (expr.kind) {
    case 'condition':
      return compileCondition(expr, env).predicate
    case 'and':
      return and(expr.items.map((item) => compileWhere(item, env)))
    case 'or':
      return compileOr(expr.items, env)
    case 'not':
      return not(compileWhere(expr.expr, env))
  }
}

/** Every path the query names, in order of first mention. */
export function queryPaths(expr: NqlExpr | null): string[] {
  const paths = new Set<string>()
  const walk = (node: NqlExpr): void => {
    switch (node.kind) {
      case 'condition':
        paths.add(node.field.path)
        return
      case 'and':
      case 'or':
        node.items.forEach(walk)
        return
      case 'not':
        walk(node.expr)
    }
  }
  if (expr !== null) walk(expr)
  return [...paths]
}

export function isVirtualPath(path: string): boolean {
  return VIRTUAL_COLUMNS.has(path)
}

interface CompiledCondition {
  predicate: Predicate
  driver: Driver | null
}

function compileCondition(condition: NqlCondition, env: CompileEnv): CompiledCondition {
  const negated = NEGATED[condition.operator]
  const operator = negated ?? (condition.operator as PositiveOperator)
  const virtual = VIRTUAL_COLUMNS.get(condition.field.path)
  if (virtual !== undefined) {
    const positive = virtualPredicate(condition, operator, virtual, env)
    return { predicate: negated === undefined ? positive : not(positive), driver: null }
  }
  const targets = storedTargets(condition, operator)
  const pathId = env.pathIds.get(condition.field.path)
  const possible =
    pathId === undefined ? [] : pruneTargets(targets, env.pathTypes.get(pathId) ?? new Set())
  const positive = pathId === undefined ? false : storedPredicate(pathId, possible, env)
  if (negated !== undefined) return { predicate: not(positive), driver: null }
  return { predicate: positive, driver: pathId === undefined ? null : driverOf(pathId, possible) }
}

/**
 * Keeps the targets the path's types allow; a type test that every type of the path passes is
 * dropped (null), so the condition reads only the index it needs.
 */
function pruneTargets(targets: Target[], pathTypes: ReadonlySet<string>): Target[] {
  const result: Target[] = []
  for (const target of targets) {
    if (target.source === 'set') {
      if (pathTypes.has('stringSet')) result.push(target)
    } else if (target.source === 'series') {
      if (pathTypes.has('floatSeries')) result.push(target)
    } else if (target.types === null) {
      if (pathTypes.size > 0) result.push(target)
    } else {
      const types = target.types.filter((type) => pathTypes.has(type))
      if (types.length === 0) continue
      const all = [...pathTypes].every((type) => types.includes(type as FieldType))
      result.push({ ...target, types: all ? null : types })
    }
  }
  return result
}

function driverOf(pathId: number, targets: Target[]): Driver | null {
  if (targets.length !== 1) return null
  const target = targets[0]!
  if (target.source === 'set') {
    return {
      from: sql`string_set_values d`,
      where: sql<SqlBool>`d.path_id = ${pathId} and d.value = ${target.value}`,
      rank: 0,
    }
  }
  if (target.source !== 'field') return null
  const { test } = target
  if (test.kind !== 'compare' && test.kind !== 'exists') return null
  const typeTest = target.types === null ? sql`` : sql` and d.type in (${sql.join(target.types)})`
  const valueTest =
    test.kind === 'compare'
      ? sql` and ${sql.ref(`d.${target.column}`)} ${COMPARE_SQL[test.operator]} ${test.value}`
      : sql``
  return {
    from: sql`fields d`,
    where: sql<SqlBool>`d.path_id = ${pathId}${valueTest}${typeTest}`,
    rank: test.kind === 'exists' ? 2 : test.operator === '=' ? 0 : 1,
  }
}

// STORED FIELDS

/**
 * OR: positive conditions on the same stored path share one EXISTS (equalities become one
 * IN list), so a long list of alternatives (`sys/tags CONTAINS a OR … CONTAINS z`) costs one
 * lookup per object rather than one per alternative.
 */
function compileOr(items: NqlExpr[], env: CompileEnv): Predicate {
  const byPath = new Map<number, Target[]>()
  const others: Predicate[] = []
  for (const item of items) {
    if (
      item.kind !== 'condition' ||
      NEGATED[item.operator] !== undefined ||
      VIRTUAL_COLUMNS.has(item.field.path)
    ) {
      others.push(compileWhere(item, env))
      continue
    }
    const targets = storedTargets(item, item.operator as PositiveOperator)
    const pathId = env.pathIds.get(item.field.path)
    if (pathId === undefined) continue
    const possible = pruneTargets(targets, env.pathTypes.get(pathId) ?? new Set())
    const known = byPath.get(pathId)
    if (known === undefined) byPath.set(pathId, possible)
    else known.push(...possible)
  }
  for (const [pathId, targets] of byPath) others.push(storedPredicate(pathId, targets, env))
  return or(others)
}

function storedPredicate(pathId: number, targets: Target[], env: CompileEnv): Predicate {
  const fieldTests: Predicate[] = []
  const equalities = new Map<
    string,
    { target: Target & { source: 'field' }; values: (number | string)[] }
  >()
  const setValues: string[] = []
  const seriesTests: Predicate[] = []
  for (const target of targets) {
    if (target.source === 'field') {
      if (target.test.kind === 'compare' && target.test.operator === '=') {
        const key = `${target.column} ${target.types?.join(',') ?? '*'}`
        const group = equalities.get(key) ?? { target, values: [] }
        group.values.push(target.test.value)
        equalities.set(key, group)
      } else {
        fieldTests.push(
          fieldTest(target, applyTest(sql.ref(`f.${target.column}`), target.test, env)),
        )
      }
    } else if (target.source === 'set') {
      setValues.push(target.value)
    } else {
      seriesTests.push(applyTest(seriesAggregate('s', target.aggregate), target.test, env))
    }
  }
  for (const { target, values } of equalities.values()) {
    const column = sql.ref(`f.${target.column}`)
    fieldTests.push(fieldTest(target, sql<SqlBool>`${column} ${equalsAny(values)}`))
  }
  const parts: Predicate[] = []
  if (fieldTests.length > 0) {
    const test = or(fieldTests)
    if (test !== false) {
      parts.push(
        sql<SqlBool>`exists (select 1 from fields f where f.object_id = o.id and f.path_id = ${pathId}${andMore(test)})`,
      )
    }
  }
  if (setValues.length > 0) {
    parts.push(
      sql<SqlBool>`exists (select 1 from string_set_values v where v.object_id = o.id and v.path_id = ${pathId} and v.value ${equalsAny(setValues)})`,
    )
  }
  if (seriesTests.length > 0) {
    const test = or(seriesTests)
    if (test !== false) {
      parts.push(
        sql<SqlBool>`exists (select 1 from series s where s.object_id = o.id and s.path_id = ${pathId} and s.type = 'floatSeries'${andMore(test)})`,
      )
    }
  }
  return or(parts)
}

function fieldTest(target: Target & { source: 'field' }, test: Predicate): Predicate {
  const typeTest =
    target.types === null ? true : sql<SqlBool>`f.type in (${sql.join(target.types)})`
  return and([typeTest, test])
}

/** `= v`, or `in (v1, v2, …)` for several values. */
function equalsAny(values: readonly (number | string)[]): RawBuilder<unknown> {
  const unique = [...new Set(values)]
  return unique.length === 1 ? sql`= ${unique[0]}` : sql`in (${sql.join(unique)})`
}

function andMore(test: Predicate): RawBuilder<unknown> {
  return test === true ? sql`` : sql` and ${test}`
}

function applyTest(value: RawBuilder<unknown>, test: Test, env: CompileEnv): Predicate {
  switch (test.kind) {
    case 'exists':
      return true
    case 'compare':
      return sql<SqlBool>`${value} ${COMPARE_SQL[test.operator]} ${test.value}`
    case 'contains': {
      if (env.caseSensitiveLike) {
        return sql<SqlBool>`${value} like ${likeContainsPattern(test.text)} escape '\\'`
      }
      // LIKE is a fast pre-filter on both dialects, but SQLite's LIKE ignores ASCII case; the
      // regular expression makes the match case-sensitive everywhere.
      const regex = sql<SqlBool>`${value} ${sql.raw(env.regexpOperator)} ${literalRegex(test.text)}`
      if (test.text.length > MAX_LIKE_TEXT) return regex
      const like = sql<SqlBool>`${value} like ${likeContainsPattern(test.text)} escape '\\'`
      return /[a-z]/i.test(test.text) ? and([like, regex]) : like
    }
    case 'matches':
      return sql<SqlBool>`${value} ${sql.raw(env.regexpOperator)} ${test.pattern}`
  }
}

/** A float-series summary as SQL over the `series` row aliased `alias`; NULL without finite points. */
function seriesAggregate(
  alias: 's' | 'ss',
  aggregate: Exclude<NqlAggregate, 'last'>,
): RawBuilder<unknown> {
  const column = (name: string) => sql.ref(`${alias}.${name}`)
  const count = sql`nullif(${column('finite_count')}, 0)`
  const mean = sql`(${column('sum')} / ${count})`
  switch (aggregate) {
    case 'min':
      return column('min')
    case 'max':
      return column('max')
    case 'average':
      return mean
    case 'variance': {
      const raw = sql`(${column('sum_sq')} / ${count} - ${mean} * ${mean})`
      return sql`(case when ${raw} < 0 then 0 else ${raw} end)`
    }
  }
}

function storedTargets(condition: NqlCondition, operator: PositiveOperator): Target[] {
  const { type, aggregate } = condition.field
  if (aggregate !== undefined) checkAggregate(condition, aggregate)
  const operatorClass = OPERATOR_CLASS[operator]
  if (type !== undefined) checkOperator(condition, type, operatorClass)
  if (operatorClass === 'exists') {
    const types =
      type !== undefined
        ? rowTypes(type)
        : aggregate !== undefined
          ? aggregateTypes(aggregate)
          : null
    return [{ source: 'field', types, column: 'num', test: { kind: 'exists' } }]
  }
  const value = requireValue(condition)
  return type !== undefined
    ? typedTargets(condition, type, operator, value)
    : untypedTargets(condition, operator, value)
}

function typedTargets(
  condition: NqlCondition,
  type: NqlFieldType,
  operator: PositiveOperator,
  value: NqlValue,
): Target[] {
  const { aggregate } = condition.field
  switch (type) {
    case 'float':
    case 'int':
    case 'datetime':
    case 'bool': {
      const test = numericTest(condition, type, operator, value)
      return [{ source: 'field', types: rowTypes(type), column: 'num', test }]
    }
    case 'floatSeries': {
      const test = numericTest(condition, 'float', operator, value)
      if (aggregate !== undefined && aggregate !== 'last')
        return [{ source: 'series', aggregate, test }]
      return [{ source: 'field', types: ['floatSeries'], column: 'num', test }]
    }
    case 'runState': {
      const state = stateValue(value)
      if (state === null)
        throw queryError(condition, 'a run state is running, active, idle or inactive')
      return [
        {
          source: 'field',
          types: ['runState'],
          column: 'str',
          test: { kind: 'compare', operator: '=', value: state },
        },
      ]
    }
    case 'stringSet':
      return [{ source: 'set', value: textValue(value) }]
    case 'string':
    case 'stringSeries':
    case 'file':
    case 'artifact':
    case 'gitRef':
    case 'notebookRef':
      return [
        {
          source: 'field',
          types: [type],
          column: 'str',
          test: textTest(condition, operator, value),
        },
      ]
    case 'fileSeries':
    case 'fileSet':
      throw queryError(condition, `${type} fields can only be tested with EXISTS`)
  }
}

/**
 * An untyped condition compares what the value can mean:
 * - a number: float, int, datetime (epoch ms) and float-series (last) values;
 * - a bool: bool fields;
 * - a string or word: string-like fields (string, string series last, file name, artifact
 *   hash, git commit, notebook id) as text; also, when it reads as an ISO-8601 date, datetime
 *   fields (as epoch ms); when it is true/false, bool fields (= and != only); when it is
 *   running/active/idle/inactive, run-state fields (= and != only);
 * - CONTAINS: string-like fields (substring) and string sets (member); MATCHES: string-like.
 * With an aggregate only float series (and, for `last`, string series) are compared.
 */
function untypedTargets(
  condition: NqlCondition,
  operator: PositiveOperator,
  value: NqlValue,
): Target[] {
  const { aggregate } = condition.field
  const operatorClass = OPERATOR_CLASS[operator]
  if (aggregate !== undefined && aggregate !== 'last') {
    if (operatorClass !== 'eq' && operatorClass !== 'order') {
      throw queryError(condition, `${operator} cannot be used with ${aggregate}()`)
    }
    return [{ source: 'series', aggregate, test: numericTest(condition, 'float', operator, value) }]
  }
  const targets: Target[] = []
  if (operatorClass === 'contains') {
    targets.push({
      source: 'field',
      types: TEXT_TYPES,
      column: 'str',
      test: textTest(condition, operator, value),
    })
    if (aggregate === undefined) targets.push({ source: 'set', value: textValue(value) })
  } else if (operatorClass === 'matches') {
    targets.push({
      source: 'field',
      types: TEXT_TYPES,
      column: 'str',
      test: textTest(condition, operator, value),
    })
  } else {
    const compareOperator = operator as CompareOperator
    const compare = (compared: number | string): Test => ({
      kind: 'compare',
      operator: compareOperator,
      value: compared,
    })
    if (value.kind === 'number') {
      if (!Number.isFinite(value.value))
        throw queryError(condition, 'comparisons need a finite number')
      targets.push({
        source: 'field',
        types: ['float', 'int', 'datetime', 'floatSeries'],
        column: 'num',
        test: compare(value.value),
      })
    } else if (value.kind === 'bool') {
      if (operatorClass === 'eq')
        targets.push({
          source: 'field',
          types: ['bool'],
          column: 'num',
          test: compare(value.value ? 1 : 0),
        })
    } else {
      targets.push({
        source: 'field',
        types: TEXT_TYPES,
        column: 'str',
        test: compare(value.value),
      })
      const date = parseIsoDate(value.value)
      if (date !== null)
        targets.push({ source: 'field', types: ['datetime'], column: 'num', test: compare(date) })
      if (operatorClass === 'eq') {
        const bool = boolValue(value)
        if (bool !== null)
          targets.push({
            source: 'field',
            types: ['bool'],
            column: 'num',
            test: compare(bool ? 1 : 0),
          })
        const state = stateValue(value)
        if (state !== null)
          targets.push({
            source: 'field',
            types: ['runState'],
            column: 'str',
            test: compare(state),
          })
      }
    }
  }
  const restricted =
    aggregate === 'last' ? restrictTypes(targets, ['floatSeries', 'stringSeries']) : targets
  if (restricted.length === 0) {
    throw queryError(
      condition,
      `${operator} cannot compare ${describeValue(value)} here; add a field type`,
    )
  }
  return restricted
}

function restrictTypes(targets: Target[], allowed: readonly FieldType[]): Target[] {
  const result: Target[] = []
  for (const target of targets) {
    if (target.source !== 'field') continue
    const types = (target.types ?? allowed).filter((type) => allowed.includes(type))
    if (types.length > 0) result.push({ ...target, types })
  }
  return result
}

function numericTest(
  condition: NqlCondition,
  type: 'float' | 'int' | 'datetime' | 'bool',
  operator: PositiveOperator,
  value: NqlValue,
): Test {
  const compareOperator = operator as CompareOperator
  switch (type) {
    case 'float':
    case 'int': {
      const number = numberValue(value)
      if (number === null)
        throw queryError(
          condition,
          `${type} fields compare with a finite number, not ${describeValue(value)}`,
        )
      return { kind: 'compare', operator: compareOperator, value: number }
    }
    case 'datetime': {
      const time = datetimeValue(value)
      if (time === null) {
        throw queryError(
          condition,
          `datetime fields compare with an ISO-8601 date or epoch milliseconds, not ${describeValue(value)}`,
        )
      }
      return { kind: 'compare', operator: compareOperator, value: time }
    }
    case 'bool': {
      const bool = boolValue(value)
      if (bool === null)
        throw queryError(
          condition,
          `bool fields compare with true or false, not ${describeValue(value)}`,
        )
      return { kind: 'compare', operator: compareOperator, value: bool ? 1 : 0 }
    }
  }
}

function textTest(condition: NqlCondition, operator: PositiveOperator, value: NqlValue): Test {
  const text = textValue(value)
  if (operator === 'CONTAINS') return { kind: 'contains', text }
  if (operator === 'MATCHES') {
    try {
      new RegExp(text)
    } catch (error) {
      throw queryError(condition, `invalid regular expression: ${(error as Error).message}`)
    }
    return { kind: 'matches', pattern: text }
  }
  return { kind: 'compare', operator: operator as CompareOperator, value: text }
}

// VIRTUAL SYS FIELDS

function virtualPredicate(
  condition: NqlCondition,
  operator: PositiveOperator,
  column: VirtualColumn,
  env: CompileEnv,
): Predicate {
  const { type, aggregate } = condition.field
  if (aggregate !== undefined)
    throw queryError(condition, `${condition.field.path} is not a float series`)
  const operatorClass = OPERATOR_CLASS[operator]
  if (type !== undefined) {
    // Validate the condition as written, then match nothing if the type is not this field's.
    if (operatorClass !== 'exists') {
      checkOperator(condition, type, operatorClass)
      typedTargets(condition, type, operator, requireValue(condition))
    }
    if (!rowTypes(type).includes(column.type)) return false
  }
  const expression = column.expression(env.visibility)
  const present: Predicate = column.alwaysPresent ? true : sql<SqlBool>`${expression} is not null`
  if (operatorClass === 'exists') return present
  checkOperator(condition, column.type, operatorClass)
  const value = requireValue(condition)
  let test: Test
  switch (column.type) {
    case 'float':
    case 'int':
    case 'datetime':
    case 'bool':
      test = numericTest(condition, column.type, operator, value)
      break
    case 'runState': {
      const state = stateValue(value)
      if (state === null)
        throw queryError(condition, 'a run state is running, active, idle or inactive')
      test = { kind: 'compare', operator: '=', value: state }
      break
    }
    default:
      test = textTest(condition, operator, value)
  }
  if (test.kind === 'compare' && typeof test.value === 'number') {
    // The columns are integers; a fractional bound must not be read as one (PostgreSQL types
    // a parameter after the column it is compared with).
    const bound = sql`cast(${test.value} as double precision)`
    return and([present, sql<SqlBool>`${expression} ${COMPARE_SQL[test.operator]} ${bound}`])
  }
  return and([present, applyTest(expression, test, env)])
}

// SORT

/**
 * How the page is ordered. Objects without a value come last in both directions; ties fall
 * to created_at, then id, in the same direction.
 * - `created`: by created_at, id (sys/creation_time, or a sort field no object has);
 * - `field`: by one column of the sort path's field rows (`num` for numeric types and float
 *   series last, `str` for text types), which the (path_id, num|str) indexes hold in order;
 * - `computed`: by SQL keys over `o` and an optional joined row (`fields sf`, `series ss`).
 */
export type SortPlan =
  | { kind: 'created'; direction: 'asc' | 'desc' }
  | {
      kind: 'field'
      direction: 'asc' | 'desc'
      pathId: number
      column: 'num' | 'str'
      /** Types of field row that count; null: every type the path has. */
      types: readonly FieldType[] | null
    }
  | {
      kind: 'computed'
      direction: 'asc' | 'desc'
      join:
        | { table: 'fields'; pathId: number; types: readonly FieldType[] | null }
        | { table: 'series'; pathId: number }
        | null
      keys: RawBuilder<unknown>[]
    }

export const DEFAULT_SORT: SearchSort = { path: 'sys/creation_time', direction: 'desc' }

export function planSort(sort: SearchSort | undefined, env: CompileEnv): SortPlan {
  const { path, direction, aggregate, type } = sort ?? DEFAULT_SORT
  if (path === 'sys/creation_time') return { kind: 'created', direction }
  const virtual = VIRTUAL_COLUMNS.get(path)
  if (virtual !== undefined) {
    return { kind: 'computed', direction, join: null, keys: [virtual.expression(env.visibility)] }
  }
  const pathId = env.pathIds.get(path)
  const pathTypes = pathId === undefined ? undefined : env.pathTypes.get(pathId)
  if (pathId === undefined || pathTypes === undefined) return { kind: 'created', direction }
  const present = (types: readonly FieldType[]) =>
    types.filter((candidate) => pathTypes.has(candidate))
  const filterOf = (types: FieldType[]) =>
    [...pathTypes].every((t) => types.includes(t as FieldType)) ? null : types

  if (
    aggregate !== undefined &&
    aggregate !== 'last' &&
    (type === undefined || type === 'floatSeries')
  ) {
    if (!pathTypes.has('floatSeries')) return { kind: 'created', direction }
    return {
      kind: 'computed',
      direction,
      join: { table: 'series', pathId },
      keys: [seriesAggregate('ss', aggregate)],
    }
  }
  if (type !== undefined) {
    const types = present(rowTypes(type))
    if (types.length === 0) return { kind: 'created', direction }
    const column = NUMERIC_SORT_TYPES.includes(type) ? 'num' : 'str'
    return { kind: 'field', direction, pathId, column, types: filterOf(types) }
  }
  // Several types may share the path: numeric values first, then text values.
  const numeric = present(NUMERIC_SORT_TYPES)
  const text = present(TEXT_SORT_TYPES)
  if (numeric.length === 0 && text.length === 0) return { kind: 'created', direction }
  if (text.length === 0)
    return { kind: 'field', direction, pathId, column: 'num', types: filterOf(numeric) }
  if (numeric.length === 0)
    return { kind: 'field', direction, pathId, column: 'str', types: filterOf(text) }
  return {
    kind: 'computed',
    direction,
    join: { table: 'fields', pathId, types: null },
    keys: [
      sql`(case when sf.type in (${sql.join(numeric)}) then sf.num end)`,
      sql`(case when sf.type in (${sql.join(text)}) then sf.str end)`,
    ],
  }
}

// CHECKS

/** The stored types a typed condition matches: float and int match each other. */
function rowTypes(type: FieldType): FieldType[] {
  if (type === 'float' || type === 'int') return ['float', 'int']
  return [type]
}

function aggregateTypes(aggregate: NqlAggregate): FieldType[] {
  return aggregate === 'last' ? ['floatSeries', 'stringSeries'] : ['floatSeries']
}

function checkAggregate(condition: NqlCondition, aggregate: NqlAggregate): void {
  const { type } = condition.field
  if (type === undefined || type === 'floatSeries') return
  if (type === 'stringSeries' && aggregate === 'last') return
  throw queryError(condition, `${aggregate}() applies to float series, not ${type} fields`)
}

function checkOperator(
  condition: NqlCondition,
  type: FieldType,
  operatorClass: OperatorClass,
): void {
  if (operatorClass === 'exists' || TYPE_OPERATORS[type].includes(operatorClass)) return
  throw queryError(condition, `${condition.operator} cannot be used on ${type} fields`)
}

function requireValue(condition: NqlCondition): NqlValue {
  if (condition.value === undefined)
    throw queryError(condition, `${condition.operator} needs a value`)
  return condition.value
}

function describeValue(value: NqlValue): string {
  switch (value.kind) {
    case 'string':
      return 'a string'
    case 'word':
      return `the word ${value.value.slice(0, 40)}`
    case 'number':
      return 'a number'
    case 'bool':
      return 'a bool'
  }
}

function queryError(condition: NqlCondition, message: string): ValidationError {
  return new ValidationError(
    `${message} (in the condition on ${condition.field.path})`,
    { position: condition.position, path: condition.field.path },
    'NQL_SYNTAX_ERROR',
  )
}
