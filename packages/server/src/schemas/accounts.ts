import { Type } from '@sinclair/typebox'
import type { ApiTokenRecord, User } from '@nereid/store'

/** Wire shapes of people, service accounts and API tokens. Secrets never appear in them. */

const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))
const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()])

export const UserBody = Type.Object({
  id: Type.String(),
  username: Type.String({ description: 'Service accounts are named name@workspace' }),
  displayName: Type.String(),
  isAdmin: Type.Boolean({ description: 'A server administrator' }),
  kind: Type.Union([Type.Literal('user'), Type.Literal('serviceAccount')]),
  email: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  deactivated: Type.Boolean(),
})

export function presentUser(user: User) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    isAdmin: user.isAdmin,
    kind: user.kind,
    email: user.email,
    createdAt: iso(user.createdAt),
    deactivated: user.deactivatedAt !== null,
  }
}

export const TokenBody = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: NullableTime,
  revokedAt: NullableTime,
})

export function presentToken(token: ApiTokenRecord) {
  return {
    id: token.id,
    name: token.name,
    createdAt: iso(token.createdAt),
    lastUsedAt: isoOrNull(token.lastUsedAt),
    revokedAt: isoOrNull(token.revokedAt),
  }
}

export const NewTokenBody = Type.Object({
  token: Type.String({ description: 'The API token itself; shown this once, never again' }),
  record: TokenBody,
})

export const TokenName = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)

export const WorkspaceRoleSchema = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('member'),
])

export const ProjectRoleSchema = Type.Union([
  Type.Literal('owner'),
  Type.Literal('contributor'),
  Type.Literal('viewer'),
])

export { iso, isoOrNull }
