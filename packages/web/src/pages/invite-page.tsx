import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useApi, useNavigate, useServices, useSession } from '../app-context.js'
import { ErrorMessage } from '../components/error-message.js'
import { QueryState } from '../components/query-state.js'
import { paths } from '../router/routes.js'

/**
 * An invitation link (`/invite#TOKEN`): join its workspace as the signed-in person, or create an
 * account with it. The token travels in the URL's fragment, which browsers never send to servers.
 */
export default function InvitePage() {
  const api = useApi()
  const { session } = useServices()
  const state = useSession()
  const navigate = useNavigate()
  const token = decodeURIComponent(window.location.hash.slice(1))
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api.accounts.lookupInvitation(token),
    enabled: token !== '',
    retry: false,
  })
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [displayName, setDisplayName] = useState('')
  const join = useMutation({
    mutationFn: async () => {
      if (state.status === 'signed-in') await api.accounts.acceptInvitation(token)
      else {
        await api.accounts.register({
          token,
          username,
          password,
          ...(displayName ? { displayName } : {}),
        })
      }
      await session.restore()
    },
    onSuccess: () => navigate(paths.workspace(invitation.data!.workspace.name), { replace: true }),
  })
  if (!token) {
    return (
      <div className="sign-in">
        <h1>Invitation</h1>
        <p className="muted">This link has no invitation in it; ask for the whole link again.</p>
      </div>
    )
  }
  return (
    <div className="sign-in">
      <h1>Join a workspace</h1>
      <QueryState query={invitation} label="Reading the invitation…">
        {(data) => (
          <form
            className="card card-body"
            onSubmit={(event) => {
              event.preventDefault()
              join.mutate()
            }}
          >
            <p>
              You are invited to{' '}
              <strong>{data.workspace.displayName || data.workspace.name}</strong> as{' '}
              <strong>{data.role}</strong> (until {new Date(data.expiresAt).toLocaleString()}).
            </p>
            {state.status !== 'signed-in' && (
              <>
                <div className="field">
                  <label htmlFor="invite-username">Choose a username</label>
                  <input
                    id="invite-username"
                    autoComplete="username"
                    value={username}
                    onChange={(e) => setUsername(e.target.value)}
                  />
                </div>
                <div className="field">
                  <label htmlFor="invite-name">Your name (optional)</label>
                  <input
                    id="invite-name"
                    value={displayName}
                    onChange={(e) => setDisplayName(e.target.value)}
                  />
                </div>
                <div className="field">
                  <label htmlFor="invite-password">Choose a password</label>
                  <input
                    id="invite-password"
                    type="password"
                    autoComplete="new-password"
                    value={password}
                    onChange={(e) => setPassword(e.target.value)}
                  />
                </div>
                <p className="small muted">
                  Have an account already? <a href={paths.signIn(`/-/invite#${token}`)}>Sign in</a>{' '}
                  first, then open the link again.
                </p>
              </>
            )}
            {join.isError && <ErrorMessage error={join.error} />}
            <button
              className="primary"
              type="submit"
              disabled={
                join.isPending || (state.status !== 'signed-in' && (!username || !password))
              }
            >
              {state.status === 'signed-in'
                ? `Join as ${state.user.username}`
                : 'Create account and join'}
            </button>
          </form>
        )}
      </QueryState>
    </div>
  )
}
