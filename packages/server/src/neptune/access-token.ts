import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The JWTs the Neptune client receives in exchange for an API token (HS256, signed with a
 * server secret). The client reads `exp` and `iss` without checking the signature; the server
 * checks both, and `tid`, the API token the JWT stands for, so revoking that token ends it.
 */
export interface AccessTokenClaims {
  /** User id. */
  sub: string
  /** Id of the API token exchanged for this JWT. */
  tid: string
  /** `access` or `refresh`: a refresh token is never accepted as an access token. */
  use: 'access' | 'refresh'
  /** `<public URL>/auth/realms/neptune`: the client derives the refresh URL from it. */
  iss: string
  /** OAuth client id the client sends back when it refreshes. */
  azp: string
  iat: number
  exp: number
  preferred_username?: string
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))

export function signAccessToken(claims: AccessTokenClaims, secret: string): string {
  const payload = base64url(JSON.stringify(claims))
  return `${HEADER}.${payload}.${signature(`${HEADER}.${payload}`, secret)}`
}

/** Whether a bearer credential has the shape of a JWT (three base64url segments). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)
}

/**
 * The claims of a token this server signed, or a reason it is not acceptable. Expiry is
 * reported apart from other failures because the client retries on it.
 */
export function verifyAccessToken(
  token: string,
  secret: string,
  nowSeconds: number,
): { ok: true; claims: AccessTokenClaims } | { ok: false; reason: 'invalid' | 'expired' } {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'invalid' }
  const expected = Buffer.from(signature(`${parts[0]}.${parts[1]}`, secret))
  const given = Buffer.from(parts[2]!)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'invalid' }
  }
  let claims: AccessTokenClaims
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as AccessTokenClaims
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  if (typeof claims.sub !== 'string' || typeof claims.tid !== 'string') {
    return { ok: false, reason: 'invalid' }
  }
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) {
    return { ok: false, reason: 'expired' }
  }
  return { ok: true, claims }
}

function signature(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url')
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url')
}
