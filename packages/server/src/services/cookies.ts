import type { FastifyReply, FastifyRequest } from 'fastify'

/** The value of cookie `name` in the request's Cookie header, if any. */
export function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue
    const value = part.slice(eq + 1).trim()
    try {
      return decodeURIComponent(value)
    } catch {
      return null
    }
  }
  return null
}

export interface CookieOptions {
  path: string
  maxAgeSeconds: number
  secure: boolean
}

/**
 * Adds a Set-Cookie header (several may be set on one reply). Cookies are always HttpOnly and
 * SameSite=Lax: scripts cannot read them, and other sites' forms cannot post with them.
 */
export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  options: CookieOptions,
): void {
  const cookie = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ')
  const existing = reply.getHeader('set-cookie')
  const all = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)]
  reply.header('set-cookie', [...all, cookie])
}

export function clearCookie(
  reply: FastifyReply,
  name: string,
  options: Omit<CookieOptions, 'maxAgeSeconds'>,
): void {
  setCookie(reply, name, '', { ...options, maxAgeSeconds: 0 })
}
