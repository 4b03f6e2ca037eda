import type { FieldType } from '@nereid/core'
import type { TableSort, TableState } from './table-state.js'

/** A column as the table draws it. */
export interface ColumnSpec {
  path: string
  label: string
  /** The type the project's objects have at this path (the first, when several); null: none yet. */
  type: FieldType | null
  pinned: boolean
  width: number
  /** Right-aligned numbers. */
  numeric: boolean
}

const SYS_LABELS: Record<string, string> = {
  'sys/id': 'ID',
  'sys/name': 'Name',
  'sys/description': 'Description',
  'sys/creation_time': 'Created',
  'sys/modification_time': 'Modified',
  'sys/ping_time': 'Last ping',
  'sys/owner': 'Owner',
  'sys/state': 'State',
  'sys/tags': 'Tags',
  'sys/group_tags': 'Group tags',
  'sys/running_time': 'Running time',
  'sys/size': 'Size',
  'sys/failed': 'Failed',
  'sys/stage': 'Stage',
  'sys/custom_run_id': 'Custom run id',
  'sys/hostname': 'Host',
}

const NUMERIC_TYPES: ReadonlySet<string> = new Set(['float', 'int', 'floatSeries'])

export function columnLabel(path: string): string {
  return SYS_LABELS[path] ?? path
}

export function defaultWidth(path: string, type: FieldType | null): number {
  if (path === 'sys/id') return 120
  if (path === 'sys/name' || path === 'sys/description') return 220
  switch (type) {
    case 'stringSet':
      return 200
    case 'floatSeries':
      return 170
    case 'datetime':
      return 130
    case 'bool':
    case 'runState':
      return 90
    case 'string':
    case 'file':
    case 'gitRef':
      return 180
    default:
      return 130
  }
}

export const MIN_COLUMN_WIDTH = 60

/**
 * The columns a table state shows: pinned ones first (in pin order), then the rest in the
 * state's order. `types` maps paths to the types the project's field list reports.
 */
export function buildColumns(
  state: Pick<TableState, 'columns' | 'pinned'>,
  types: ReadonlyMap<string, readonly FieldType[]>,
  widths: Readonly<Record<string, number>> = {},
): ColumnSpec[] {
  const shown = new Set(state.columns)
  const pinned = state.pinned.filter((path) => shown.has(path))
  const pinnedSet = new Set(pinned)
  const ordered = [...pinned, ...state.columns.filter((path) => !pinnedSet.has(path))]
  return ordered.map((path) => {
    const type = types.get(path)?.[0] ?? null
    return {
      path,
      label: columnLabel(path),
      type,
      pinned: pinnedSet.has(path),
      width: Math.max(MIN_COLUMN_WIDTH, widths[path] ?? defaultWidth(path, type)),
      numeric: type !== null && NUMERIC_TYPES.has(type),
    }
  })
}

export function addColumn<S extends Pick<TableState, 'columns'>>(state: S, path: string): S {
  if (state.columns.includes(path)) return state
  return { ...state, columns: [...state.columns, path] }
}

export function removeColumn<S extends Pick<TableState, 'columns' | 'pinned' | 'sort'>>(
  state: S,
  path: string,
): S {
  return {
    ...state,
    columns: state.columns.filter((p) => p !== path),
    pinned: state.pinned.filter((p) => p !== path),
    sort: state.sort?.path === path ? null : state.sort,
  }
}

/** Moves a column to another place among the state's columns. */
export function moveColumn<S extends Pick<TableState, 'columns'>>(
  state: S,
  path: string,
  toIndex: number,
): S {
  const columns = state.columns.filter((p) => p !== path)
  if (columns.length === state.columns.length) return state
  const index = Math.max(0, Math.min(toIndex, columns.length))
  columns.splice(index, 0, path)
  return { ...state, columns }
}

export function togglePin<S extends Pick<TableState, 'pinned'>>(state: S, path: string): S {
  return {
    ...state,
    pinned: state.pinned.includes(path)
      ? state.pinned.filter((p) => p !== path)
      : [...state.pinned, path],
  }
}

/** Header clicks cycle a column's sort: descending, ascending, then off. */
export function nextSort(current: TableSort | null, path: string): TableSort | null {
  if (current?.path !== path) return { path, direction: 'desc' }
  if (current.direction === 'desc') return { path, direction: 'asc' }
  return null
}

/** Left edges of columns laid out in order, and the total width as the last entry. */
export function columnOffsets(columns: readonly Pick<ColumnSpec, 'width'>[]): number[] {
  const offsets = new Array<number>(columns.length + 1)
  offsets[0] = 0
  columns.forEach((column, index) => {
    offsets[index + 1] = offsets[index]! + column.width
  })
  return offsets
}
