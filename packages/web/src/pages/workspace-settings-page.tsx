import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useApi } from '../app-context.js'
import type { ServiceAccountWire } from '../api/wire-types.js'
import { CopyButton } from '../components/copy-button.js'
import { ErrorMessage } from '../components/error-message.js'
import { QueryState } from '../components/query-state.js'
import { TokenList } from '../components/token-list.js'
import { formatBytes, formatDateTime } from '../runs-table/core/format-value.js'

/** A workspace's people and roles, invitation links, service accounts and storage. */
export default function WorkspaceSettingsPage({ workspace }: { workspace: string }) {
  return (
    <div className="page" style={{ maxWidth: 1000 }}>
      <h1>Settings of {workspace}</h1>
      <h2>Members</h2>
      <Members workspace={workspace} />
      <h2>Invitations</h2>
      <Invitations workspace={workspace} />
      <h2>Service accounts</h2>
      <ServiceAccounts workspace={workspace} />
      <h2>Storage</h2>
      <WorkspaceUsage workspace={workspace} />
    </div>
  )
}

function Members({ workspace }: { workspace: string }) {
  const api = useApi()
  const queryClient = useQueryClient()
  const members = useQuery({
    queryKey: ['workspace-members', workspace],
    queryFn: () => api.accounts.workspaceMembers(workspace),
  })
  const [username, setUsername] = useState('')
  const [role, setRole] = useState('member')
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: ['workspace-members', workspace] })
  const set = useMutation({
    mutationFn: ({ name, value }: { name: string; value: string }) =>
      api.accounts.setWorkspaceRole(workspace, name, value),
    onSuccess: refresh,
  })
  const remove = useMutation({
    mutationFn: (name: string) => api.accounts.removeWorkspaceMember(workspace, name),
    onSuccess: refresh,
  })
  return (
    <div className="card card-body">
      <QueryState query={members}>
        {(data) => (
          <table className="simple">
            <thead>
              <tr>
                <th>Person</th>
                <th>Role</th>
                <th>Since</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.members.map((member) => (
                <tr key={member.user.id}>
                  <td>
                    {member.user.displayName}{' '}
                    <span className="mono small muted">{member.user.username}</span>
                    {member.user.deactivated && <span className="badge">deactivated</span>}
                  </td>
                  <td>
                    <select
                      aria-label={`Role of ${member.user.username}`}
                      value={member.role}
                      onChange={(e) =>
                        set.mutate({ name: member.user.username, value: e.target.value })
                      }
                    >
                      <option value="owner">owner</option>
                      <option value="admin">admin</option>
                      <option value="member">member</option>
                    </select>
                  </td>
                  <td>{formatDateTime(Date.parse(member.since))}</td>
                  <td>
                    <button
                      className="danger small"
                      onClick={() =>
                        window.confirm(`Remove ${member.user.username} from ${workspace}?`) &&
                        remove.mutate(member.user.username)
                      }
                    >
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
          if (username.trim()) set.mutate({ name: username.trim(), value: role })
          setUsername('')
        }}
      >
        <input
          aria-label="Username"
          placeholder="username of an existing account"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="member">member</option>
          <option value="admin">admin</option>
          <option value="owner">owner</option>
        </select>
        <button type="submit" disabled={!username.trim()}>
          Add
        </button>
      </form>
      {(set.isError || remove.isError) && <ErrorMessage error={set.error ?? remove.error} />}
    </div>
  )
}

function Invitations({ workspace }: { workspace: string }) {
  const api = useApi()
  const queryClient = useQueryClient()
  const invitations = useQuery({
    queryKey: ['invitations', workspace],
    queryFn: () => api.accounts.invitations(workspace),
  })
  const [role, setRole] = useState('member')
  const [hours, setHours] = useState('168')
  const [link, setLink] = useState<string | null>(null)
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['invitations', workspace] })
  const invite = useMutation({
    mutationFn: () => api.accounts.invite(workspace, role, Number(hours) || undefined),
    onSuccess: async (result) => {
      setLink(result.url)
      await refresh()
    },
  })
  const revoke = useMutation({
    mutationFn: (id: string) => api.accounts.revokeInvitation(workspace, id),
    onSuccess: refresh,
  })
  return (
    <div className="card card-body">
      <div className="row">
        <select
          aria-label="Role for the invitation"
          value={role}
          onChange={(e) => setRole(e.target.value)}
        >
          <option value="member">member</option>
          <option value="admin">admin</option>
          <option value="owner">owner</option>
        </select>
        <label className="row small">
          valid for
          <input
            type="number"
            min={1}
            max={2160}
            value={hours}
            onChange={(e) => setHours(e.target.value)}
            style={{ width: 80 }}
          />{' '}
          hours
        </label>
        <button onClick={() => invite.mutate()} disabled={invite.isPending}>
          Create invitation link
        </button>
      </div>
      {link && (
        <div className="notice">
          Copy this link now and hand it over; it is not shown again: <code>{link}</code>{' '}
          <CopyButton text={link} />
        </div>
      )}
      {(invite.isError || revoke.isError) && <ErrorMessage error={invite.error ?? revoke.error} />}
      <QueryState query={invitations}>
        {(data) =>
          data.invitations.length === 0 ? (
            <p className="small muted">No invitations.</p>
          ) : (
            <table className="simple small" style={{ marginTop: 8 }}>
              <thead>
                <tr>
                  <th>Role</th>
                  <th>Status</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.invitations.map((invitation) => (
                  <tr key={invitation.id}>
                    <td>{invitation.role}</td>
                    <td>{invitation.status}</td>
                    <td>{formatDateTime(Date.parse(invitation.createdAt))}</td>
                    <td>{formatDateTime(Date.parse(invitation.expiresAt))}</td>
                    <td>
                      {invitation.status === 'pending' && (
                        <button
                          className="danger small"
                          onClick={() => revoke.mutate(invitation.id)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </div>
  )
}

function ServiceAccounts({ workspace }: { workspace: string }) {
  const api = useApi()
  const queryClient = useQueryClient()
  const accounts = useQuery({
    queryKey: ['service-accounts', workspace],
    queryFn: () => api.accounts.serviceAccounts(workspace),
  })
  const [name, setName] = useState('')
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['service-accounts', workspace] })
  const create = useMutation({
    mutationFn: () => api.accounts.createServiceAccount(workspace, name.trim()),
    onSuccess: async () => {
      setName('')
      await refresh()
    },
  })
  const remove = useMutation({
    mutationFn: (account: string) => api.accounts.deleteServiceAccount(workspace, account),
    onSuccess: refresh,
  })
  return (
    <div className="card card-body">
      <p className="small muted">
        Service accounts run pipelines and CI. They reach only the projects they are given a role in
        (a project's settings, as <code>name@{workspace}</code>).
      </p>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          if (name.trim()) create.mutate()
        }}
      >
        <input
          aria-label="Service account name"
          placeholder="ci-pipeline"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" disabled={!name.trim() || create.isPending}>
          Create service account
        </button>
      </form>
      {(create.isError || remove.isError) && <ErrorMessage error={create.error ?? remove.error} />}
      <QueryState query={accounts}>
        {(data) => (
          <div style={{ marginTop: 8 }}>
            {data.serviceAccounts.map((account) => (
              <ServiceAccount
                key={account.account.id}
                workspace={workspace}
                account={account}
                onDelete={() => remove.mutate(account.account.username)}
              />
            ))}
          </div>
        )}
      </QueryState>
    </div>
  )
}

function ServiceAccount({
  workspace,
  account,
  onDelete,
}: {
  workspace: string
  account: ServiceAccountWire
  onDelete(): void
}) {
  const api = useApi()
  const name = account.account.username
  return (
    <div className="card" style={{ marginBottom: 8 }}>
      <div className="card-header">
        <strong className="mono grow">{name}</strong>
        <span className="small muted">
          {account.projects.length === 0
            ? 'no project yet'
            : account.projects.map((p) => `${p.project} (${p.role})`).join(', ')}
        </span>
        <button
          className="danger small"
          onClick={() => window.confirm(`Delete ${name} and its tokens?`) && onDelete()}
        >
          Delete
        </button>
      </div>
      <div className="card-body">
        <TokenList
          queryKey={['service-account-tokens', workspace, name]}
          list={() => api.accounts.serviceAccountTokens(workspace, name)}
          create={(tokenName) => api.accounts.createServiceAccountToken(workspace, name, tokenName)}
          revoke={(id) => api.accounts.revokeServiceAccountToken(workspace, name, id)}
        />
      </div>
    </div>
  )
}

function WorkspaceUsage({ workspace }: { workspace: string }) {
  const api = useApi()
  const usage = useQuery({
    queryKey: ['workspace-usage', workspace],
    queryFn: () => api.accounts.workspaceUsage(workspace),
  })
  return (
    <QueryState query={usage}>
      {(data) => (
        <table className="simple">
          <thead>
            <tr>
              <th>Project</th>
              <th className="right">Fields</th>
              <th className="right">Series</th>
              <th className="right">Files</th>
              <th className="right">Trash</th>
              <th className="right">Total</th>
              <th className="right">Limit</th>
            </tr>
          </thead>
          <tbody>
            {data.projects.map((project) => (
              <tr key={project.project}>
                <td>{project.name}</td>
                <td className="right">{formatBytes(project.fields)}</td>
                <td className="right">{formatBytes(project.series)}</td>
                <td className="right">{formatBytes(project.files)}</td>
                <td className="right">{formatBytes(project.trash)}</td>
                <td className="right">{formatBytes(project.total)}</td>
                <td className="right">
                  {project.limit === null ? '—' : formatBytes(project.limit)}
                </td>
              </tr>
            ))}
            <tr>
              <td>
                <strong>All projects</strong>
              </td>
              <td className="right">{formatBytes(data.fields)}</td>
              <td className="right">{formatBytes(data.series)}</td>
              <td className="right">{formatBytes(data.files)}</td>
              <td className="right">{formatBytes(data.trash)}</td>
              <td className="right">
                <strong>{formatBytes(data.total)}</strong>
              </td>
              <td />
            </tr>
          </tbody>
        </table>
      )}
    </QueryState>
  )
}
