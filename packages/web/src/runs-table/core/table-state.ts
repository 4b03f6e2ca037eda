/**
 * The state of a runs table: which columns, which filter, sort, grouping. It lives in the URL
 * (so any view can be shared by link) and is what a saved view stores.
 */
export interface TableSort {
  path: string
  direction: 'asc' | 'desc'
}

export interface TableState {
  /** Field paths shown as columns, in order. */
  columns: string[]
  /** Columns kept on the left while scrolling sideways. */
  pinned: string[]
  /** NQL filter; '' for none. */
  query: string
  sort: TableSort | null
  groupBy: string | null
  showTrashed: boolean
}

export const DEFAULT_TABLE_STATE: TableState = {
  columns: ['sys/id', 'sys/name', 'sys/creation_time', 'sys/owner', 'sys/state', 'sys/tags'],
  pinned: ['sys/id'],
  query: '',
  sort: null,
  groupBy: null,
  showTrashed: false,
}

/** URL parameter names; short, since links get pasted into chats. */
const P = {
  column: 'col',
  pinned: 'pin',
  query: 'q',
  sort: 'sort',
  direction: 'dir',
  group: 'group',
  trashed: 'trashed',
  view: 'view',
} as const

/** Whether the URL says anything about the table (else the project's default view applies). */
export function hasTableParams(params: URLSearchParams): boolean {
  return Object.values(P).some((name) => name !== P.view && params.has(name))
}

/** The table state a URL describes, over `base` for what it does not say. */
export function stateFromParams(params: URLSearchParams, base = DEFAULT_TABLE_STATE): TableState {
  const columns = params.getAll(P.column).filter((path) => path !== '')
  const sortPath = params.get(P.sort)
  // Links the app writes always list the columns and say the whole state: there, a missing
  // filter, sort or grouping means none. A hand-written `?q=…` changes only what it says.
  const whole = params.has(P.column)
  const rest = whole ? { ...base, query: '', sort: null, groupBy: null, showTrashed: false } : base
  return {
    columns: whole ? unique(columns) : base.columns,
    pinned: params.has(P.pinned)
      ? unique(params.getAll(P.pinned).filter((path) => path !== ''))
      : base.pinned,
    query: params.get(P.query) ?? rest.query,
    sort: sortPath
      ? { path: sortPath, direction: params.get(P.direction) === 'asc' ? 'asc' : 'desc' }
      : rest.sort,
    groupBy: params.has(P.group) ? params.get(P.group) || null : rest.groupBy,
    showTrashed: params.has(P.trashed) ? params.get(P.trashed) === '1' : rest.showTrashed,
  }
}

/**
 * URL parameters for a state: the whole state, so the link means the same table for anyone
 * whatever their project's default view is. `view` names the saved view it started from.
 */
export function stateToParams(state: TableState, view: string | null = null): URLSearchParams {
  const params = new URLSearchParams()
  if (view) params.set(P.view, view)
  for (const path of state.columns) params.append(P.column, path)
  if (state.columns.length === 0) params.set(P.column, '')
  for (const path of state.pinned) params.append(P.pinned, path)
  if (state.pinned.length === 0) params.set(P.pinned, '')
  if (state.query) params.set(P.query, state.query)
  if (state.sort) {
    params.set(P.sort, state.sort.path)
    params.set(P.direction, state.sort.direction)
  }
  if (state.groupBy) params.set(P.group, state.groupBy)
  if (state.showTrashed) params.set(P.trashed, '1')
  return params
}

export function viewIdFromParams(params: URLSearchParams): string | null {
  return params.get(P.view)
}

/** A saved view's document: the table state in the shape the views API documents. */
export function stateToViewDocument(state: TableState): Record<string, unknown> {
  return {
    columns: state.columns.map((path) => ({ path })),
    pinned: state.pinned,
    query: state.query,
    sort: state.sort,
    groupBy: state.groupBy,
    showTrashed: state.showTrashed,
  }
}

/** Reads a saved view's document leniently: what it lacks or garbles comes from the default. */
export function stateFromViewDocument(document: Record<string, unknown>): TableState {
  const base = DEFAULT_TABLE_STATE
  const columns = Array.isArray(document.columns)
    ? document.columns
        .map((column) =>
          typeof column === 'string' ? column : (column as { path?: unknown })?.path,
        )
        .filter((path): path is string => typeof path === 'string' && path !== '')
    : base.columns
  const sort = document.sort as { path?: unknown; direction?: unknown } | null | undefined
  return {
    columns: unique(columns),
    pinned: Array.isArray(document.pinned)
      ? unique(document.pinned.filter((path): path is string => typeof path === 'string'))
      : base.pinned,
    query: typeof document.query === 'string' ? document.query : base.query,
    sort:
      sort && typeof sort.path === 'string'
        ? { path: sort.path, direction: sort.direction === 'asc' ? 'asc' : 'desc' }
        : null,
    groupBy: typeof document.groupBy === 'string' && document.groupBy ? document.groupBy : null,
    showTrashed: document.showTrashed === true,
  }
}

export function sameState(a: TableState, b: TableState): boolean {
  return stateToParams(a).toString() === stateToParams(b).toString()
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
