import { randomBytes } from 'node:crypto'
import { NereidError } from '@nereid/core'
import type { Store } from '@nereid/store'
import type { FastifyRequest } from 'fastify'
import type { TokenPrincipal, TokenService } from '../services/token-service.js'
import {
  looksLikeJwt,
  signAccessToken,
  verifyAccessToken,
  type AccessTokenClaims,
} from './access-token.js'

/** Access tokens are short-lived so that a revoked API token stops working soon everywhere. */
export const ACCESS_TOKEN_SECONDS = 10 * 60
const REFRESH_TOKEN_SECONDS = 30 * 24 * 60 * 60
const SECRET_NAME = 'neptune-jwt-hs256'
const CLIENT_ID = 'neptune-cli'

export interface IssuedTokens {
  accessToken: string
  refreshToken: string
  expiresIn: number
  username: string
}

/**
 * The Neptune client's authentication (protocol §3): it exchanges its API token for a JWT
 * access token and a refresh token, refreshes at `<iss>/protocol/openid-connect/token`, and
 * sends `Authorization: Bearer <JWT>` on every other call. Every JWT names the API token it
 * came from; a JWT whose API token was revoked is refused at once.
 */
export class TokenExchange {
  readonly #store: Store
  readonly #tokens: TokenService
  readonly #issuer: string
  readonly #now: () => number
  #secret: Promise<string> | undefined

  constructor(store: Store, tokens: TokenService, publicUrl: string, now: () => number) {
    this.#store = store
    this.#tokens = tokens
    this.#issuer = `${publicUrl}/auth/realms/neptune`
    this.#now = now
  }

  /** `exchangeApiToken`: an API token for a pair of tokens. */
  async exchange(apiToken: string): Promise<IssuedTokens> {
    return this.#issue(await this.#tokens.authenticate(apiToken, this.#now()))
  }

  /** The refresh grant: a refresh token for a new access token (the refresh token stays). */
  async refresh(refreshToken: string): Promise<IssuedTokens> {
    const claims = await this.#verify(refreshToken, 'refresh')
    const principal = await this.#principal(claims)
    return { ...(await this.#issue(principal, 'access')), refreshToken }
  }

  /** The principal of a request whose bearer credential is one of our JWTs, else null. */
  async resolve(request: FastifyRequest): Promise<TokenPrincipal | null> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
    if (!match || !looksLikeJwt(match[1]!)) return null
    return this.#principal(await this.#verify(match[1]!, 'access'))
  }

  async #issue(principal: TokenPrincipal, only?: 'access'): Promise<IssuedTokens> {
    const secret = await this.#signingSecret()
    const iat = Math.floor(this.#now() / 1000)
    const claims = (use: 'access' | 'refresh', seconds: number): AccessTokenClaims => ({
      sub: principal.user.id,
      tid: principal.token.id,
      use,
      iss: this.#issuer,
      azp: CLIENT_ID,
      iat,
      exp: iat + seconds,
      preferred_username: principal.user.username,
    })
    return {
      accessToken: signAccessToken(claims('access', ACCESS_TOKEN_SECONDS), secret),
      refreshToken:
        only === 'access' ? '' : signAccessToken(claims('refresh', REFRESH_TOKEN_SECONDS), secret),
      expiresIn: ACCESS_TOKEN_SECONDS,
      username: principal.user.username,
    }
  }

  async #verify(token: string, use: 'access' | 'refresh'): Promise<AccessTokenClaims> {
    const result = verifyAccessToken(token, await this.#signingSecret(), this.#now() / 1000)
    if (!result.ok) {
      throw new NereidError(
        'TOKEN_INVALID',
        result.reason === 'expired'
          ? `the ${use} token has expired`
          : `the ${use} token was not issued by this server`,
        { expired: result.reason === 'expired' },
      )
    }
    if (result.claims.use !== use) {
      throw new NereidError(
        'TOKEN_INVALID',
        `a ${result.claims.use} token was sent as ${use} token`,
      )
    }
    return result.claims
  }

  /**
   * The user and API token behind verified claims, as long as that API token is live. Liveness
   * is the token service's (not revoked, its owner not deactivated), asked on every request and
   * every refresh: a JWT outlives no change to the API token it stands for.
   */
  async #principal(claims: AccessTokenClaims): Promise<TokenPrincipal> {
    const [live, user, token] = await Promise.all([
      this.#tokens.isTokenLive(claims.tid),
      this.#store.accounts.getUser(claims.sub),
      this.#store.accounts.getApiToken(claims.tid),
    ])
    if (!live || !user || !token || token.userId !== user.id) {
      throw new NereidError(
        'TOKEN_INVALID',
        'the API token behind this session was revoked or its account deactivated; use a new API token',
      )
    }
    return { user, token }
  }

  #signingSecret(): Promise<string> {
    this.#secret ??= this.#store.secrets
      .getOrCreate(SECRET_NAME, () => randomBytes(32).toString('base64url'), this.#now())
      .catch((error: unknown) => {
        this.#secret = undefined
        throw error
      })
    return this.#secret
  }
}
