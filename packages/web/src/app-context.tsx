import { createContext, useCallback, useContext, useSyncExternalStore } from 'react'
import type { NereidApi } from './api/nereid-api.js'
import type { SessionState, SessionStore } from './auth/session-store.js'
import type { AppLocation, Navigator } from './router/history.js'

/** What every page reaches for: the API, the session and navigation (injected at the root). */
export interface Services {
  api: NereidApi
  session: SessionStore
  navigator: Navigator
  /** Shows a short message in the corner. */
  toast(message: string): void
}

export const ServicesContext = createContext<Services | null>(null)

export function useServices(): Services {
  const services = useContext(ServicesContext)
  if (!services) throw new Error('useServices() outside <ServicesContext.Provider>')
  return services
}

export function useApi(): NereidApi {
  return useServices().api
}

export function useSession(): SessionState {
  const { session } = useServices()
  return useSyncExternalStore(
    (listener) => session.subscribe(listener),
    () => session.state,
  )
}

export function useLocation(): AppLocation {
  const { navigator } = useServices()
  return useSyncExternalStore(navigator.subscribe, navigator.location)
}

export function useNavigate(): (to: string, options?: { replace?: boolean }) => void {
  const { navigator } = useServices()
  return useCallback((to, options) => navigator.navigate(to, options), [navigator])
}

/** The URL's query parameters and a way to replace them without a new history entry. */
export function useSearchParams(): [
  URLSearchParams,
  (next: URLSearchParams, push?: boolean) => void,
] {
  const location = useLocation()
  const navigate = useNavigate()
  const params = new URLSearchParams(location.search)
  const set = useCallback(
    (next: URLSearchParams, push = false) => {
      const search = next.toString()
      navigate(`${location.pathname}${search ? `?${search}` : ''}`, { replace: !push })
    },
    [location.pathname, navigate],
  )
  return [params, set]
}
