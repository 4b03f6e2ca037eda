import { createHash, timingSafeEqual } from 'node:crypto'
import { NereidError } from '@nereid/core'
import type { Store, User } from '@nereid/store'
import type { FastifyReply, FastifyRequest } from 'fastify'
import * as client from 'openid-client'
import type { OidcProviderConfig, ServerConfig } from '../config.js'
import type { AuditLog } from './audit-log.js'
import { clearCookie, readCookie, setCookie } from './cookies.js'
import type { SessionService } from './session-service.js'

/** What the ID token and the userinfo answer say about the person. */
type Claims = client.IDToken & Partial<client.UserInfoResponse>

const STATE_COOKIE = 'nereid_oidc'
const STATE_COOKIE_PATH = '/api/v1/auth/oidc'
const SIGN_IN_TTL_MS = 10 * 60 * 1000
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/

/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce),
 * through `openid-client`. The first sign-in of a person creates their account; an e-mail domain
 * an administrator mapped to a workspace makes them a member with the mapped role.
 */
export class OidcService {
  readonly #store: Store
  readonly #config: ServerConfig
  readonly #now: () => number
  readonly #sessions: SessionService
  readonly #audit: AuditLog
  readonly #discovered = new Map<string, Promise<client.Configuration>>()

  constructor(
    store: Store,
    config: ServerConfig,
    now: () => number,
    sessions: SessionService,
    audit: AuditLog,
  ) {
    this.#store = store
    this.#config = config
    this.#now = now
    this.#sessions = sessions
    this.#audit = audit
  }

  get redirectUri(): string {
    return `${this.#config.publicUrl}/api/v1/auth/oidc/callback`
  }

  /** Starts a sign-in: remembers its state and returns the provider's authorization URL. */
  async begin(
    request: FastifyRequest,
    reply: FastifyReply,
    providerId: string | undefined,
    returnTo: string | undefined,
  ): Promise<string> {
    const provider = this.#provider(providerId)
    const configuration = await this.#configuration(provider)
    const state = client.randomState()
    const nonce = client.randomNonce()
    const codeVerifier = client.randomPKCECodeVerifier()
    await this.#store.sessions.saveSignInState(hash(state), {
      provider: provider.id,
      codeVerifier,
      nonce,
      returnTo: safeReturnTo(returnTo),
      expiresAt: this.#now() + SIGN_IN_TTL_MS,
    })
    // The state is also bound to this browser: a callback carrying someone else's state (login
    // CSRF) finds no matching cookie.
    setCookie(reply, STATE_COOKIE, state, {
      path: STATE_COOKIE_PATH,
      maxAgeSeconds: SIGN_IN_TTL_MS / 1000,
      secure: this.#sessions.isSecure(request),
    })
    return client
      .buildAuthorizationUrl(configuration, {
        redirect_uri: this.redirectUri,
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString()
  }

  /** Completes a sign-in at the callback: signs the person in and returns where to go next. */
  async complete(request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const query = request.query as Record<string, string | undefined>
    const cookie = readCookie(request, STATE_COOKIE)
    clearCookie(reply, STATE_COOKIE, {
      path: STATE_COOKIE_PATH,
      secure: this.#sessions.isSecure(request),
    })
    const state = query.state ?? ''
    if (!cookie || !sameText(cookie, state)) {
      throw ssoFailed(
        'this sign-in was not started in this browser, or it took too long; start again',
      )
    }
    const saved = await this.#store.sessions.takeSignInState(hash(state), this.#now())
    if (!saved) throw ssoFailed('this sign-in expired or was already used; start again')
    if (query.error) {
      throw ssoFailed(`the provider refused the sign-in (${query.error.slice(0, 100)})`)
    }
    const provider = this.#provider(saved.provider)
    const configuration = await this.#configuration(provider)
    const currentUrl = new URL(this.redirectUri)
    currentUrl.search = new URL(request.url, 'http://callback').search
    let claims: Claims | undefined
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: saved.codeVerifier,
        expectedState: state,
        expectedNonce: saved.nonce,
        idTokenExpected: true,
      })
      claims = tokens.claims()
      // Many providers keep e-mail and profile out of the ID token; they are in userinfo.
      if (claims && typeof claims.email !== 'string') {
        const info = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub)
        claims = { ...info, ...claims, email: info.email, email_verified: info.email_verified }
      }
    } catch (error) {
      request.log.warn(
        { provider: provider.id, reason: (error as Error).message },
        'single sign-on failed',
      )
      throw ssoFailed(`the provider's answer could not be verified; start again`)
    }
    if (!claims) throw ssoFailed('the provider sent no ID token')
    const user = await this.#userFor(provider, claims)
    await this.#sessions.start(request, reply, user)
    await this.#audit.record(
      request,
      {
        action: 'auth.signIn',
        target: user.username,
        details: { method: 'oidc', provider: provider.id },
      },
      { id: user.id, name: user.username },
    )
    return saved.returnTo
  }

  /** The linked account, or a new one; joins mapped workspaces. */
  async #userFor(provider: OidcProviderConfig, claims: Claims): Promise<User> {
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null
    if (!email || claims.email_verified === false) {
      throw ssoFailed('the provider did not send a verified e-mail address')
    }
    const domain = email.slice(email.lastIndexOf('@') + 1)
    const allowed = provider.allowedDomains.map((d) => d.toLowerCase())
    if (allowed.length > 0 && !allowed.includes(domain)) {
      throw ssoFailed(`e-mail addresses of "${domain}" may not sign in here`)
    }
    const now = this.#now()
    let user = await this.#store.accounts.findUserByIdentity(provider.issuer, claims.sub)
    if (!user) {
      user =
        (await this.#personWithEmail(email, claims.email_verified === true)) ??
        (await this.#createPerson(claims, email, now))
      await this.#store.accounts.linkIdentity({
        userId: user.id,
        issuer: provider.issuer,
        subject: claims.sub,
        now,
      })
    }
    if (user.deactivatedAt !== null || user.kind !== 'user') {
      throw ssoFailed('this account is deactivated; ask an administrator')
    }
    const mapping = await this.#store.members.getSsoDomain(domain)
    if (
      mapping &&
      (await this.#store.workspaces.memberRole(mapping.workspaceId, user.id)) === null
    ) {
      await this.#store.workspaces.addMember({
        workspaceId: mapping.workspaceId,
        userId: user.id,
        role: mapping.role,
        now,
      })
      await this.#audit.record(
        null,
        {
          action: 'workspace.memberAdded',
          workspaceId: mapping.workspaceId,
          target: user.username,
          details: { role: mapping.role, via: 'sso domain', domain },
        },
        { id: user.id, name: user.username },
      )
    }
    return user
  }

  /**
   * An existing person whose e-mail an administrator recorded, when the provider vouches for
   * the address: that is how an account made by hand gets linked to its SSO identity.
   */
  async #personWithEmail(email: string, verified: boolean): Promise<User | null> {
    if (!verified) return null
    const people = await this.#store.accounts.listUsers()
    return people.find((person) => person.email?.toLowerCase() === email) ?? null
  }

  async #createPerson(claims: Claims, email: string, now: number): Promise<User> {
    const preferred =
      typeof claims.preferred_username === 'string' ? claims.preferred_username : email
    const base = toUsername(preferred.includes('@') ? preferred.split('@')[0]! : preferred)
    const displayName = typeof claims.name === 'string' ? claims.name.slice(0, 200) : base
    for (let i = 1; ; i++) {
      const username = i === 1 ? base : `${base.slice(0, 60)}${i}`
      if (await this.#store.accounts.findUserByUsername(username)) continue
      const user = await this.#store.accounts.createUser({
        username,
        displayName,
        passwordHash: null,
        isAdmin: false,
        now,
      })
      return this.#store.accounts.updateUser(user.id, { email })
    }
  }

  #provider(id: string | undefined): OidcProviderConfig {
    const providers = this.#config.oidcProviders
    const provider = id === undefined ? providers[0] : providers.find((p) => p.id === id)
    if (!provider) {
      throw new NereidError(
        'VALIDATION_FAILED',
        providers.length === 0
          ? 'single sign-on is not configured on this server'
          : `no sign-in provider "${id}"; choose one of ${providers.map((p) => p.id).join(', ')}`,
        { field: 'provider' },
      )
    }
    return provider
  }

  #configuration(provider: OidcProviderConfig): Promise<client.Configuration> {
    let found = this.#discovered.get(provider.id)
    if (!found) {
      const issuer = new URL(provider.issuer)
      found = client
        .discovery(
          issuer,
          provider.clientId,
          provider.clientSecret,
          undefined,
          // Plain HTTP only to a provider on this machine (development, tests).
          isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          this.#discovered.delete(provider.id)
          throw new NereidError(
            'SERVICE_UNAVAILABLE',
            `the sign-in provider "${provider.name}" cannot be reached: ${(error as Error).message}`,
          )
        })
      this.#discovered.set(provider.id, found)
    }
    return found
  }
}

/** Only paths of this site: never a redirect to another origin. */
export function safeReturnTo(returnTo: string | undefined): string {
  if (!returnTo || !returnTo.startsWith('/') || returnTo.startsWith('//')) return '/'
  if (returnTo.includes('\\') || [...returnTo].some((c) => c.charCodeAt(0) < 0x20)) return '/'
  return returnTo.slice(0, 2000)
}

function toUsername(text: string): string {
  const cleaned = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 60)
  return USERNAME.test(cleaned) ? cleaned : 'user'
}

function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || /^127\./.test(url.hostname)
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function ssoFailed(message: string): NereidError {
  return new NereidError('SSO_FAILED', message)
}
