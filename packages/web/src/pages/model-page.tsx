import { formatQuery, MODEL_STAGES } from '@nereid/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useApi, useServices } from '../app-context.js'
import { ErrorMessage } from '../components/error-message.js'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { paths } from '../router/routes.js'
import { formatDateTime } from '../runs-table/core/format-value.js'

/** A model: its versions with their stages (changed in place), and a link to each version. */
export default function ModelPage({
  workspace,
  project,
  model,
}: {
  workspace: string
  project: string
  model: string
}) {
  const api = useApi()
  const queryClient = useQueryClient()
  const { toast } = useServices()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const info = useQuery({
    queryKey: ['object', ref, model],
    queryFn: () => api.objects.get(ref, model),
  })
  const versions = useQuery({
    queryKey: ['model-versions', workspace, project, info.data?.shortId],
    enabled: info.isSuccess,
    queryFn: () =>
      api.search.query(ref, {
        kinds: ['modelVersion'],
        query: formatQuery({
          kind: 'condition',
          field: { path: 'sys/model_id', type: 'string' },
          operator: '=',
          value: { kind: 'string', value: info.data!.shortId },
          position: 0,
        }),
        columns: ['sys/name', 'sys/stage', 'sys/creation_time', 'sys/owner'],
        sort: { path: 'sys/creation_time', direction: 'desc' },
        limit: 1000,
      }),
  })
  const stage = useMutation({
    mutationFn: ({ id, value }: { id: string; value: string }) =>
      api.objects.write(ref, id, [{ op: 'assignString', path: 'sys/stage', value }]),
    onSuccess: async (_, { value }) => {
      toast(`Stage changed to ${value}`)
      await queryClient.invalidateQueries({ queryKey: ['model-versions', workspace, project] })
    },
  })
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page">
        <div className="small">
          <Link to={paths.models(workspace, project)}>Models</Link> /
        </div>
        <QueryState query={info}>
          {(object) => (
            <>
              <h1 className="mono">{object.shortId}</h1>
              <p className="small">
                <Link to={paths.run(workspace, project, object.shortId, 'metadata')}>
                  Model metadata
                </Link>
              </p>
              {stage.isError && <ErrorMessage error={stage.error} />}
              <QueryState query={versions} label="Loading versions…">
                {(data) =>
                  data.rows.length === 0 ? (
                    <p className="muted">
                      No versions yet. Create one with{' '}
                      <code>neptune.init_model_version(model="{object.shortId}")</code>.
                    </p>
                  ) : (
                    <table className="simple" data-testid="versions">
                      <thead>
                        <tr>
                          <th>Version</th>
                          <th>Name</th>
                          <th>Stage</th>
                          <th>Owner</th>
                          <th>Created</th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.rows.map((row) => {
                          const current = String(
                            row.fields.find((f) => f.path === 'sys/stage')?.value.value ?? 'none',
                          )
                          return (
                            <tr key={row.object.id} data-version={row.object.shortId}>
                              <td>
                                <Link
                                  to={paths.modelVersion(
                                    workspace,
                                    project,
                                    object.shortId,
                                    row.object.shortId,
                                  )}
                                >
                                  {row.object.shortId}
                                </Link>
                              </td>
                              <td>
                                {String(
                                  row.fields.find((f) => f.path === 'sys/name')?.value.value ?? '',
                                )}
                              </td>
                              <td>
                                <select
                                  aria-label={`Stage of ${row.object.shortId}`}
                                  value={current}
                                  disabled={stage.isPending || row.object.trashed}
                                  onChange={(event) =>
                                    stage.mutate({ id: row.object.id, value: event.target.value })
                                  }
                                >
                                  {MODEL_STAGES.map((s) => (
                                    <option key={s}>{s}</option>
                                  ))}
                                </select>
                              </td>
                              <td>{row.object.owner}</td>
                              <td>{formatDateTime(Date.parse(row.object.createdAt))}</td>
                            </tr>
                          )
                        })}
                      </tbody>
                    </table>
                  )
                }
              </QueryState>
            </>
          )}
        </QueryState>
      </div>
    </div>
  )
}
