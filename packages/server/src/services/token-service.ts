import { createHash, randomBytes } from 'node:crypto'
import { decodeApiToken, encodeApiToken, NereidError, type Project } from '@nereid/core'
import type { ApiTokenRecord, ProjectRole, Store, User, WorkspaceRole } from '@nereid/store'

/**
 * Who a request acts as. `user` is a person or a service account (kind 'serviceAccount', named
 * `name@workspace`), so `user.username` is always the name to record as the owner of what the
 * request creates. `token` is the API token the request authenticated with; null when it came
 * from a browser session, in which case `session` is set and state-changing requests must carry
 * the session's CSRF token.
 */
export interface Principal {
  user: User
  token: ApiTokenRecord | null
  session?: { idHash: string; csrfToken: string }
}

/** A caller's roles in a project's workspace and in the project itself (null: none). */
export interface ProjectRoles {
  workspaceRole: WorkspaceRole | null
  projectRole: ProjectRole | null
}

/** A principal that authenticated with an API token (directly or through a Neptune JWT). */
export interface TokenPrincipal extends Principal {
  token: ApiTokenRecord
}

/**
 * Mints and checks API tokens. A token is shown once; the store keeps only the sha256 of its
 * secret, which is enough to look it up and useless to anyone who reads the database.
 */
export class TokenService {
  readonly #store: Store
  readonly #publicUrl: string
  readonly #touched = new Map<string, number>()
  /**
   * Token text → hash of its secret. Decoding and hashing cost ~40 µs, on every request of a
   * writer that sends a thousand batches a second; the mapping never changes, so a token seen
   * before skips it (the hash is still looked up in the store, so revocation applies at once).
   */
  readonly #secretHashes = new Map<string, string>()

  constructor(store: Store, publicUrl: string) {
    this.#store = store
    this.#publicUrl = publicUrl
  }

  static hashSecret(secret: string): string {
    return createHash('sha256').update(secret).digest('hex')
  }

  /** A new token for a person or a service account. */
  async mint(
    userId: string,
    name: string,
    now: number,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const secret = newSecret()
    const record = await this.#store.accounts.createApiToken({
      userId,
      name,
      secretHash: TokenService.hashSecret(secret),
      now,
    })
    return { token: encodeApiToken(this.#publicUrl, secret), record }
  }

  /**
   * Replaces a token by a new one with the same name and owner; the old one stops working at
   * once. TOKEN_NOT_FOUND when it is unknown or already revoked.
   */
  async rotate(tokenId: string, now: number): Promise<{ token: string; record: ApiTokenRecord }> {
    const secret = newSecret()
    const record = await this.#store.accounts.replaceApiToken(tokenId, {
      secretHash: TokenService.hashSecret(secret),
      now,
    })
    if (!record) {
      throw new NereidError(
        'TOKEN_NOT_FOUND',
        'no live API token with this id; it may be revoked',
        {
          token: tokenId,
        },
      )
    }
    this.#touched.delete(tokenId)
    return { token: encodeApiToken(this.#publicUrl, secret), record }
  }

  /**
   * Whether the token `tokenId` still works (not revoked, its owner not deactivated). Credentials
   * derived from an API token (the Neptune client's JWTs) call this on every request and at
   * refresh, so revoking the API token ends them at once.
   */
  async isTokenLive(tokenId: string): Promise<boolean> {
    return this.#store.accounts.isApiTokenLive(tokenId)
  }

  /** The principal behind a token, or a TOKEN_INVALID error that says what to do. */
  async authenticate(token: string, now: number): Promise<TokenPrincipal> {
    const found = await this.#store.accounts.findApiToken(this.#secretHashOf(token))
    if (!found) throw tokenInvalid()
    await this.#touch(found, now)
    return found
  }

  /**
   * authenticate, for a request to a project route: the token, the project the route names and
   * the caller's roles there are read at once. `project` is null when it does not exist.
   */
  async authenticateForProject(
    token: string,
    now: number,
    workspaceName: string,
    projectName: string,
  ): Promise<{ principal: TokenPrincipal; project: Project | null; roles: ProjectRoles }> {
    const found = await this.#store.accounts.findApiTokenWithProject(
      this.#secretHashOf(token),
      workspaceName,
      projectName,
    )
    if (!found.credential) throw tokenInvalid()
    await this.#touch(found.credential, now)
    return {
      principal: found.credential,
      project: found.project,
      roles: { workspaceRole: found.workspaceRole, projectRole: found.projectRole },
    }
  }

  /** Whether `token` has the shape of an API token (it may still be unknown or revoked). */
  recognizes(token: string): boolean {
    try {
      this.#secretHashOf(token)
      return true
    } catch {
      return false
    }
  }

  #secretHashOf(token: string): string {
    let secretHash = this.#secretHashes.get(token)
    if (secretHash === undefined) {
      let secret: string
      try {
        secret = decodeApiToken(token).secret
      } catch {
        throw new NereidError(
          'TOKEN_INVALID',
          'the API token is malformed; copy the whole token Nereid printed or create a new one',
        )
      }
      secretHash = TokenService.hashSecret(secret)
      if (this.#secretHashes.size >= 1_000) this.#secretHashes.clear()
      this.#secretHashes.set(token, secretHash)
    }
    return secretHash
  }

  async #touch(found: TokenPrincipal, now: number): Promise<void> {
    // Recording every use would turn each read into a write; once a minute is plenty for
    // "last used".
    const last = this.#touched.get(found.token.id) ?? 0
    if (now - last > 60_000) {
      if (this.#touched.size > 10_000) this.#touched.clear()
      this.#touched.set(found.token.id, now)
      await this.#store.accounts.touchApiToken(found.token.id, now)
    }
  }
}

function tokenInvalid(): NereidError {
  return new NereidError('TOKEN_INVALID', 'the API token is invalid or revoked; create a new one')
}

function newSecret(): string {
  return randomBytes(32).toString('base64url')
}
