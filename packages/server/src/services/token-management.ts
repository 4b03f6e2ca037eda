import { NereidError } from '@nereid/core'
import type { ApiTokenRecord, Store, User } from '@nereid/store'
import type { FastifyRequest } from 'fastify'
import type { AuditLog } from './audit-log.js'
import type { TokenService } from './token-service.js'

/**
 * The life of API tokens of one owner (a person, or a service account managed by workspace
 * admins): create (the token is shown once), list, revoke, rotate; each change is audited.
 */
export class TokenManagement {
  readonly #store: Store
  readonly #tokens: TokenService
  readonly #audit: AuditLog
  readonly #now: () => number

  constructor(store: Store, tokens: TokenService, audit: AuditLog, now: () => number) {
    this.#store = store
    this.#tokens = tokens
    this.#audit = audit
    this.#now = now
  }

  async list(owner: User): Promise<ApiTokenRecord[]> {
    return this.#store.accounts.listApiTokens(owner.id)
  }

  async create(
    request: FastifyRequest,
    owner: User,
    name: string,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const created = await this.#tokens.mint(owner.id, name, this.#now())
    await this.#audit.record(request, {
      action: 'token.created',
      workspaceId: owner.workspaceId,
      target: owner.username,
      details: { token: created.record.id, name },
    })
    return created
  }

  async revoke(request: FastifyRequest, owner: User, tokenId: string): Promise<ApiTokenRecord> {
    const token = await this.#owned(owner, tokenId)
    if (token.revokedAt === null) {
      await this.#store.accounts.revokeApiToken(token.id, this.#now())
      await this.#audit.record(request, {
        action: 'token.revoked',
        workspaceId: owner.workspaceId,
        target: owner.username,
        details: { token: token.id, name: token.name },
      })
    }
    return (await this.#store.accounts.getApiToken(token.id))!
  }

  async rotate(
    request: FastifyRequest,
    owner: User,
    tokenId: string,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const token = await this.#owned(owner, tokenId)
    const rotated = await this.#tokens.rotate(token.id, this.#now())
    await this.#audit.record(request, {
      action: 'token.rotated',
      workspaceId: owner.workspaceId,
      target: owner.username,
      details: { token: token.id, replacement: rotated.record.id, name: token.name },
    })
    return rotated
  }

  async #owned(owner: User, tokenId: string): Promise<ApiTokenRecord> {
    const token = await this.#store.accounts.getApiToken(tokenId)
    if (!token || token.userId !== owner.id) {
      throw new NereidError('TOKEN_NOT_FOUND', `${owner.username} has no API token with this id`, {
        token: tokenId.slice(0, 100),
      })
    }
    return token
  }
}
