import { createHash, randomBytes } from 'node:crypto'
import { decodeApiToken, encodeApiToken, NereidError } from '@nereid/core'
import type { Store, User, ApiTokenRecord } from '@nereid/store'

export interface Principal {
  user: User
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

  constructor(store: Store, publicUrl: string) {
    this.#store = store
    this.#publicUrl = publicUrl
  }

  static hashSecret(secret: string): string {
    return createHash('sha256').update(secret).digest('hex')
  }

  async mint(
    userId: string,
    name: string,
    now: number,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const secret = randomBytes(32).toString('base64url')
    const record = await this.#store.accounts.createApiToken({
      userId,
      name,
      secretHash: TokenService.hashSecret(secret),
      now,
    })
    return { token: encodeApiToken(this.#publicUrl, secret), record }
  }

  /** The principal behind a token, or a TOKEN_INVALID error that says what to do. */
  async authenticate(token: string, now: number): Promise<Principal> {
    let secret: string
    try {
      secret = decodeApiToken(token).secret
    } catch {
      throw new NereidError(
        'TOKEN_INVALID',
        'the API token is malformed; copy the whole token Nereid printed or create a new one',
      )
    }
    const found = await this.#store.accounts.findApiToken(TokenService.hashSecret(secret))
    if (!found)
      throw new NereidError(
        'TOKEN_INVALID',
        'the API token is invalid or revoked; create a new one',
      )
    // Recording every use would turn each read into a write; once a minute is plenty for
    // "last used".
    const last = this.#touched.get(found.token.id) ?? 0
    if (now - last > 60_000) {
      this.#touched.set(found.token.id, now)
      await this.#store.accounts.touchApiToken(found.token.id, now)
    }
    return found
  }
}
