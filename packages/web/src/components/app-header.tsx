import { useEffect, useState } from 'react'
import { useNavigate, useServices, useSession } from '../app-context.js'
import { paths, type Route } from '../router/routes.js'
import { Link } from './link.js'
import { applyTheme, initialTheme, type Theme } from './theme.js'

/** The bar on every page: workspace switcher, project breadcrumb, theme, account. */
export function AppHeader({ route }: { route: Route }) {
  const state = useSession()
  const { session } = useServices()
  const navigate = useNavigate()
  const [theme, setTheme] = useState<Theme>(initialTheme)
  useEffect(() => applyTheme(theme), [theme])
  if (state.status !== 'signed-in') return null
  const workspace = 'workspace' in route ? route.workspace : state.workspaces[0]?.name
  const project = 'project' in route ? route.project : null
  const known = state.workspaces.some((w) => w.name === workspace)

  return (
    <header className="app-header">
      <Link to="/" className="brand">
        <img src="/favicon.svg" alt="" width={20} height={20} /> Nereid
      </Link>
      {state.workspaces.length > 0 && (
        <select
          aria-label="Workspace"
          value={known ? workspace : ''}
          onChange={(event) => navigate(paths.workspace(event.target.value))}
        >
          {!known && <option value="">{workspace ?? 'Workspace'}</option>}
          {state.workspaces.map((w) => (
            <option key={w.name} value={w.name}>
              {w.displayName || w.name}
            </option>
          ))}
        </select>
      )}
      {workspace && project && (
        <span className="row">
          <span className="faint">/</span>
          <Link to={paths.project(workspace, project)}>
            <strong>{project}</strong>
          </Link>
        </span>
      )}
      <span className="spacer" />
      <button
        className="icon"
        aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        title="Light or dark theme"
        onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <Link to={paths.account()} title="Your account and API tokens">
        {state.provisional ? 'Account' : state.user.displayName || state.user.username}
      </Link>
      <button onClick={() => void session.signOut()}>Sign out</button>
    </header>
  )
}
