import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useApi, useServices } from '../app-context.js'
import { ErrorMessage } from '../components/error-message.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { formatBytes, formatDateTime } from '../runs-table/core/format-value.js'

/** What is in the trash: restore it, delete it for good, or empty the trash, with the space freed. */
export default function TrashPage({ workspace, project }: { workspace: string; project: string }) {
  const api = useApi()
  const queryClient = useQueryClient()
  const { toast } = useServices()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const [offset, setOffset] = useState(0)
  const trash = useQuery({
    queryKey: ['trash', workspace, project, offset],
    queryFn: () => api.trashList(ref, offset, 100),
  })
  const usage = useQuery({
    queryKey: ['usage', workspace, project],
    queryFn: () => api.projects.usage(ref),
  })
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const refresh = () => {
    setSelected(new Set())
    void queryClient.invalidateQueries({ queryKey: ['trash', workspace, project] })
    void queryClient.invalidateQueries({ queryKey: ['usage', workspace, project] })
  }
  const restore = useMutation({
    mutationFn: () => api.trash.restore(ref, [...selected]),
    onSuccess: (result) => {
      toast(`Restored ${result.updated.length}`)
      refresh()
    },
  })
  const remove = useMutation({
    mutationFn: () => api.trash.deletePermanently(ref, [...selected]),
    onSuccess: (result) => {
      toast(
        `Deleted ${result.updated.length} for good, freeing ${formatBytes(result.freedBytes ?? 0)}`,
      )
      refresh()
    },
  })
  const empty = useMutation({
    mutationFn: () => api.emptyTrash(ref),
    onSuccess: (result) => {
      toast(
        `Emptied the trash: ${result.deleted.length} deleted, ${formatBytes(result.freedBytes)} freed`,
      )
      refresh()
    },
  })
  const busy = restore.isPending || remove.isPending || empty.isPending
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page">
        <div className="row" style={{ marginBottom: 12 }}>
          <h1 className="grow" style={{ margin: 0 }}>
            Trash
          </h1>
          {usage.data && (
            <span className="muted" data-testid="trash-size">
              {formatBytes(usage.data.trash)} in the trash
            </span>
          )}
          <button disabled={selected.size === 0 || busy} onClick={() => restore.mutate()}>
            Restore {selected.size || ''}
          </button>
          <button
            className="danger"
            disabled={selected.size === 0 || busy}
            onClick={() =>
              window.confirm(
                `Delete ${selected.size} object(s) and their files for good? This cannot be undone.`,
              ) && remove.mutate()
            }
          >
            Delete permanently
          </button>
          <button
            className="danger"
            disabled={busy || trash.data?.total === 0}
            onClick={() =>
              window.confirm(
                `Delete everything in the trash (${trash.data?.total ?? 0} objects, ${formatBytes(usage.data?.trash ?? 0)}) for good?`,
              ) && empty.mutate()
            }
          >
            {empty.isPending ? 'Emptying…' : 'Empty trash'}
          </button>
        </div>
        {busy && (
          <div className="progress indeterminate">
            <div />
          </div>
        )}
        {(restore.isError || remove.isError || empty.isError) && (
          <ErrorMessage error={restore.error ?? remove.error ?? empty.error} />
        )}
        <QueryState query={trash}>
          {(data) =>
            data.total === 0 ? (
              <p className="muted">The trash is empty.</p>
            ) : (
              <>
                <table className="simple">
                  <thead>
                    <tr>
                      <th style={{ width: 32 }}>
                        <input
                          type="checkbox"
                          aria-label="Select all on this page"
                          checked={
                            data.objects.length > 0 && data.objects.every((o) => selected.has(o.id))
                          }
                          onChange={(event) =>
                            setSelected(
                              event.target.checked
                                ? new Set(data.objects.map((o) => o.id))
                                : new Set(),
                            )
                          }
                        />
                      </th>
                      <th>Id</th>
                      <th>Kind</th>
                      <th>Owner</th>
                      <th className="right">Size</th>
                      <th>Trashed</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.objects.map((object) => (
                      <tr key={object.id} data-object={object.shortId}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${object.shortId}`}
                            checked={selected.has(object.id)}
                            onChange={() =>
                              setSelected((current) => {
                                const next = new Set(current)
                                if (next.has(object.id)) next.delete(object.id)
                                else next.add(object.id)
                                return next
                              })
                            }
                          />
                        </td>
                        <td className="mono">{object.shortId}</td>
                        <td>{object.kind}</td>
                        <td>{object.owner}</td>
                        <td className="right">{formatBytes(object.sizeBytes)}</td>
                        <td>{formatDateTime(Date.parse(object.trashedAt))}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {data.total > 100 && (
                  <div className="row" style={{ marginTop: 8 }}>
                    <button
                      disabled={offset === 0}
                      onClick={() => setOffset(Math.max(0, offset - 100))}
                    >
                      Previous
                    </button>
                    <span className="small muted">
                      {offset + 1}–{Math.min(data.total, offset + 100)} of {data.total}
                    </span>
                    <button
                      disabled={offset + 100 >= data.total}
                      onClick={() => setOffset(offset + 100)}
                    >
                      Next
                    </button>
                  </div>
                )}
              </>
            )
          }
        </QueryState>
      </div>
    </div>
  )
}
