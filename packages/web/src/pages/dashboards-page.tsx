import { useMutation, useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useApi, useNavigate } from '../app-context.js'
import { ErrorMessage } from '../components/error-message.js'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { paths } from '../router/routes.js'
import { formatRelativeTime } from '../runs-table/core/format-value.js'

/** The project's dashboards, and a way to start a new one. */
export default function DashboardsPage({
  workspace,
  project,
}: {
  workspace: string
  project: string
}) {
  const api = useApi()
  const navigate = useNavigate()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const list = useQuery({
    queryKey: ['dashboards', workspace, project],
    queryFn: () => api.dashboards.list(ref),
  })
  const [name, setName] = useState('')
  const [id] = useState(() => crypto.randomUUID())
  const create = useMutation({
    mutationFn: () =>
      api.dashboards.put(ref, id, { name: name.trim(), widgets: [], baseRevision: 0 }),
    onSuccess: ({ dashboard }) =>
      navigate(`${paths.dashboard(workspace, project, dashboard.id)}?edit=1`),
  })
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page">
        <h1>Dashboards</h1>
        <form
          className="row"
          style={{ marginBottom: 16 }}
          onSubmit={(event) => {
            event.preventDefault()
            if (name.trim()) create.mutate()
          }}
        >
          <input
            aria-label="New dashboard name"
            placeholder="New dashboard name"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button className="primary" type="submit" disabled={!name.trim() || create.isPending}>
            Create dashboard
          </button>
        </form>
        {create.isError && <ErrorMessage error={create.error} />}
        <QueryState query={list}>
          {({ dashboards }) =>
            dashboards.length === 0 ? (
              <p className="muted">No dashboards yet: name one above to start.</p>
            ) : (
              <table className="simple">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Widgets</th>
                    <th>By</th>
                    <th>Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {dashboards.map((dashboard) => (
                    <tr key={dashboard.id}>
                      <td>
                        <Link to={paths.dashboard(workspace, project, dashboard.id)}>
                          {dashboard.name}
                        </Link>
                      </td>
                      <td>{dashboard.widgetCount}</td>
                      <td>{dashboard.createdBy}</td>
                      <td>{formatRelativeTime(Date.parse(dashboard.updatedAt), Date.now())}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryState>
      </div>
    </div>
  )
}
