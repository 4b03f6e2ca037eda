/** The browser location as the app reads it. */
export interface AppLocation {
  pathname: string
  search: string
  /** pathname + search; identical snapshots for identical URLs. */
  href: string
}

export interface Navigator {
  location(): AppLocation
  navigate(to: string, options?: { replace?: boolean }): void
  subscribe(listener: () => void): () => void
}

/**
 * Client-side navigation over the History API. The current location is a cached snapshot
 * (same object until the URL changes) so React can subscribe to it with
 * `useSyncExternalStore`.
 */
export function createBrowserNavigator(win: Window): Navigator {
  const listeners = new Set<() => void>()
  let snapshot: AppLocation | null = null
  const read = (): AppLocation => {
    const href = `${win.location.pathname}${win.location.search}`
    if (snapshot?.href !== href) {
      snapshot = { pathname: win.location.pathname, search: win.location.search, href }
    }
    return snapshot
  }
  const emit = () => listeners.forEach((listener) => listener())
  win.addEventListener('popstate', emit)
  return {
    location: read,
    navigate(to, { replace = false } = {}) {
      if (to === read().href) return
      if (replace) win.history.replaceState(null, '', to)
      else win.history.pushState(null, '', to)
      emit()
      if (!replace) win.scrollTo?.(0, 0)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
