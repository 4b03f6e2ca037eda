import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react'
import { useLocation, useNavigate } from '../app-context.js'

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string
  children: ReactNode
  /** Mark as the current page when the location starts with `to` (or equals it, with `exact`). */
  nav?: boolean | 'exact'
}

/** An anchor that navigates inside the app; modified clicks still open new tabs. */
export function Link({ to, children, nav, onClick, ...rest }: LinkProps) {
  const navigate = useNavigate()
  const location = useLocation()
  const current =
    nav === 'exact'
      ? location.pathname === to.split('?')[0]
      : nav
        ? location.pathname === to || location.pathname.startsWith(`${to.split('?')[0]}/`)
        : false
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return
    event.preventDefault()
    navigate(to)
  }
  return (
    <a href={to} onClick={handle} aria-current={current ? 'page' : undefined} {...rest}>
      {children}
    </a>
  )
}
