import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useLocation, useServices } from '../app-context.js'
import { ErrorMessage } from '../components/error-message.js'
import { Spinner } from '../components/progress.js'

/**
 * Sign-in: a password (and single sign-on buttons) when the server has accounts, and always an
 * API token, kept for this tab only — for scripts, kiosks and servers without accounts.
 */
export function SignInPage({ reason }: { reason: string | null }) {
  const { session } = useServices()
  const location = useLocation()
  const providers = useQuery({ queryKey: ['auth-providers'], queryFn: () => session.providers() })
  const [useToken, setUseToken] = useState(false)
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  // Set by the server when single sign-on failed (expired, refused by the provider, …).
  const ssoError = new URLSearchParams(location.search).get('ssoError')
  const returnTo =
    new URLSearchParams(location.search).get('returnTo') ??
    (location.pathname.startsWith('/-/sign-in') ? '/' : location.href)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      if (showToken) await session.signInWithToken(token)
      else await session.signInWithPassword(username, password)
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const passwordAvailable = providers.data?.password === true
  const showToken = useToken || (providers.isSuccess && !passwordAvailable)

  return (
    <div className="sign-in">
      <h1>
        <img src="/favicon.svg" alt="" width={24} height={24} style={{ verticalAlign: -4 }} /> Sign
        in to Nereid
      </h1>
      {reason && <div className="notice">{reason}</div>}
      {ssoError && (
        <div className="notice error" role="alert">
          Single sign-on failed: {ssoError}. Try again, or sign in with a password or an API token.
        </div>
      )}
      {providers.isPending && <Spinner />}
      {providers.isError && (
        <ErrorMessage error={providers.error} retry={() => void providers.refetch()} />
      )}
      {providers.isSuccess && (
        <form className="card card-body" onSubmit={submit}>
          {showToken ? (
            <div className="field">
              <label htmlFor="token">API token</label>
              <textarea
                id="token"
                rows={4}
                value={token}
                autoFocus
                placeholder="The token printed by nereid admin bootstrap, or created under Account"
                onChange={(event) => setToken(event.target.value)}
              />
              <span className="small faint">
                Kept in this browser tab only; closing the tab signs you out.
              </span>
            </div>
          ) : (
            <>
              <div className="field">
                <label htmlFor="username">Username</label>
                <input
                  id="username"
                  autoComplete="username"
                  autoFocus
                  value={username}
                  onChange={(event) => setUsername(event.target.value)}
                />
              </div>
              <div className="field">
                <label htmlFor="password">Password</label>
                <input
                  id="password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                />
              </div>
            </>
          )}
          {error !== null && <ErrorMessage error={error} />}
          <div className="row">
            <button className="primary" type="submit" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
            {passwordAvailable && (
              <button type="button" className="link" onClick={() => setUseToken(!useToken)}>
                {useToken ? 'Sign in with a password' : 'Sign in with an API token'}
              </button>
            )}
          </div>
          {!showToken &&
            providers.data.oidc.map((provider) => (
              <div key={provider.id} style={{ marginTop: 8 }}>
                <a
                  className="button"
                  href={`/api/v1/auth/oidc/login?provider=${encodeURIComponent(provider.id)}&returnTo=${encodeURIComponent(returnTo)}`}
                >
                  Sign in with {provider.name}
                </a>
              </div>
            ))}
        </form>
      )}
    </div>
  )
}
