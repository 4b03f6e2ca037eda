import type { FieldType } from '@nereid/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useApi, useNavigate, useServices } from '../app-context.js'
import type { ProjectRef } from '../api/nereid-api.js'
import { floatsFromWire } from '../charts/core/wire-floats.js'
import { ErrorMessage } from '../components/error-message.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { Spinner } from '../components/progress.js'
import { createNameMatcher } from '../conventions/core/name-matcher.js'
import { paths } from '../router/routes.js'
import {
  addColumn,
  buildColumns,
  moveColumn,
  nextSort,
  removeColumn,
  togglePin,
} from '../runs-table/core/column-model.js'
import { columnsToRead, type ColumnWindow } from '../runs-table/core/column-window.js'
import { pickerFields } from '../runs-table/core/field-picker.js'
import { formatNumber } from '../runs-table/core/format-value.js'
import { FieldPicker } from '../runs-table/field-picker.js'
import { QueryBar } from '../runs-table/query-bar.js'
import { RunsTable } from '../runs-table/runs-table.js'
import type { TableRow } from '../runs-table/table-row.js'
import { useBatchedLookup } from '../runs-table/use-batched-lookup.js'
import { useTableData } from '../runs-table/use-table-data.js'
import { useTableState } from '../runs-table/use-table-state.js'
import { ViewsMenu } from '../runs-table/views-menu.js'

const LIVE_INTERVAL_MS = 5000
/**
 * Sparklines and convention flags of the rows on screen are read once the rows have stayed
 * 200 ms (longer than a frame of a busy page, so a fast scroll does not ask for the extras of
 * every row it passes), or every 800 ms during a long, steady scroll.
 */
const EXTRAS_TIMING = { delayMs: 200, maxDelayMs: 800 }

/** The project page: the runs table with its filter, views, columns, grouping and actions. */
export function RunsPage({ workspace, project }: { workspace: string; project: string }) {
  const ref = useMemo<ProjectRef>(() => ({ workspace, project }), [workspace, project])
  const api = useApi()
  const navigate = useNavigate()
  const handle = useTableState(ref)
  const { state, setState } = handle

  const fields = useQuery({
    queryKey: ['project-fields', workspace, project],
    queryFn: () => api.projects.fields(ref, { kinds: ['run'] }),
    staleTime: 60_000,
  })
  const conventions = useQuery({
    queryKey: ['conventions', workspace, project],
    queryFn: () => api.conventions.get(ref),
    staleTime: 60_000,
  })
  const picker = useMemo(() => pickerFields(fields.data?.fields ?? []), [fields.data])
  const types = useMemo(
    () => new Map<string, FieldType[]>(picker.map((field) => [field.path, field.types])),
    [picker],
  )
  const [widths, setWidths] = useState<Record<string, number>>(() => loadWidths(ref))
  const columns = useMemo(() => buildColumns(state, types, widths), [state, types, widths])
  const numericColumns = useMemo(
    () => columns.filter((column) => column.numeric).map((column) => column.path),
    [columns],
  )
  const [columnWindow, setColumnWindow] = useState<ColumnWindow | null>(null)
  const readColumns = columnsToRead(columns, columnWindow)
  const data = useTableData(ref, state, numericColumns, readColumns)

  const metricNames = conventions.data?.metrics.map((m) => m.name) ?? []
  const tagNames = conventions.data?.tags.map((t) => t.name) ?? []
  const hasConventions = metricNames.length + tagNames.length > 0
  const isAccepted = useMemo(() => {
    const metrics = metricNames.length > 0 ? createNameMatcher(metricNames) : () => false
    return (path: string) => metrics(path)
  }, [conventions.data])

  // Sparklines and convention flags of the rows on screen, fetched in batches.
  const seriesPaths = columns.filter((c) => c.type === 'floatSeries').map((c) => c.path)
  const sparklines = useBatchedLookup<Float64Array>(JSON.stringify([ref, seriesPaths]), {
    batchSize: 100,
    ...EXTRAS_TIMING,
    fetch: async (keys, signal) => {
      const ids = [...new Set(keys.map((key) => key.split('\n')[0]!))]
      const { sparklines: lines } = await api.search.sparklines(
        ref,
        { objects: ids, paths: seriesPaths.slice(0, 10), points: 40 },
        signal,
      )
      return new Map(
        lines.map((line) => [`${line.object}\n${line.path}`, floatsFromWire(line.values)]),
      )
    },
  })
  const flags = useBatchedLookup<{ unknownMetrics: string[]; unknownTags: string[] }>(
    JSON.stringify([ref, conventions.dataUpdatedAt]),
    {
      batchSize: 100,
      ...EXTRAS_TIMING,
      fetch: async (ids, signal) => {
        const result = await api.conventions.check(ref, ids, signal)
        return new Map(result.objects.map((object) => [object.id, object]))
      },
    },
  )
  const visible = useRef<TableRow[]>([])
  const onVisibleRows = useCallback(
    (rows: TableRow[]) => {
      visible.current = rows
      if (seriesPaths.length > 0) {
        sparklines.show(
          rows.flatMap((row) =>
            seriesPaths.slice(0, 10).map((path) => `${row.object.id}\n${path}`),
          ),
        )
      }
      if (hasConventions) flags.show(rows.map((row) => row.object.id))
    },
    [sparklines, flags, seriesPaths.join('\n'), hasConventions],
  )

  // Live updates: while runs on screen are active, read them again every few seconds.
  useEffect(() => {
    const timer = setInterval(() => {
      const active = visible.current.filter((row) => row.object.state === 'active')
      if (active.length === 0 || document.hidden) return
      data.refresh()
      sparklines.invalidate(
        active.flatMap((row) => seriesPaths.map((path) => `${row.object.id}\n${path}`)),
      )
      flags.invalidate(active.map((row) => row.object.id))
      onVisibleRows(visible.current)
    }, LIVE_INTERVAL_MS)
    return () => clearInterval(timer)
  })

  const [selection, setSelection] = useState<ReadonlyMap<string, TableRow>>(new Map())
  const [pickerOpen, setPickerOpen] = useState(false)
  const [menu, setMenu] = useState<{ path: string; anchor: DOMRect } | null>(null)

  const onResize = useCallback(
    (path: string, width: number) => {
      setWidths((current) => {
        const next = { ...current, [path]: Math.round(width) }
        saveWidths(ref, next)
        return next
      })
    },
    [ref],
  )

  const selected = [...selection.values()]
  return (
    <div className="page-fill">
      <ProjectTabs workspace={workspace} project={project} />
      <div className="toolbar">
        <ViewsMenu projectRef={ref} handle={handle} />
        <QueryBar
          query={state.query}
          onQuery={(query) => setState({ ...state, query })}
          serverError={data.error}
          fields={picker}
        />
        <div style={{ position: 'relative' }}>
          <button onClick={() => setPickerOpen(!pickerOpen)} aria-expanded={pickerOpen}>
            + Column
          </button>
          {pickerOpen && (
            <FieldPicker
              fields={picker}
              loading={fields.isPending}
              shown={new Set(state.columns)}
              isAccepted={isAccepted}
              onClose={() => setPickerOpen(false)}
              onPick={(path) => {
                setState(addColumn(state, path))
                setPickerOpen(false)
              }}
            />
          )}
        </div>
        <label className="row small">
          Group by
          <select
            aria-label="Group by"
            value={state.groupBy ?? ''}
            onChange={(event) => setState({ ...state, groupBy: event.target.value || null })}
          >
            <option value="">(none)</option>
            {groupablePaths(picker, state.groupBy).map((path) => (
              <option key={path} value={path}>
                {path}
              </option>
            ))}
          </select>
        </label>
        <label className="row small">
          <input
            type="checkbox"
            checked={state.showTrashed}
            onChange={(event) => setState({ ...state, showTrashed: event.target.checked })}
          />
          Show trashed
        </label>
        <span className="small muted" data-testid="run-count">
          {data.total === null ? (
            <Spinner label="" />
          ) : data.grouped ? (
            `${formatNumber(data.total)} groups`
          ) : (
            `${formatNumber(data.total)} runs`
          )}
        </span>
      </div>
      {selected.length > 0 && (
        <SelectionBar
          projectRef={ref}
          rows={selected}
          onClear={() => setSelection(new Map())}
          onDone={() => {
            setSelection(new Map())
            data.refresh()
          }}
        />
      )}
      {data.error !== null && !isQueryError(data.error) && (
        <div style={{ padding: '0 16px' }}>
          <ErrorMessage error={data.error} retry={() => data.refresh()} />
        </div>
      )}
      {!handle.ready ? (
        <div className="page">
          <Spinner />
        </div>
      ) : (
        <RunsTable
          data={data}
          columns={columns}
          sort={state.sort}
          selection={new Set(selection.keys())}
          sparkline={(id, path) => sparklines.get(`${id}\n${path}`)}
          sparkVersion={sparklines.version}
          flags={(id) => (hasConventions ? flags.get(id) : null)}
          onSort={(path) => setState({ ...state, sort: nextSort(state.sort, path) })}
          onResize={onResize}
          onColumnMenu={(path, anchor) => setMenu({ path, anchor })}
          onToggleSelect={(row) =>
            setSelection((current) => {
              const next = new Map(current)
              if (next.has(row.object.id)) next.delete(row.object.id)
              else next.set(row.object.id, row)
              return next
            })
          }
          onOpen={(row) => navigate(paths.run(workspace, project, row.object.shortId))}
          onVisibleRows={onVisibleRows}
          onVisibleColumns={setColumnWindow}
        />
      )}
      {!data.grouped && data.total === 0 && (
        <div className="page muted">
          {state.query
            ? 'No run matches this filter.'
            : 'No runs yet. Log one with the Neptune client or the Nereid SDK; it appears here as soon as it starts.'}
        </div>
      )}
      {menu && (
        <ColumnMenu
          path={menu.path}
          anchor={menu.anchor}
          pinned={state.pinned.includes(menu.path)}
          onClose={() => setMenu(null)}
          onSort={(direction) => setState({ ...state, sort: { path: menu.path, direction } })}
          onPin={() => setState(togglePin(state, menu.path))}
          onGroup={() => setState({ ...state, groupBy: menu.path })}
          onMove={(delta) =>
            setState(moveColumn(state, menu.path, state.columns.indexOf(menu.path) + delta))
          }
          onRemove={() => setState(removeColumn(state, menu.path))}
        />
      )}
    </div>
  )
}

const GROUPABLE: ReadonlySet<string> = new Set(['string', 'int', 'float', 'bool', 'stringSet'])

function groupablePaths(fields: { path: string; types: FieldType[] }[], current: string | null) {
  const list = ['sys/tags', 'sys/owner', 'sys/state', 'sys/group_tags']
  for (const field of fields) {
    if (field.types.every((type) => GROUPABLE.has(type)) && !list.includes(field.path)) {
      list.push(field.path)
    }
  }
  if (current && !list.includes(current)) list.push(current)
  return list.slice(0, 500)
}

function isQueryError(error: unknown): boolean {
  return (error as { code?: string })?.code === 'NQL_SYNTAX_ERROR'
}

function ColumnMenu(props: {
  path: string
  anchor: DOMRect
  pinned: boolean
  onClose(): void
  onSort(direction: 'asc' | 'desc'): void
  onPin(): void
  onGroup(): void
  onMove(delta: number): void
  onRemove(): void
}) {
  const act = (action: () => void) => () => {
    action()
    props.onClose()
  }
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && props.onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [props])
  return (
    <div
      className="modal-backdrop"
      style={{ background: 'transparent', padding: 0 }}
      onMouseDown={props.onClose}
    >
      <div
        className="popover menu"
        role="menu"
        style={{
          top: props.anchor.bottom + 4,
          left: Math.max(8, props.anchor.right - 200),
          position: 'fixed',
        }}
        onMouseDown={(event) => event.stopPropagation()}
      >
        <div className="small faint mono ellipsis" style={{ padding: '2px 8px' }}>
          {props.path}
        </div>
        <button role="menuitem" onClick={act(() => props.onSort('asc'))}>
          Sort ascending
        </button>
        <button role="menuitem" onClick={act(() => props.onSort('desc'))}>
          Sort descending
        </button>
        <button role="menuitem" onClick={act(props.onPin)}>
          {props.pinned ? 'Unpin' : 'Pin to the left'}
        </button>
        <button role="menuitem" onClick={act(props.onGroup)}>
          Group by this column
        </button>
        <button role="menuitem" onClick={act(() => props.onMove(-1))}>
          Move left
        </button>
        <button role="menuitem" onClick={act(() => props.onMove(1))}>
          Move right
        </button>
        <button role="menuitem" className="danger" onClick={act(props.onRemove)}>
          Remove column
        </button>
      </div>
    </div>
  )
}

function SelectionBar({
  projectRef,
  rows,
  onClear,
  onDone,
}: {
  projectRef: ProjectRef
  rows: TableRow[]
  onClear(): void
  onDone(): void
}) {
  const api = useApi()
  const navigate = useNavigate()
  const { toast } = useServices()
  const ids = rows.map((row) => row.object.id)
  const trashed = rows.filter((row) => row.object.trashed)
  const trash = useMutation({
    mutationFn: () =>
      api.trash.trash(
        projectRef,
        ids.filter((_, i) => !rows[i]!.object.trashed),
      ),
    onSuccess: (result) => {
      toast(`Moved ${result.updated.length} run(s) to the trash`)
      onDone()
    },
  })
  const restore = useMutation({
    mutationFn: () =>
      api.trash.restore(
        projectRef,
        trashed.map((row) => row.object.id),
      ),
    onSuccess: (result) => {
      toast(`Restored ${result.updated.length} run(s)`)
      onDone()
    },
  })
  return (
    <div className="toolbar" style={{ background: 'var(--bg-selected)' }}>
      <strong>{rows.length} selected</strong>
      <button
        className="primary"
        disabled={rows.length < 2}
        title={rows.length < 2 ? 'Select at least two runs' : undefined}
        onClick={() =>
          navigate(
            paths.compare(
              projectRef.workspace,
              projectRef.project,
              rows.map((r) => r.object.shortId),
            ),
          )
        }
      >
        Compare
      </button>
      {trashed.length < rows.length && (
        <button className="danger" disabled={trash.isPending} onClick={() => trash.mutate()}>
          Move to trash
        </button>
      )}
      {trashed.length > 0 && (
        <button disabled={restore.isPending} onClick={() => restore.mutate()}>
          Restore {trashed.length}
        </button>
      )}
      <button onClick={onClear}>Clear selection</button>
      {(trash.isError || restore.isError) && <ErrorMessage error={trash.error ?? restore.error} />}
    </div>
  )
}

const widthKey = (ref: ProjectRef) => `nereid.widths.${ref.workspace}/${ref.project}`

function loadWidths(ref: ProjectRef): Record<string, number> {
  try {
    return JSON.parse(localStorage.getItem(widthKey(ref)) ?? '{}') as Record<string, number>
  } catch {
    return {}
  }
}

function saveWidths(ref: ProjectRef, widths: Record<string, number>): void {
  localStorage.setItem(widthKey(ref), JSON.stringify(widths))
}
