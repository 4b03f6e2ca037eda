import { useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react'
import { useLocation, useNavigate, useSession } from './app-context.js'
import { AppHeader } from './components/app-header.js'
import { ErrorBoundary } from './components/error-boundary.js'
import { ErrorMessage } from './components/error-message.js'
import { Spinner } from './components/progress.js'
import { ProjectsPage } from './pages/projects-page.js'
import { RunsPage } from './pages/runs-page.js'
import { SignInPage } from './pages/sign-in-page.js'
import { matchRoute, paths, type Route } from './router/routes.js'

// Everything but the sign-in, projects and runs pages loads on first use, so the project page's
// first load stays small (docs/web.md: bundle budget).
const RunPage = lazy(() => import('./pages/run-page.js'))
const ComparePage = lazy(() => import('./pages/compare-page.js'))
const DashboardsPage = lazy(() => import('./pages/dashboards-page.js'))
const DashboardPage = lazy(() => import('./pages/dashboard-page.js'))
const ModelsPage = lazy(() => import('./pages/models-page.js'))
const ModelPage = lazy(() => import('./pages/model-page.js'))
const ProjectMetadataPage = lazy(() => import('./pages/project-metadata-page.js'))
const NotebooksPage = lazy(() => import('./pages/notebooks-page.js'))
const NotebookPage = lazy(() => import('./pages/notebook-page.js'))
const TrashPage = lazy(() => import('./pages/trash-page.js'))
const ConventionsPage = lazy(() => import('./pages/conventions-page.js'))
const SettingsPage = lazy(() => import('./pages/settings-page.js'))
const WorkspaceSettingsPage = lazy(() => import('./pages/workspace-settings-page.js'))
const AccountPage = lazy(() => import('./pages/account-page.js'))
const InvitePage = lazy(() => import('./pages/invite-page.js'))

export function App({ toasts, restoring }: { toasts: EventTarget; restoring: Promise<unknown> }) {
  const state = useSession()
  const location = useLocation()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [restoreError, setRestoreError] = useState<unknown>(null)
  const route = matchRoute(location.pathname)

  useEffect(() => {
    restoring.catch(setRestoreError)
  }, [restoring])

  // Signing out (or an expired session) drops every cached answer of the previous user.
  // The sign-in page then mounts afresh, so its own queries start on the emptied cache.
  const previousStatus = useRef(state.status)
  const [epoch, setEpoch] = useState(0)
  useEffect(() => {
    if (previousStatus.current === 'signed-in' && state.status === 'signed-out') {
      queryClient.clear()
      setEpoch((n) => n + 1)
    }
    previousStatus.current = state.status
  }, [state.status, queryClient])

  useEffect(() => {
    if (state.status === 'signed-in' && route.page === 'sign-in') {
      const returnTo = new URLSearchParams(location.search).get('returnTo')
      navigate(returnTo && returnTo.startsWith('/') ? returnTo : '/', { replace: true })
    }
    if (state.status === 'signed-in' && !state.provisional && route.page === 'home') {
      const first = state.workspaces[0]?.name
      if (first) navigate(paths.workspace(first), { replace: true })
    }
  }, [state, route.page, location.search, navigate])

  if (restoreError) {
    return (
      <div className="page">
        <ErrorMessage error={restoreError} retry={() => window.location.reload()} />
      </div>
    )
  }
  if (state.status === 'loading') {
    return (
      <div className="page">
        <Spinner label="Starting…" />
      </div>
    )
  }
  if (route.page === 'invite') {
    return (
      <Suspense fallback={<Spinner />}>
        <InvitePage />
      </Suspense>
    )
  }
  if (state.status === 'signed-out') return <SignInPage key={epoch} reason={state.reason} />

  return (
    <div className="app">
      <AppHeader route={route} />
      <main className="app-main">
        <ErrorBoundary key={location.pathname}>
          <Suspense
            fallback={
              <div className="page">
                <Spinner />
              </div>
            }
          >
            {renderPage(route, !state.provisional && state.workspaces.length === 0)}
          </Suspense>
        </ErrorBoundary>
      </main>
      <Toasts target={toasts} />
    </div>
  )
}

function renderPage(route: Route, noWorkspaces: boolean): ReactNode {
  switch (route.page) {
    case 'home':
    case 'sign-in':
    case 'invite':
      return noWorkspaces ? (
        <div className="page">
          <h1>No workspace yet</h1>
          <p className="muted">
            You belong to no workspace. Ask an administrator to invite you, or create one with{' '}
            <code>nereid admin bootstrap --workspace NAME</code>.
          </p>
        </div>
      ) : (
        <div className="page">
          <Spinner />
        </div>
      )
    case 'account':
      return <AccountPage />
    case 'projects':
      return <ProjectsPage workspace={route.workspace} />
    case 'workspace-settings':
      return <WorkspaceSettingsPage workspace={route.workspace} />
    case 'runs':
      return <RunsPage workspace={route.workspace} project={route.project} />
    case 'run':
      return (
        <RunPage
          workspace={route.workspace}
          project={route.project}
          object={route.object}
          tab={route.tab}
        />
      )
    case 'compare':
      return <ComparePage workspace={route.workspace} project={route.project} />
    case 'dashboards':
      return <DashboardsPage workspace={route.workspace} project={route.project} />
    case 'dashboard':
      return (
        <DashboardPage
          workspace={route.workspace}
          project={route.project}
          dashboard={route.dashboard}
        />
      )
    case 'models':
      return <ModelsPage workspace={route.workspace} project={route.project} />
    case 'model':
      return <ModelPage workspace={route.workspace} project={route.project} model={route.model} />
    case 'model-version':
      return (
        <RunPage
          workspace={route.workspace}
          project={route.project}
          object={route.version}
          tab={route.tab}
          model={route.model}
        />
      )
    case 'project-metadata':
      return (
        <ProjectMetadataPage workspace={route.workspace} project={route.project} tab={route.tab} />
      )
    case 'notebooks':
      return <NotebooksPage workspace={route.workspace} project={route.project} />
    case 'notebook':
      return (
        <NotebookPage
          workspace={route.workspace}
          project={route.project}
          notebook={route.notebook}
        />
      )
    case 'trash':
      return <TrashPage workspace={route.workspace} project={route.project} />
    case 'conventions':
      return <ConventionsPage workspace={route.workspace} project={route.project} />
    case 'settings':
      return <SettingsPage workspace={route.workspace} project={route.project} />
    case 'not-found':
      return (
        <div className="page">
          <h1>Page not found</h1>
          <p className="muted">
            Nothing lives at <code>{route.path}</code>. Check the link, or go to the{' '}
            <a href="/">start page</a>.
          </p>
        </div>
      )
  }
}

function Toasts({ target }: { target: EventTarget }) {
  const [messages, setMessages] = useState<{ id: number; text: string }[]>([])
  useEffect(() => {
    let next = 0
    const onToast = (event: Event) => {
      const id = next++
      setMessages((list) => [...list, { id, text: String((event as CustomEvent).detail) }])
      setTimeout(() => setMessages((list) => list.filter((m) => m.id !== id)), 4000)
    }
    target.addEventListener('toast', onToast)
    return () => target.removeEventListener('toast', onToast)
  }, [target])
  return (
    <div className="toast-area" aria-live="polite">
      {messages.map((message) => (
        <div key={message.id} className="toast">
          {message.text}
        </div>
      ))}
    </div>
  )
}
