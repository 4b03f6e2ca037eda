import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useApi, useNavigate } from '../app-context.js'
import type { Project } from '../api/wire-types.js'
import { ErrorMessage } from '../components/error-message.js'
import { Link } from '../components/link.js'
import { Spinner } from '../components/progress.js'
import { QueryState } from '../components/query-state.js'
import { paths } from '../router/routes.js'
import { formatBytes, formatNumber, formatRelativeTime } from '../runs-table/core/format-value.js'

/** A workspace's projects with their size and activity, and a form to create one. */
export function ProjectsPage({ workspace }: { workspace: string }) {
  const api = useApi()
  const projects = useQuery({
    queryKey: ['projects', workspace],
    queryFn: () => api.workspaces.projects(workspace),
  })
  const [creating, setCreating] = useState(false)
  return (
    <div className="page">
      <div className="row" style={{ marginBottom: 12 }}>
        <h1 className="grow" style={{ margin: 0 }}>
          Projects in {workspace}
        </h1>
        <Link to={paths.workspaceSettings(workspace)} className="button">
          Workspace settings
        </Link>
        <button className="primary" onClick={() => setCreating(true)}>
          New project
        </button>
      </div>
      {creating && <CreateProject workspace={workspace} onDone={() => setCreating(false)} />}
      <QueryState query={projects} label="Loading projects…">
        {({ projects: list }) =>
          list.length === 0 ? (
            <p className="muted">No projects yet. Create one to start logging runs.</p>
          ) : (
            <table className="simple">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Key</th>
                  <th>Description</th>
                  <th className="right">Runs</th>
                  <th className="right">Storage</th>
                  <th>Last activity</th>
                </tr>
              </thead>
              <tbody>
                {list.map((project) => (
                  <ProjectRow key={project.id} project={project} />
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </div>
  )
}

function ProjectRow({ project }: { project: Project }) {
  const api = useApi()
  const ref = { workspace: project.workspace, project: project.name }
  const activity = useQuery({
    queryKey: ['project-activity', project.id],
    queryFn: () =>
      api.search.query(ref, {
        kinds: ['run'],
        limit: 1,
        columns: ['sys/modification_time'],
        sort: { path: 'sys/modification_time', direction: 'desc' },
      }),
  })
  const usage = useQuery({
    queryKey: ['usage', project.id],
    queryFn: () => api.projects.usage(ref),
  })
  const last = activity.data?.rows[0]?.object.modifiedAt
  return (
    <tr>
      <td>
        <Link to={paths.project(project.workspace, project.name)}>
          <strong>{project.name}</strong>
        </Link>
      </td>
      <td className="mono">{project.key}</td>
      <td className="muted">{project.description}</td>
      <td className="right">
        {activity.data ? formatNumber(activity.data.total) : <Spinner label="" />}
      </td>
      <td className="right">{usage.data ? formatBytes(usage.data.total) : ''}</td>
      <td title={last}>
        {last ? formatRelativeTime(Date.parse(last), Date.now()) : activity.data ? 'no runs' : ''}
      </td>
    </tr>
  )
}

function CreateProject({ workspace, onDone }: { workspace: string; onDone: () => void }) {
  const api = useApi()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [key, setKey] = useState('')
  const [description, setDescription] = useState('')
  const [visibility, setVisibility] = useState<Project['visibility']>('workspace')
  const create = useMutation({
    mutationFn: () =>
      api.workspaces.createProject(workspace, {
        name: name.trim(),
        ...(key.trim() ? { key: key.trim().toUpperCase() } : {}),
        description,
        visibility,
      }),
    onSuccess: async (project) => {
      await queryClient.invalidateQueries({ queryKey: ['projects', workspace] })
      onDone()
      navigate(paths.project(workspace, project.name))
    },
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    create.mutate()
  }
  return (
    <form className="card card-body" style={{ marginBottom: 16, maxWidth: 560 }} onSubmit={submit}>
      <div className="field">
        <label htmlFor="project-name">Name</label>
        <input
          id="project-name"
          value={name}
          autoFocus
          required
          onChange={(e) => setName(e.target.value)}
        />
        <span className="small faint">Letters, digits, ".", "_" and "-", as in URLs.</span>
      </div>
      <div className="field">
        <label htmlFor="project-key">Key (optional)</label>
        <input
          id="project-key"
          value={key}
          placeholder="Derived from the name, e.g. CLS for CLS-12"
          onChange={(e) => setKey(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="project-description">Description</label>
        <input
          id="project-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="project-visibility">Visibility</label>
        <select
          id="project-visibility"
          value={visibility}
          onChange={(e) => setVisibility(e.target.value as Project['visibility'])}
        >
          <option value="private">Private: only assigned members</option>
          <option value="workspace">Workspace: every member can read</option>
          <option value="public">Public: anyone can read</option>
        </select>
      </div>
      {create.isError && <ErrorMessage error={create.error} />}
      <div className="row">
        <button className="primary" type="submit" disabled={create.isPending || !name.trim()}>
          {create.isPending ? 'Creating…' : 'Create project'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
