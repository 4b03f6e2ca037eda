import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useApi, useNavigate, useSearchParams, useServices } from '../app-context.js'
import type { DashboardWire, WidgetWire } from '../api/wire-types.js'
import { ErrorMessage } from '../components/error-message.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { placeNew } from '../dashboards/core/grid-layout.js'
import { DashboardGrid } from '../dashboards/dashboard-grid.js'
import { WIDGET_KINDS, WidgetEditor } from '../dashboards/widget-editor.js'
import { paths } from '../router/routes.js'

/** One dashboard: its widgets, and an edit mode to add, arrange, resize and save them. */
export default function DashboardPage({
  workspace,
  project,
  dashboard,
}: {
  workspace: string
  project: string
  dashboard: string
}) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const query = useQuery({
    queryKey: ['dashboard', workspace, project, dashboard],
    queryFn: () => api.dashboards.get(ref, dashboard),
  })
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <QueryState query={query} label="Loading the dashboard…">
        {(data) => <DashboardEditor key={data.revision} projectRef={ref} dashboard={data} />}
      </QueryState>
    </div>
  )
}

function DashboardEditor({
  projectRef,
  dashboard,
}: {
  projectRef: { workspace: string; project: string }
  dashboard: DashboardWire
}) {
  const api = useApi()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const { toast } = useServices()
  const [params, setParams] = useSearchParams()
  const editing = params.get('edit') === '1'
  const [name, setName] = useState(dashboard.name)
  const [widgets, setWidgets] = useState<WidgetWire[]>(dashboard.widgets)
  const [editor, setEditor] = useState<
    (Omit<WidgetWire, 'layout'> & { layout?: WidgetWire['layout'] }) | null
  >(null)
  const dirty =
    name !== dashboard.name || JSON.stringify(widgets) !== JSON.stringify(dashboard.widgets)

  useEffect(() => {
    if (!dirty) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [dirty])

  const setEditing = (on: boolean) => {
    const next = new URLSearchParams(params)
    if (on) next.set('edit', '1')
    else next.delete('edit')
    setParams(next)
  }
  const save = useMutation({
    mutationFn: () =>
      api.dashboards.put(projectRef, dashboard.id, {
        name: name.trim(),
        widgets,
        baseRevision: dashboard.revision,
      }),
    onSuccess: async ({ dashboard: saved }) => {
      queryClient.setQueryData(
        ['dashboard', projectRef.workspace, projectRef.project, dashboard.id],
        saved,
      )
      await queryClient.invalidateQueries({
        queryKey: ['dashboards', projectRef.workspace, projectRef.project],
      })
      toast('Dashboard saved')
      setEditing(false)
    },
  })
  const remove = useMutation({
    mutationFn: () => api.dashboards.delete(projectRef, dashboard.id),
    onSuccess: () => navigate(paths.dashboards(projectRef.workspace, projectRef.project)),
  })

  return (
    <div className="page">
      <div className="row" style={{ marginBottom: 12 }}>
        {editing ? (
          <input
            aria-label="Dashboard name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            style={{ fontSize: 18, fontWeight: 600 }}
          />
        ) : (
          <h1 style={{ margin: 0 }}>{dashboard.name}</h1>
        )}
        <span className="grow" />
        {editing ? (
          <>
            <button
              onClick={() =>
                setEditor({ id: crypto.randomUUID(), kind: 'lineChart', title: '', config: {} })
              }
            >
              Add widget
            </button>
            <button
              onClick={() => {
                setWidgets(dashboard.widgets)
                setName(dashboard.name)
                setEditing(false)
              }}
            >
              Discard changes
            </button>
            <button
              className="primary"
              disabled={save.isPending || !name.trim()}
              onClick={() => save.mutate()}
            >
              {save.isPending ? 'Saving…' : 'Save dashboard'}
            </button>
          </>
        ) : (
          <>
            <button onClick={() => setEditing(true)}>Edit</button>
            <button
              className="danger"
              onClick={() =>
                window.confirm(`Delete the dashboard “${dashboard.name}”?`) && remove.mutate()
              }
            >
              Delete
            </button>
          </>
        )}
      </div>
      {save.isError && <ErrorMessage error={save.error} />}
      {remove.isError && <ErrorMessage error={remove.error} />}
      {widgets.length === 0 && (
        <p className="muted">
          {editing
            ? 'Add a widget to start.'
            : 'This dashboard is empty: choose Edit to add widgets.'}
        </p>
      )}
      <DashboardGrid
        projectRef={projectRef}
        widgets={widgets}
        editing={editing}
        onLayout={setWidgets}
        onEdit={(widget) => setEditor(widget)}
        onRemove={(widget) => setWidgets(widgets.filter((w) => w.id !== widget.id))}
      />
      {editor && (
        <WidgetEditor
          widget={editor}
          onClose={() => setEditor(null)}
          onSave={(edited) => {
            const existing = widgets.find((w) => w.id === edited.id)
            if (existing) {
              setWidgets(
                widgets.map((w) => (w.id === edited.id ? { ...edited, layout: w.layout } : w)),
              )
            } else {
              const [w, h] = WIDGET_KINDS.find((k) => k.kind === edited.kind)!.size
              setWidgets([...widgets, { ...edited, layout: placeNew(widgets, w, h) }])
            }
            setEditor(null)
          }}
        />
      )}
    </div>
  )
}
