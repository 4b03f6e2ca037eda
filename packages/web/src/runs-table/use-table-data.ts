import { parseQuery, type NqlExpr } from '@nereid/core'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { useApi } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import type { GroupWire } from '../api/wire-types.js'
import { groupCondition, groupingContext, queryForGroup } from './core/group-condition.js'
import { GroupLayout } from './core/group-layout.js'
import { RowSource } from './core/row-source.js'
import type { TableState } from './core/table-state.js'
import { toTableRow, type TableRow } from './table-row.js'
import { useRowSource } from './use-row-source.js'

/**
 * Rows per request: a screenful and a half, so the first rows come fast; reading ahead keeps
 * scrolling ahead of the screen.
 */
export const PAGE_SIZE = 50
/**
 * Pages read ahead of a view at rest (two requests, once the first rows are in): a scroll
 * that starts moves several screens a frame before its speed is known, and these 400 rows
 * carry it until the source reads ahead by speed (measured at 1,000 rows/s: 1–2 blank
 * frames at the start of the scroll with 4 pages, none with 8).
 */
const READ_AHEAD = 8
const CONCURRENCY = 4
/** Numeric columns summarized per group: each costs a lookup per run. */
const MAX_GROUP_AGGREGATES = 10
/** A group shows at most this many rows; the search narrows it further. */
const MAX_GROUP_ROWS = 5000

export type TableItem =
  | { kind: 'row'; row: TableRow | undefined; groupIndex: number | null }
  | { kind: 'group'; group: GroupWire; index: number; expanded: boolean }

export interface TableData {
  count: number
  /** Runs the filter matches (flat) or groups (grouped); null until known. */
  total: number | null
  grouped: boolean
  error: unknown
  itemAt(index: number): TableItem | null
  setVisible(start: number, end: number): void
  toggleGroup(index: number): void
  /** Reads the visible rows again (live updates). */
  refresh(): void
}

function parsed(query: string): NqlExpr | null {
  try {
    return parseQuery(query).expr
  } catch {
    return null
  }
}

/**
 * The rows behind the table: one paged search when flat; when grouped, the groups' aggregate
 * rows and, for each expanded group, a paged search of its runs.
 */
export function useTableData(
  ref: ProjectRef,
  state: TableState,
  numericColumns: string[],
  /** The columns to read (those on screen); all of the table's when left out. */
  readColumns?: readonly string[],
): TableData {
  const api = useApi()
  const readKey = (readColumns ?? state.columns).join('\n')
  const columns = useMemo(() => [...new Set(readColumns ?? state.columns)].sort(), [readKey])
  const columnSet = useMemo(() => new Set(columns), [columns])
  const common = {
    query: state.query.trim() || undefined,
    kinds: ['run' as const],
    includeTrashed: state.showTrashed,
  }
  const sort = state.sort ?? undefined
  const key = JSON.stringify([ref, common, sort, columns])

  const flat = useRowSource<TableRow>(key, {
    pageSize: PAGE_SIZE,
    readAhead: READ_AHEAD,
    concurrency: CONCURRENCY,
    fetchPage: async (offset, limit, signal) => {
      const result = await api.search.query(
        ref,
        { ...common, sort, columns, limit, offset },
        signal,
      )
      return { total: result.total, rows: result.rows.map((row) => toTableRow(row, columnSet)) }
    },
  })

  const groupBy = state.groupBy
  const groups = useQuery({
    queryKey: ['groups', ref, common, groupBy, numericColumns],
    queryFn: ({ signal }) =>
      api.search.groups(
        ref,
        {
          ...common,
          groupBy: groupBy!,
          aggregates: numericColumns.slice(0, MAX_GROUP_AGGREGATES),
          limit: 1000,
        },
        signal,
      ),
    enabled: groupBy !== null,
    placeholderData: (previous) => previous,
  })

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  useEffect(() => setExpanded(new Set()), [groupBy])
  const groupList = groupBy !== null ? (groups.data?.groups ?? []) : []
  const groupKey = (group: GroupWire) => `${group.type}:${String(group.value)}`
  const layout = useMemo(
    () =>
      new GroupLayout(
        groupList.map((group) => ({
          key: groupKey(group),
          shownRows: expanded.has(groupKey(group)) ? Math.min(group.count, MAX_GROUP_ROWS) : 0,
        })),
      ),
    [groupList, expanded],
  )

  // One row source per expanded group, kept while the grouping and filter stay the same.
  const groupSources = useRef(new Map<string, RowSource<TableRow>>())
  const sourcesKey = JSON.stringify([key, groupBy])
  const sourcesFor = useRef(sourcesKey)
  if (sourcesFor.current !== sourcesKey) {
    for (const source of groupSources.current.values()) source.dispose()
    groupSources.current = new Map()
    sourcesFor.current = sourcesKey
  }
  const [, setTick] = useState(0)
  const context = groupBy ? groupingContext(groupBy, groupList) : null
  const sourceOf = (index: number): RowSource<TableRow> | null => {
    const group = groupList[index]
    if (!group || !context) return null
    const id = groupKey(group)
    let source = groupSources.current.get(id)
    if (!source) {
      const query = queryForGroup(parsed(state.query), groupCondition(context, group))
      source = new RowSource<TableRow>({
        pageSize: PAGE_SIZE,
        readAhead: READ_AHEAD,
        concurrency: CONCURRENCY,
        fetchPage: async (offset, limit, signal) => {
          const result = await api.search.query(
            ref,
            { ...common, query: query || undefined, sort, columns, limit, offset },
            signal,
          )
          return {
            total: result.total,
            rows: result.rows.map((row) => toTableRow(row, columnSet)),
          }
        },
      })
      source.subscribe(() => setTick((tick) => tick + 1))
      groupSources.current.set(id, source)
    }
    return source
  }
  useEffect(() => () => groupSources.current.forEach((source) => source.dispose()), [])
  useSyncExternalStore(
    (listener) => flat.subscribe(listener),
    () => flat.version,
  )

  if (groupBy === null) {
    return {
      count: flat.total ?? 0,
      total: flat.total,
      grouped: false,
      error: flat.error,
      itemAt: (index) => ({ kind: 'row', row: flat.rowAt(index), groupIndex: null }),
      setVisible: (start, end) => flat.setVisibleRange(start, end),
      toggleGroup: () => undefined,
      refresh: () => flat.refresh(),
    }
  }

  return {
    count: layout.size,
    total: groups.data?.totalGroups ?? null,
    grouped: true,
    error: groups.error,
    itemAt(index) {
      const item = layout.itemAt(index)
      if (!item) return null
      const group = groupList[item.group]!
      if (item.kind === 'group') {
        return { kind: 'group', group, index: item.group, expanded: expanded.has(groupKey(group)) }
      }
      return { kind: 'row', row: sourceOf(item.group)?.rowAt(item.offset), groupIndex: item.group }
    },
    setVisible(start, end) {
      for (const [group, range] of layout.rowRanges(start, end)) {
        sourceOf(group)?.setVisibleRange(range.start, range.end)
      }
    },
    toggleGroup(index) {
      const group = groupList[index]
      if (!group) return
      const id = groupKey(group)
      setExpanded((current) => {
        const next = new Set(current)
        if (next.has(id)) next.delete(id)
        else next.add(id)
        return next
      })
    },
    refresh() {
      void groups.refetch()
      groupSources.current.forEach((source) => source.refresh())
    },
  }
}
