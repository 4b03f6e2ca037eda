import { useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import { useApi, useSearchParams } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import type { SavedViewWire } from '../api/wire-types.js'
import {
  DEFAULT_TABLE_STATE,
  hasTableParams,
  sameState,
  stateFromParams,
  stateFromViewDocument,
  stateToParams,
  viewIdFromParams,
  type TableState,
} from './core/table-state.js'

export interface TableStateHandle {
  state: TableState
  /** False until the saved views are known (the default view may apply). */
  ready: boolean
  views: SavedViewWire[]
  /** The saved view the table started from, if any. */
  activeView: SavedViewWire | null
  /** The table differs from its saved view. */
  modified: boolean
  setState(next: TableState): void
  openView(view: SavedViewWire | null): void
  refetchViews(): Promise<unknown>
}

/**
 * The runs table's state, kept in the URL. A URL that names columns, filter or sort means
 * exactly that table; `?view=ID` alone opens a saved view; a bare project URL opens the
 * project's default view, or Nereid's default columns.
 */
export function useTableState(ref: ProjectRef): TableStateHandle {
  const api = useApi()
  const [params, setParams] = useSearchParams()
  const views = useQuery({
    queryKey: ['views', ref.workspace, ref.project],
    queryFn: () => api.views.list(ref),
  })
  const list = views.data?.views ?? []
  const viewId = viewIdFromParams(params)
  const explicit = hasTableParams(params)
  const activeView =
    (viewId ? list.find((view) => view.id === viewId) : list.find((view) => view.isDefault)) ?? null
  const base = activeView ? stateFromViewDocument(activeView.state) : DEFAULT_TABLE_STATE
  const state = explicit ? stateFromParams(params, base) : base
  const ready = explicit || !views.isPending
  const paramsKey = params.toString()

  const setState = useCallback(
    (next: TableState) => setParams(stateToParams(next, activeView?.id ?? null)),
    // The callback is rebuilt with the URL, so it always writes over the current one.
    [setParams, activeView?.id, paramsKey],
  )
  const openView = useCallback(
    (view: SavedViewWire | null) => {
      if (view) setParams(stateToParams(stateFromViewDocument(view.state), view.id), true)
      else setParams(stateToParams(DEFAULT_TABLE_STATE), true)
    },
    [setParams],
  )
  return {
    state,
    ready,
    views: list,
    activeView,
    modified: activeView !== null && !sameState(state, stateFromViewDocument(activeView.state)),
    setState,
    openView,
    refetchViews: () => views.refetch(),
  }
}
