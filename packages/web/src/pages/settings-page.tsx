import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useApi, useNavigate, useServices } from '../app-context.js'
import type { Project, Usage } from '../api/wire-types.js'
import { ErrorMessage } from '../components/error-message.js'
import { Link } from '../components/link.js'
import { ProjectTabs } from '../components/project-tabs.js'
import { QueryState } from '../components/query-state.js'
import { paths } from '../router/routes.js'
import { formatBytes } from '../runs-table/core/format-value.js'

const KIND_COLORS: Record<string, string> = {
  fields: '#1f77b4',
  series: '#2ca02c',
  files: '#ff7f0e',
  trash: '#8c564b',
}

/**
 * A project's settings: description and visibility, storage use and limit, members and roles,
 * and deleting the project.
 */
export default function SettingsPage({
  workspace,
  project,
}: {
  workspace: string
  project: string
}) {
  const api = useApi()
  const ref = useMemo(() => ({ workspace, project }), [workspace, project])
  const info = useQuery({
    queryKey: ['project', workspace, project],
    queryFn: () => api.projects.get(ref),
  })
  const usage = useQuery({
    queryKey: ['usage', workspace, project],
    queryFn: () => api.projects.usage(ref),
  })
  return (
    <div>
      <ProjectTabs workspace={workspace} project={project} />
      <div className="page" style={{ maxWidth: 900 }}>
        <h1>Project settings</h1>
        <QueryState query={info}>
          {(data) => (
            <General
              key={data.id + data.visibility + data.description}
              projectRef={ref}
              project={data}
            />
          )}
        </QueryState>
        <h2>Storage</h2>
        <QueryState query={usage}>{(data) => <Storage projectRef={ref} usage={data} />}</QueryState>
        <h2>Members</h2>
        <Members projectRef={ref} />
        <p className="small muted">
          Service accounts, invitations and workspace roles are in the{' '}
          <Link to={paths.workspaceSettings(workspace)}>workspace settings</Link>.
        </p>
        <h2>Danger zone</h2>
        <DeleteProject projectRef={ref} />
      </div>
    </div>
  )
}

type Ref = { workspace: string; project: string }

function General({ projectRef: ref, project: data }: { projectRef: Ref; project: Project }) {
  const api = useApi()
  const { workspace, project } = ref
  const queryClient = useQueryClient()
  const { toast } = useServices()
  const [description, setDescription] = useState(data.description)
  const [visibility, setVisibility] = useState(data.visibility)
  const save = useMutation({
    mutationFn: () => api.projects.update(ref, { description, visibility }),
    onSuccess: async () => {
      toast('Project saved')
      await queryClient.invalidateQueries({ queryKey: ['project', workspace, project] })
    },
  })
  return (
    <div className="card card-body">
      <div className="row small muted" style={{ marginBottom: 8 }}>
        Key <span className="mono">{data.key}</span> · created{' '}
        {new Date(data.createdAt).toLocaleDateString()}
      </div>
      <div className="field">
        <label htmlFor="project-description">Description</label>
        <textarea
          id="project-description"
          rows={3}
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
          <option value="workspace">Workspace: every member of {workspace} can read</option>
          <option value="public">Public: anyone can read, without signing in</option>
        </select>
      </div>
      {save.isError && <ErrorMessage error={save.error} />}
      <button
        className="primary"
        disabled={
          save.isPending || (description === data.description && visibility === data.visibility)
        }
        onClick={() => save.mutate()}
      >
        Save
      </button>
    </div>
  )
}

function Storage({ projectRef: ref, usage: data }: { projectRef: Ref; usage: Usage }) {
  const api = useApi()
  const { workspace, project } = ref
  const queryClient = useQueryClient()
  const { toast } = useServices()
  const [limit, setLimit] = useState(data.limit === null ? '' : String(data.limit / 1024 ** 3))
  useEffect(() => setLimit(data.limit === null ? '' : String(data.limit / 1024 ** 3)), [data.limit])
  const save = useMutation({
    mutationFn: () =>
      api.accounts.setStorageLimit(
        ref,
        limit.trim() === '' ? null : Math.round(Number(limit) * 1024 ** 3),
      ),
    onSuccess: async () => {
      toast('Storage limit saved')
      await queryClient.invalidateQueries({ queryKey: ['usage', workspace, project] })
    },
  })
  const kinds = (['fields', 'series', 'files', 'trash'] as const).map(
    (kind) => [kind, data[kind]] as const,
  )
  const scale = Math.max(data.total, data.limit ?? 0, 1)
  const invalid = limit.trim() !== '' && !(Number(limit) >= 0)
  return (
    <div className="card card-body">
      <div className="row" style={{ gap: 24, marginBottom: 8 }}>
        <div className="stat">
          <span className="num" data-testid="storage-total">
            {formatBytes(data.total)}
          </span>
          <span className="small muted">
            used{data.limit !== null ? ` of ${formatBytes(data.limit)}` : ', no limit'}
          </span>
        </div>
        {kinds.map(([kind, bytes]) => (
          <div key={kind} className="stat">
            <span>{formatBytes(bytes)}</span>
            <span className="small muted row" style={{ gap: 4 }}>
              <span
                style={{
                  width: 8,
                  height: 8,
                  background: KIND_COLORS[kind],
                  display: 'inline-block',
                }}
              />
              {kind}
            </span>
          </div>
        ))}
      </div>
      <div className="bar" role="img" aria-label="Storage by kind">
        {kinds.map(([kind, bytes]) => (
          <span
            key={kind}
            style={{ width: `${(bytes / scale) * 100}%`, background: KIND_COLORS[kind] }}
          />
        ))}
      </div>
      <div className="row" style={{ marginTop: 12 }}>
        <label htmlFor="storage-limit">Limit (GiB; empty for none)</label>
        <input
          id="storage-limit"
          type="number"
          min={0}
          step="any"
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
          style={{ width: 120 }}
        />
        <button disabled={save.isPending || invalid} onClick={() => save.mutate()}>
          Save limit
        </button>
      </div>
      <p className="small muted">
        Writes that would go over the limit are refused; what is stored stays. Emptying the trash
        frees space.
      </p>
      {save.isError && <ErrorMessage error={save.error} />}
    </div>
  )
}

function Members({ projectRef: ref }: { projectRef: Ref }) {
  const api = useApi()
  const { workspace, project } = ref
  const queryClient = useQueryClient()
  const members = useQuery({
    queryKey: ['project-members', workspace, project],
    queryFn: () => api.accounts.projectMembers(ref),
  })
  const [member, setMember] = useState('')
  const [role, setRole] = useState('contributor')
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: ['project-members', workspace, project] })
  const set = useMutation({
    mutationFn: ({ name, value }: { name: string; value: string }) =>
      api.accounts.setProjectRole(ref, name, value),
    onSuccess: refresh,
  })
  const remove = useMutation({
    mutationFn: (name: string) => api.accounts.removeProjectMember(ref, name),
    onSuccess: refresh,
  })
  return (
    <div className="card card-body">
      <QueryState query={members}>
        {(data) => (
          <table className="simple">
            <thead>
              <tr>
                <th>Member</th>
                <th>Kind</th>
                <th>Role</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.members.map((m) => (
                <tr key={m.user.id}>
                  <td>
                    {m.user.displayName} <span className="muted mono small">{m.user.username}</span>
                  </td>
                  <td>{m.user.kind === 'serviceAccount' ? 'service account' : 'person'}</td>
                  <td>
                    <select
                      aria-label={`Role of ${m.user.username}`}
                      value={m.role}
                      onChange={(e) => set.mutate({ name: m.user.username, value: e.target.value })}
                    >
                      <option value="owner">owner</option>
                      <option value="contributor">contributor</option>
                      <option value="viewer">viewer</option>
                    </select>
                  </td>
                  <td>
                    <button className="danger small" onClick={() => remove.mutate(m.user.username)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryState>
      <form
        className="row"
        style={{ marginTop: 8 }}
        onSubmit={(event) => {
          event.preventDefault()
          if (member.trim()) set.mutate({ name: member.trim(), value: role })
          setMember('')
        }}
      >
        <input
          aria-label="Username or service account"
          placeholder="username or name@workspace"
          value={member}
          onChange={(e) => setMember(e.target.value)}
        />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="viewer">viewer</option>
          <option value="contributor">contributor</option>
          <option value="owner">owner</option>
        </select>
        <button type="submit" disabled={!member.trim()}>
          Add member
        </button>
      </form>
      {(set.isError || remove.isError) && <ErrorMessage error={set.error ?? remove.error} />}
    </div>
  )
}

/**
 * Deleting the project cannot be undone, so the button stays disabled until the project's name
 * is typed (as on GitHub): a click alone, or a confirm() dismissed by habit, deletes nothing.
 */
function DeleteProject({ projectRef: ref }: { projectRef: Ref }) {
  const api = useApi()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const { toast } = useServices()
  const [open, setOpen] = useState(false)
  const [typed, setTyped] = useState('')
  const remove = useMutation({
    mutationFn: () => api.projects.delete(ref),
    onSuccess: async (result) => {
      toast(
        `Deleted ${result.project}: ${result.objects} objects, ${formatBytes(result.freedBytes)}`,
      )
      queryClient.removeQueries({ queryKey: ['project', ref.workspace, ref.project] })
      await queryClient.invalidateQueries({ queryKey: ['projects', ref.workspace] })
      navigate(paths.workspace(ref.workspace), { replace: true })
    },
  })
  if (!open) {
    return (
      <div className="card card-body row" style={{ justifyContent: 'space-between' }}>
        <span>
          Delete this project with all its runs, models, notebooks, files, views and dashboards.
        </span>
        <button className="danger" onClick={() => setOpen(true)}>
          Delete project
        </button>
      </div>
    )
  }
  return (
    <div className="card card-body" role="alertdialog" aria-labelledby="delete-project-title">
      <strong id="delete-project-title">
        Delete {ref.workspace}/{ref.project} for good?
      </strong>
      <p className="small">
        Everything in the project is deleted at once and cannot be restored: there is no trash for
        projects. Files no other project uses are removed from storage.
      </p>
      <div className="field">
        <label htmlFor="delete-project-name">
          Type <span className="mono">{ref.project}</span> to confirm
        </label>
        <input
          id="delete-project-name"
          autoComplete="off"
          autoFocus
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
      </div>
      {remove.isError && <ErrorMessage error={remove.error} />}
      <div className="row" style={{ gap: 8 }}>
        <button
          className="danger"
          disabled={typed !== ref.project || remove.isPending}
          onClick={() => remove.mutate()}
        >
          {remove.isPending ? 'Deleting…' : 'Delete this project'}
        </button>
        <button
          onClick={() => {
            setOpen(false)
            setTyped('')
          }}
          disabled={remove.isPending}
        >
          Cancel
        </button>
      </div>
    </div>
  )
}
