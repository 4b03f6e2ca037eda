import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useApi } from '../app-context.js'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { paths } from '../router/routes.js'
import { formatRelativeTime } from '../runs-table/core/format-value.js'

/** The project's notebooks and how many checkpoints each has. */
export default function NotebooksPage({
  workspace,
  project,
}: {
  workspace: string
  project: string
}) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const notebooks = useQuery({
    queryKey: ['notebooks', workspace, project],
    queryFn: () => api.notebooks.list(ref),
  })
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page">
        <h1>Notebooks</h1>
        <QueryState query={notebooks}>
          {(data) =>
            data.notebooks.length === 0 ? (
              <p className="muted">
                No notebooks yet. Record a checkpoint with{' '}
                <code>nereid notebook checkpoint analysis.ipynb</code>.
              </p>
            ) : (
              <table className="simple">
                <thead>
                  <tr>
                    <th>Notebook</th>
                    <th>Id</th>
                    <th>Checkpoints</th>
                    <th>Last checkpoint</th>
                  </tr>
                </thead>
                <tbody>
                  {data.notebooks.map((notebook) => (
                    <tr key={notebook.id}>
                      <td>
                        <Link to={paths.notebook(workspace, project, notebook.shortId)}>
                          {notebook.name}
                        </Link>
                      </td>
                      <td className="mono">{notebook.shortId}</td>
                      <td>{notebook.checkpointCount}</td>
                      <td>
                        {notebook.lastCheckpointAt
                          ? formatRelativeTime(Date.parse(notebook.lastCheckpointAt), Date.now())
                          : '—'}
                      </td>
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
