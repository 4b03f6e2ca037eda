import {
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type ColumnSizingState,
  type Header,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { GroupWire } from '../api/wire-types.js'
import type { ColumnSpec } from './core/column-model.js'
import type { ColumnWindow } from './core/column-window.js'
import { formatNumber } from './core/format-value.js'
import { moveFocus, type CellFocus } from './core/keyboard-focus.js'
import type { TableSort } from './core/table-state.js'
import { CellValue } from './table-cell.js'
import type { TableRow } from './table-row.js'
import type { TableData } from './use-table-data.js'

const ROW_HEIGHT = 32
const SELECT_WIDTH = 44

export interface RunsTableProps {
  data: TableData
  columns: ColumnSpec[]
  sort: TableSort | null
  selection: ReadonlySet<string>
  /** Sparkline values by `${objectId}\n${path}`. */
  sparkline(objectId: string, path: string): Float64Array | null | undefined
  /** Changes when new sparklines arrive (rows re-render only then). */
  sparkVersion: number
  /** Names logged outside the project's conventions, when there are conventions. */
  flags(objectId: string): { unknownMetrics: string[]; unknownTags: string[] } | null | undefined
  onSort(path: string): void
  onResize(path: string, width: number): void
  onColumnMenu(path: string, anchor: DOMRect): void
  onToggleSelect(row: TableRow, range: boolean): void
  onOpen(row: TableRow): void
  /** The rows on screen changed (for sparklines, flags, live updates). */
  onVisibleRows(rows: TableRow[]): void
  /** The scrolling columns on screen changed (rows are read with those). */
  onVisibleColumns?(window: ColumnWindow): void
}

/**
 * The runs grid: rows and columns are both virtual (only what is on screen is in the DOM),
 * pinned columns stick to the left, TanStack Table keeps the column model (order, pinning,
 * live resizing), and the keyboard moves a focused cell around.
 */
export function RunsTable(props: RunsTableProps) {
  const { data, columns } = props
  const scroll = useRef<HTMLDivElement>(null)
  const [now, setNow] = useState(() => Date.now())
  const [focus, setFocus] = useState<CellFocus | null>(null)
  const [sizing, setSizing] = useState<ColumnSizingState>({})

  // Relative dates ("5 min ago") move on.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000)
    return () => clearInterval(timer)
  }, [])

  const definitions = useMemo<ColumnDef<TableRow>[]>(
    () =>
      columns.map((column) => ({
        id: column.path,
        header: column.label,
        size: column.width,
        minSize: 60,
        maxSize: 1200,
      })),
    [columns],
  )
  const table = useReactTable<TableRow>({
    data: [],
    columns: definitions,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    columnResizeMode: 'onChange',
    state: {
      columnPinning: { left: columns.filter((c) => c.pinned).map((c) => c.path) },
      columnOrder: columns.map((c) => c.path),
      columnSizing: sizing,
    },
    onColumnSizingChange: setSizing,
  })
  // Keep a finished resize (widths live in the page's storage, not the URL).
  const resizing = table.getState().columnSizingInfo.isResizingColumn
  useEffect(() => {
    if (resizing) return
    for (const [path, width] of Object.entries(sizing)) props.onResize(path, width)
    if (Object.keys(sizing).length > 0) setSizing({})
  }, [resizing])

  const left = table.getLeftLeafHeaders()
  const center = table.getCenterLeafHeaders()
  const leftWidth = SELECT_WIDTH + left.reduce((sum, header) => sum + header.getSize(), 0)
  const centerWidth = center.reduce((sum, header) => sum + header.getSize(), 0)
  const ordered = [...left, ...center]

  const rows = useVirtualizer({
    count: data.count,
    getScrollElement: () => scroll.current,
    estimateSize: () => ROW_HEIGHT,
    // Few rows beyond the screen: a fast scroll moves several screens a frame, so rows drawn
    // ahead are rarely the ones shown next, and every row drawn makes the frame slower
    // (measured: 8 → 3 rows took the 1,000 rows/s scroll from 8 to 11.5 frames a second).
    overscan: 3,
  })
  const cols = useVirtualizer({
    horizontal: true,
    count: center.length,
    getScrollElement: () => scroll.current,
    estimateSize: (index) => center[index]?.getSize() ?? 130,
    overscan: 2,
  })
  useEffect(() => cols.measure(), [cols, centerWidth, center.length])

  const virtualRows = rows.getVirtualItems()
  const first = virtualRows[0]?.index ?? 0
  const last = (virtualRows.at(-1)?.index ?? -1) + 1
  useEffect(() => {
    data.setVisible(first, last)
  })

  // Report the rows on screen (after they load) for the extras that depend on them.
  const visibleRows: TableRow[] = []
  for (let index = first; index < last; index++) {
    const item = data.itemAt(index)
    if (item?.kind === 'row' && item.row) visibleRows.push(item.row)
  }
  const visibleKey = visibleRows.map((row) => row.object.id).join(',')
  useEffect(() => {
    props.onVisibleRows(visibleRows)
  }, [visibleKey])

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      const current = focus ?? { row: 0, column: 0 }
      if (event.key === 'Enter' || event.key === ' ') {
        const item = data.itemAt(current.row)
        if (item?.kind === 'group') {
          data.toggleGroup(item.index)
          event.preventDefault()
        } else if (item?.kind === 'row' && item.row) {
          if (event.key === 'Enter') props.onOpen(item.row)
          else props.onToggleSelect(item.row, event.shiftKey)
          event.preventDefault()
        }
        return
      }
      const pageRows = Math.max(
        1,
        Math.floor((scroll.current?.clientHeight ?? 600) / ROW_HEIGHT) - 2,
      )
      const next = moveFocus(
        current,
        event.key,
        { rows: data.count, columns: ordered.length, pageRows },
        event.ctrlKey || event.metaKey,
      )
      if (!next) return
      event.preventDefault()
      setFocus(next)
      if (next.row >= 0) rows.scrollToIndex(next.row, { align: 'auto' })
      const centerIndex = next.column - left.length
      if (centerIndex >= 0) cols.scrollToIndex(centerIndex, { align: 'auto' })
    },
    [focus, data, ordered.length, left.length, rows, cols, props],
  )

  const virtualCols = cols.getVirtualItems()
  const firstCol = virtualCols[0]
  const firstColIndex = firstCol?.index ?? 0
  const lastColIndex = virtualCols.at(-1)?.index ?? 0
  useEffect(() => {
    props.onVisibleColumns?.({ first: firstColIndex, last: lastColIndex })
  }, [firstColIndex, lastColIndex])
  const spacer = firstCol ? firstCol.start : 0
  const totalWidth = leftWidth + centerWidth
  const focusedPath = focus ? ordered[focus.column]?.column.id : null

  const renderHeader = (header: Header<TableRow, unknown>, pinnedLeft: number | null) => {
    const path = header.column.id
    const spec = columns.find((c) => c.path === path)
    const sorted = props.sort?.path === path ? props.sort.direction : null
    return (
      <div
        key={path}
        role="columnheader"
        aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
        className={`header-cell${pinnedLeft !== null ? ' pinned' : ''}${focus?.row === -1 && focusedPath === path ? ' focused' : ''}`}
        style={{ width: header.getSize(), ...(pinnedLeft !== null ? { left: pinnedLeft } : {}) }}
        title={`${path}${spec?.type ? ` (${spec.type})` : ''}`}
      >
        <span className="label" onClick={() => props.onSort(path)} data-path={path}>
          {spec?.label ?? path} {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
        </span>
        <button
          className="menu-button"
          aria-label={`Column menu of ${path}`}
          onClick={(event) => props.onColumnMenu(path, event.currentTarget.getBoundingClientRect())}
        >
          ⋮
        </button>
        <div
          className="resize"
          onMouseDown={header.getResizeHandler()}
          onTouchStart={header.getResizeHandler()}
          onDoubleClick={() => header.column.resetSize()}
          role="separator"
          aria-label={`Resize ${path}`}
        />
      </div>
    )
  }

  const renderGroup = (group: GroupWire, index: number, expanded: boolean, rowIndex: number) => {
    const label =
      group.value === null
        ? '(no value)'
        : typeof group.value === 'number'
          ? formatNumber(group.value)
          : String(group.value)
    return (
      <>
        <div
          className={`cell pinned${focus?.row === rowIndex ? ' focused' : ''}`}
          style={{ width: leftWidth, left: 0 }}
        >
          <button
            className="link"
            aria-expanded={expanded}
            onClick={() => props.data.toggleGroup(index)}
            data-group={label}
          >
            {expanded ? '▾' : '▸'} {label}
          </button>
          <span className="badge">{formatNumber(group.count)}</span>
        </div>
        <div style={{ width: spacer, flex: 'none' }} />
        {virtualCols.map((virtual) => {
          const header = center[virtual.index]!
          const aggregate = group.aggregates[header.column.id]
          return (
            <div
              key={header.column.id}
              className="cell numeric"
              style={{ width: header.getSize() }}
              title={
                aggregate && aggregate.count > 0
                  ? `mean ${formatNumber(aggregate.mean ?? NaN)} · min ${formatNumber(aggregate.min ?? NaN)} · max ${formatNumber(aggregate.max ?? NaN)} · ${aggregate.count} values`
                  : undefined
              }
            >
              {aggregate && aggregate.count > 0 && aggregate.mean !== null
                ? `μ ${formatNumber(aggregate.mean)}`
                : ''}
            </div>
          )
        })}
      </>
    )
  }

  let pinnedOffset = SELECT_WIDTH
  const pinnedLefts = left.map((header) => {
    const at = pinnedOffset
    pinnedOffset += header.getSize()
    return at
  })
  const specs = new Map(columns.map((column) => [column.path, column]))
  const cellOf = (
    header: Header<TableRow, unknown>,
    index: number,
    pinnedLeft: number | null,
  ): CellLayout => {
    const spec = specs.get(header.column.id)
    return {
      path: header.column.id,
      width: header.getSize(),
      left: pinnedLeft,
      numeric: spec?.numeric ?? false,
      series: spec?.type === 'floatSeries',
      index,
    }
  }
  const cells: CellLayout[] = [
    ...left.map((header, i) => cellOf(header, i, pinnedLefts[i]!)),
    ...virtualCols.map((virtual) =>
      cellOf(center[virtual.index]!, left.length + virtual.index, null),
    ),
  ]
  // Rows re-render only when what they show changes, not on every scroll frame.
  const layoutKey = `${spacer}|${cells.map((cell) => `${cell.path}:${cell.width}:${cell.left}`).join('|')}`
  const actions = useRef({ onOpen: props.onOpen, onToggleSelect: props.onToggleSelect })
  actions.current = { onOpen: props.onOpen, onToggleSelect: props.onToggleSelect }

  return (
    <div
      ref={scroll}
      className="grid-scroll"
      role="grid"
      aria-rowcount={data.count}
      aria-colcount={ordered.length}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={() => setFocus((current) => current ?? { row: 0, column: 0 })}
    >
      <div
        className="grid-inner"
        style={{ width: totalWidth, height: ROW_HEIGHT + rows.getTotalSize() }}
      >
        <div className="grid-header" role="row" style={{ width: totalWidth }}>
          <div className="header-cell pinned" style={{ width: SELECT_WIDTH, left: 0 }} />
          {left.map((header, i) => renderHeader(header, pinnedLefts[i]!))}
          <div style={{ width: spacer, flex: 'none' }} />
          {virtualCols.map((virtual) => renderHeader(center[virtual.index]!, null))}
        </div>
        {virtualRows.map((virtual) => {
          const item = data.itemAt(virtual.index)
          const top = ROW_HEIGHT + virtual.start
          if (item?.kind === 'group') {
            return (
              <div
                key={virtual.key}
                className="grid-row group-row"
                role="row"
                style={{ top, width: totalWidth }}
              >
                {renderGroup(item.group, item.index, item.expanded, virtual.index)}
              </div>
            )
          }
          return (
            <DataRow
              key={virtual.key}
              row={item?.row}
              rowIndex={virtual.index}
              top={top}
              totalWidth={totalWidth}
              cells={cells}
              layoutKey={layoutKey}
              spacer={spacer}
              focusColumn={focus?.row === virtual.index ? focus.column : -1}
              selected={item?.row ? props.selection.has(item.row.object.id) : false}
              flag={item?.row ? props.flags(item.row.object.id) : null}
              sparkline={props.sparkline}
              sparkVersion={props.sparkVersion}
              now={now}
              actions={actions}
            />
          )
        })}
      </div>
    </div>
  )
}

interface CellLayout {
  path: string
  width: number
  /** Left offset of a pinned column; null for the others. */
  left: number | null
  numeric: boolean
  series: boolean
  /** Column index for keyboard focus. */
  index: number
}

interface DataRowProps {
  row: TableRow | undefined
  rowIndex: number
  top: number
  totalWidth: number
  cells: CellLayout[]
  layoutKey: string
  spacer: number
  focusColumn: number
  selected: boolean
  flag: { unknownMetrics: string[]; unknownTags: string[] } | null | undefined
  sparkline(objectId: string, path: string): Float64Array | null | undefined
  sparkVersion: number
  now: number
  actions: {
    current: { onOpen(row: TableRow): void; onToggleSelect(row: TableRow, range: boolean): void }
  }
}

const DataRow = memo(
  function DataRow(props: DataRowProps) {
    const { row, cells, actions } = props
    const flagged =
      props.flag && (props.flag.unknownMetrics.length > 0 || props.flag.unknownTags.length > 0)
    const pinned = cells.filter((cell) => cell.left !== null)
    const rest = cells.filter((cell) => cell.left === null)
    const cell = (layout: CellLayout) => {
      const focused = props.focusColumn === layout.index
      const className = `cell${layout.numeric ? ' numeric' : ''}${layout.left !== null ? ' pinned' : ''}${focused ? ' focused' : ''}${row ? '' : ' placeholder'}`
      const style = { width: layout.width, ...(layout.left !== null ? { left: layout.left } : {}) }
      // A column the row was not read with (it came into view since): loading, not empty.
      if (!row || (layout.path !== 'sys/id' && !row.columns.has(layout.path))) {
        return (
          <div
            key={layout.path}
            className={row ? `${className} placeholder` : className}
            style={style}
          />
        )
      }
      return (
        <div
          key={layout.path}
          role="gridcell"
          className={className}
          style={style}
          data-path={layout.path}
        >
          {layout.path === 'sys/id' ? (
            <a
              href="#"
              onClick={(event) => {
                event.preventDefault()
                actions.current.onOpen(row)
              }}
            >
              {row.object.shortId}
            </a>
          ) : (
            <CellValue
              field={row.fields.get(layout.path)}
              now={props.now}
              sparkline={layout.series ? props.sparkline(row.object.id, layout.path) : undefined}
            />
          )}
        </div>
      )
    }
    return (
      <div
        className={`grid-row${props.selected ? ' selected' : ''}`}
        role="row"
        aria-selected={props.selected}
        data-run={row?.object.shortId}
        style={{ top: props.top, width: props.totalWidth }}
        onDoubleClick={() => row && actions.current.onOpen(row)}
      >
        <div className="cell pinned" style={{ width: SELECT_WIDTH, left: 0 }}>
          {row && (
            <input
              type="checkbox"
              aria-label={`Select ${row.object.shortId}`}
              checked={props.selected}
              onChange={(event) =>
                actions.current.onToggleSelect(row, (event.nativeEvent as MouseEvent).shiftKey)
              }
            />
          )}
          {flagged && (
            <span
              className="warn-flag"
              title={[
                props.flag!.unknownMetrics.length > 0 &&
                  `Metrics outside the conventions: ${props.flag!.unknownMetrics.join(', ')}`,
                props.flag!.unknownTags.length > 0 &&
                  `Tags outside the conventions: ${props.flag!.unknownTags.join(', ')}`,
              ]
                .filter(Boolean)
                .join('\n')}
              aria-label="Outside the project conventions"
            >
              ⚠
            </span>
          )}
          {row?.object.trashed && <span title="In the trash">🗑</span>}
        </div>
        {pinned.map(cell)}
        <div style={{ width: props.spacer, flex: 'none' }} />
        {rest.map(cell)}
      </div>
    )
  },
  (a, b) =>
    a.row === b.row &&
    a.top === b.top &&
    a.layoutKey === b.layoutKey &&
    a.totalWidth === b.totalWidth &&
    a.focusColumn === b.focusColumn &&
    a.selected === b.selected &&
    a.flag === b.flag &&
    a.sparkVersion === b.sparkVersion &&
    a.now === b.now,
)
