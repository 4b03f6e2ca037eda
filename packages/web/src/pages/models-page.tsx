import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useApi } from '../app-context.js'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { paths } from '../router/routes.js'
import { formatDateTime } from '../runs-table/core/format-value.js'

const str = (
  row: { fields: { path: string; value: Record<string, unknown> }[] },
  path: string,
  key = 'value',
) => String(row.fields.find((f) => f.path === path)?.value[key] ?? '')

/** The project's model registry: every model with its number of versions. */
export default function ModelsPage({ workspace, project }: { workspace: string; project: string }) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const models = useQuery({
    queryKey: ['models', workspace, project],
    queryFn: () =>
      api.search.query(ref, {
        kinds: ['model'],
        columns: ['sys/name', 'sys/creation_time', 'sys/owner', 'sys/tags'],
        sort: { path: 'sys/creation_time', direction: 'desc' },
        limit: 1000,
      }),
  })
  const versions = useQuery({
    queryKey: ['model-version-counts', workspace, project],
    queryFn: () =>
      api.search.groups(ref, { groupBy: 'sys/model_id', kinds: ['modelVersion'], limit: 1000 }),
  })
  const counts = new Map((versions.data?.groups ?? []).map((g) => [String(g.value), g.count]))
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page">
        <h1>Models</h1>
        <QueryState query={models} label="Loading models…">
          {(data) =>
            data.rows.length === 0 ? (
              <p className="muted">
                No models yet. Register one with <code>neptune.init_model(key="MOD")</code> or the
                SDK's <code>initModel</code>.
              </p>
            ) : (
              <table className="simple">
                <thead>
                  <tr>
                    <th>Model</th>
                    <th>Name</th>
                    <th>Versions</th>
                    <th>Owner</th>
                    <th>Created</th>
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((row) => (
                    <tr key={row.object.id}>
                      <td>
                        <Link to={paths.model(workspace, project, row.object.shortId)}>
                          {row.object.shortId}
                        </Link>
                      </td>
                      <td>{str(row, 'sys/name')}</td>
                      <td>{counts.get(row.object.shortId) ?? 0}</td>
                      <td>{row.object.owner}</td>
                      <td>{formatDateTime(Date.parse(row.object.createdAt))}</td>
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
