import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useApi } from '../app-context.js'
import type { CheckpointWire } from '../api/wire-types.js'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { MarkdownView } from '../components/markdown-view.js'
import { diffLines } from '../notebooks/core/line-diff.js'
import {
  notebookLines,
  parseNotebook,
  type ParsedNotebook,
} from '../notebooks/core/notebook-cells.js'
import { paths } from '../router/routes.js'
import { formatBytes, formatDateTime } from '../runs-table/core/format-value.js'

/** A notebook's checkpoints: view one, or diff two. */
export default function NotebookPage({
  workspace,
  project,
  notebook,
}: {
  workspace: string
  project: string
  notebook: string
}) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const info = useQuery({
    queryKey: ['notebook', ref, notebook],
    queryFn: () => api.notebooks.get(ref, notebook),
  })
  const checkpoints = useQuery({
    queryKey: ['checkpoints', ref, notebook],
    queryFn: () => api.notebooks.checkpoints(ref, notebook),
  })
  const [view, setView] = useState<string | null>(null)
  const [compare, setCompare] = useState<string[]>([])
  const list = checkpoints.data?.checkpoints ?? []
  const shown = view ?? list[0]?.id ?? null
  const toggleCompare = (id: string) =>
    setCompare((current) =>
      current.includes(id) ? current.filter((c) => c !== id) : [...current, id].slice(-2),
    )
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page">
        <div className="small">
          <Link to={paths.notebooks(workspace, project)}>Notebooks</Link> /
        </div>
        <QueryState query={info}>{(data) => <h1>{data.name}</h1>}</QueryState>
        <QueryState query={checkpoints} label="Loading checkpoints…">
          {() => (
            <div className="split" style={{ gridTemplateColumns: 'minmax(320px, 420px) 1fr' }}>
              <div>
                <table className="simple small">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>Message</th>
                      <th>When</th>
                      <th title="Choose two to compare">Diff</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((checkpoint) => (
                      <tr
                        key={checkpoint.id}
                        style={{
                          background:
                            shown === checkpoint.id && compare.length < 2
                              ? 'var(--bg-selected)'
                              : undefined,
                        }}
                      >
                        <td>
                          <button
                            className="link"
                            onClick={() => (setView(checkpoint.id), setCompare([]))}
                          >
                            {checkpoint.number}
                          </button>
                        </td>
                        <td
                          title={`${checkpoint.author} · ${formatBytes(checkpoint.size)}${checkpoint.path ? ` · ${checkpoint.path}` : ''}`}
                        >
                          {checkpoint.message || <span className="faint">(no message)</span>}
                        </td>
                        <td className="nowrap">
                          {formatDateTime(Date.parse(checkpoint.createdAt))}
                        </td>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Compare checkpoint ${checkpoint.number}`}
                            checked={compare.includes(checkpoint.id)}
                            onChange={() => toggleCompare(checkpoint.id)}
                          />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {list.length === 0 && <p className="muted">No checkpoints recorded yet.</p>}
              </div>
              <div>
                {compare.length === 2 ? (
                  <CheckpointDiff
                    projectRef={ref}
                    notebook={notebook}
                    a={list.find((c) => c.id === compare[0])!}
                    b={list.find((c) => c.id === compare[1])!}
                  />
                ) : shown ? (
                  <CheckpointView
                    projectRef={ref}
                    notebook={notebook}
                    checkpoint={list.find((c) => c.id === shown)!}
                  />
                ) : null}
              </div>
            </div>
          )}
        </QueryState>
      </div>
    </div>
  )
}

function useCheckpoint(
  projectRef: { workspace: string; project: string },
  notebook: string,
  checkpoint: CheckpointWire,
) {
  const api = useApi()
  return useQuery({
    queryKey: ['checkpoint-content', projectRef, notebook, checkpoint.id],
    queryFn: async ({ signal }): Promise<ParsedNotebook> =>
      parseNotebook(await api.notebooks.content(projectRef, notebook, checkpoint.id, signal)),
    staleTime: Infinity,
  })
}

function CheckpointView({
  projectRef,
  notebook,
  checkpoint,
}: {
  projectRef: { workspace: string; project: string }
  notebook: string
  checkpoint: CheckpointWire
}) {
  const content = useCheckpoint(projectRef, notebook, checkpoint)
  return (
    <div>
      <h2>
        Checkpoint {checkpoint.number} <span className="small muted">by {checkpoint.author}</span>
      </h2>
      <QueryState query={content} label="Reading the notebook…">
        {(parsed) => (
          <div data-testid="notebook-cells">
            {parsed.cells.map((cell, index) => (
              <div key={index} className="nb-cell">
                <div className="nb-source">
                  {cell.type === 'markdown' ? (
                    <MarkdownView text={cell.source} />
                  ) : (
                    <pre>
                      <span className="faint">[{cell.executionCount ?? ' '}] </span>
                      {cell.source}
                    </pre>
                  )}
                </div>
                {cell.outputs.map((output, i) => (
                  <pre key={i} className="nb-output">
                    {output}
                  </pre>
                ))}
              </div>
            ))}
          </div>
        )}
      </QueryState>
    </div>
  )
}

function CheckpointDiff({
  projectRef,
  notebook,
  a,
  b,
}: {
  projectRef: { workspace: string; project: string }
  notebook: string
  a: CheckpointWire
  b: CheckpointWire
}) {
  const [older, newer] = a.number < b.number ? [a, b] : [b, a]
  const left = useCheckpoint(projectRef, notebook, older)
  const right = useCheckpoint(projectRef, notebook, newer)
  const diff = useMemo(
    () =>
      left.data && right.data
        ? diffLines(notebookLines(left.data), notebookLines(right.data))
        : null,
    [left.data, right.data],
  )
  return (
    <div>
      <h2>
        Checkpoint {older.number} → {newer.number}
      </h2>
      {(left.isPending || right.isPending) && <span className="spinner" />}
      {diff && (
        <div className="card" data-testid="notebook-diff">
          {diff.every((line) => line.kind === 'same') && (
            <p className="muted card-body">The two checkpoints hold the same cells.</p>
          )}
          {diff.map((line, index) => (
            <div key={index} className={`diff-line ${line.kind}`}>
              {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
              {line.text}
            </div>
          ))}
        </div>
      )}
    </div>
  )
}
