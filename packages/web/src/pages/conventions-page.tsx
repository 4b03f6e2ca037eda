import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useApi, useServices } from '../app-context.js'
import type { ConventionEntry } from '../api/wire-types.js'
import { ErrorMessage } from '../components/error-message.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'

/**
 * The team's agreed metric names and tags, each with what it means (Neptune's team guide
 * recommends agreeing on both). Kept in the project's metadata object so scripts read them too;
 * the runs table flags runs that log other names, and the column picker offers these first.
 */
export default function ConventionsPage({
  workspace,
  project,
}: {
  workspace: string
  project: string
}) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const conventions = useQuery({
    queryKey: ['conventions', workspace, project],
    queryFn: () => api.conventions.get(ref),
  })
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page" style={{ maxWidth: 900 }}>
        <h1>Conventions</h1>
        <p className="muted">
          List the metric names and tags your team agreed on. Runs that log others get a ⚠ in the
          runs table. A name may hold <code>*</code> for any characters but <code>/</code> (
          <code>val/*</code>). Scripts read them with{' '}
          <code>json.loads(project["conventions/metrics"].fetch())</code>.
        </p>
        <QueryState query={conventions}>
          {(data) => (
            <ConventionsEditor key={JSON.stringify(data)} projectRef={ref} initial={data} />
          )}
        </QueryState>
      </div>
    </div>
  )
}

function ConventionsEditor({
  projectRef,
  initial,
}: {
  projectRef: { workspace: string; project: string }
  initial: { metrics: ConventionEntry[]; tags: ConventionEntry[]; problems?: string[] }
}) {
  const api = useApi()
  const queryClient = useQueryClient()
  const { toast } = useServices()
  const [metrics, setMetrics] = useState(initial.metrics)
  const [tags, setTags] = useState(initial.tags)
  useEffect(() => {
    setMetrics(initial.metrics)
    setTags(initial.tags)
  }, [initial])
  const save = useMutation({
    mutationFn: () =>
      api.conventions.put(projectRef, {
        metrics: metrics.filter((m) => m.name.trim()),
        tags: tags.filter((t) => t.name.trim()),
      }),
    onSuccess: async () => {
      toast('Conventions saved')
      await queryClient.invalidateQueries({
        queryKey: ['conventions', projectRef.workspace, projectRef.project],
      })
    },
  })
  return (
    <div>
      {initial.problems?.map((problem) => (
        <div key={problem} className="notice">
          {problem}
        </div>
      ))}
      <EntryList
        title="Metric names"
        entries={metrics}
        onChange={setMetrics}
        placeholder="train/loss"
      />
      <EntryList title="Tags" entries={tags} onChange={setTags} placeholder="baseline" />
      {save.isError && <ErrorMessage error={save.error} />}
      <button className="primary" disabled={save.isPending} onClick={() => save.mutate()}>
        {save.isPending ? 'Saving…' : 'Save conventions'}
      </button>
    </div>
  )
}

function EntryList({
  title,
  entries,
  onChange,
  placeholder,
}: {
  title: string
  entries: ConventionEntry[]
  onChange(entries: ConventionEntry[]): void
  placeholder: string
}) {
  const update = (index: number, patch: Partial<ConventionEntry>) =>
    onChange(entries.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)))
  return (
    <section style={{ marginBottom: 20 }}>
      <h2>{title}</h2>
      {entries.map((entry, index) => (
        <div key={index} className="row" style={{ marginBottom: 6 }}>
          <input
            aria-label={`${title}: name`}
            className="mono"
            placeholder={placeholder}
            value={entry.name}
            onChange={(event) => update(index, { name: event.target.value })}
          />
          <input
            aria-label={`${title}: description`}
            className="grow"
            placeholder="What it means, how it is computed"
            value={entry.description}
            onChange={(event) => update(index, { description: event.target.value })}
          />
          <button
            className="icon"
            aria-label="Remove"
            onClick={() => onChange(entries.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button onClick={() => onChange([...entries, { name: '', description: '' }])}>Add</button>
    </section>
  )
}
