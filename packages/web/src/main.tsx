import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createApiClient } from './api/api-client.js'
import { NereidApiError, NetworkError } from './api/api-error.js'
import { createNereidApi } from './api/nereid-api.js'
import { App } from './app.js'
import { ServicesContext, type Services } from './app-context.js'
import { SessionStore } from './auth/session-store.js'
import { applyTheme, initialTheme } from './components/theme.js'
import { createBrowserNavigator } from './router/history.js'
import './styles/app.css'

// Timeline marks for the browser benchmark (bench/web-benchmarks.mjs).
performance.mark('nereid:boot')
applyTheme(initialTheme())

const session = new SessionStore({
  fetch: window.fetch.bind(window),
  storage: window.sessionStorage,
})
const client = createApiClient({
  fetch: window.fetch.bind(window),
  credentials: () => session.credentials(),
  onUnauthorized: () =>
    session.expired('Your session ended or your token was revoked; sign in again.'),
})

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // Retry what may pass on its own (network, server busy), never a refusal.
      retry: (count, error) =>
        count < 2 &&
        (error instanceof NetworkError || (error instanceof NereidApiError && error.status >= 500)),
      refetchOnWindowFocus: false,
    },
  },
})

// Checking the session starts now, not after the first render: the runs table's first request
// waits for it.
const restoring = session.restore().then(() => performance.mark('nereid:session'))

const toasts = new EventTarget()
const services: Services = {
  api: createNereidApi(client),
  session,
  navigator: createBrowserNavigator(window),
  toast: (message) => toasts.dispatchEvent(new CustomEvent('toast', { detail: message })),
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesContext.Provider value={services}>
      <QueryClientProvider client={queryClient}>
        <App toasts={toasts} restoring={restoring} />
      </QueryClientProvider>
    </ServicesContext.Provider>
  </StrictMode>,
)
