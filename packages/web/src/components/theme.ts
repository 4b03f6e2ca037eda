export type Theme = 'light' | 'dark'

const KEY = 'nereid.theme'

/** The saved theme, or the system's preference. */
export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY)
  if (saved === 'light' || saved === 'dark') return saved
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
}

export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme
  localStorage.setItem(KEY, theme)
  window.dispatchEvent(new CustomEvent('nereid-theme', { detail: theme }))
}
