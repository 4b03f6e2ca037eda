import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { useApi, useServices, useSession } from '../app-context.js'
import { ErrorMessage } from '../components/error-message.js'
import { TokenList } from '../components/token-list.js'

/** Your account: API tokens for scripts and the Neptune client, and your password. */
export default function AccountPage() {
  const api = useApi()
  const state = useSession()
  if (state.status !== 'signed-in') return null
  return (
    <div className="page" style={{ maxWidth: 860 }}>
      <h1>{state.user.displayName || state.user.username}</h1>
      <p className="muted">
        Signed in as <span className="mono">{state.user.username}</span>
        {state.mode === 'token' ? ' with an API token (this tab only).' : '.'}
      </p>
      <h2>API tokens</h2>
      <p className="small muted">
        Scripts and the Neptune client authenticate with a token:{' '}
        <code>export NEPTUNE_API_TOKEN=&lt;token&gt;</code>. Revoking one stops it everywhere at
        once.
      </p>
      <TokenList
        queryKey={['my-tokens']}
        list={() => api.accounts.tokens()}
        create={(name) => api.accounts.createToken(name)}
        revoke={(id) => api.accounts.revokeToken(id)}
      />
      {state.mode === 'session' && <PasswordForm />}
    </div>
  )
}

function PasswordForm() {
  const api = useApi()
  const { toast } = useServices()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [again, setAgain] = useState('')
  const change = useMutation({
    mutationFn: () => api.accounts.changePassword(current, next),
    onSuccess: (result) => {
      toast(`Password changed; ${result.signedOutSessions} other session(s) signed out`)
      setCurrent('')
      setNext('')
      setAgain('')
    },
  })
  const mismatch = again !== '' && again !== next
  return (
    <>
      <h2>Password</h2>
      <form
        className="card card-body"
        style={{ maxWidth: 420 }}
        onSubmit={(event) => {
          event.preventDefault()
          if (!mismatch && next) change.mutate()
        }}
      >
        <div className="field">
          <label htmlFor="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="new-password">New password</label>
          <input
            id="new-password"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="again-password">New password again</label>
          <input
            id="again-password"
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
          {mismatch && (
            <span className="small" style={{ color: 'var(--danger)' }}>
              The two new passwords differ.
            </span>
          )}
        </div>
        {change.isError && <ErrorMessage error={change.error} />}
        <button
          className="primary"
          type="submit"
          disabled={!current || !next || mismatch || change.isPending}
        >
          Change password
        </button>
      </form>
    </>
  )
}
