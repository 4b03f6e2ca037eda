import { Nullable } from '../schemas/common.js'
import { NereidError } from '@nereid/core'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { TokenBody, UserBody, presentToken, presentUser } from '../schemas/accounts.js'
import { AuditLog } from '../services/audit-log.js'
import { MAX_PASSWORD_LENGTH, checkNewPassword, hashPassword } from '../services/password-hasher.js'
import { createPerson, findPerson, normalizeEmail } from '../services/user-accounts.js'

const UsernameParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }) })
const TokenParams = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 200 }),
  tokenId: Type.String({ minLength: 1, maxLength: 100 }),
})
const CreateUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Nullable<string>({ type: 'string', maxLength: 320 })),
    password: Type.Optional(
      Type.String({
        maxLength: MAX_PASSWORD_LENGTH,
        description: 'At least 8 characters; generated and returned once when absent',
      }),
    ),
    isAdmin: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
const UpdateUser = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(Nullable<string>({ type: 'string', maxLength: 320 })),
    isAdmin: Type.Optional(Type.Boolean()),
    deactivated: Type.Optional(
      Type.Boolean({ description: 'A deactivated account’s sessions and tokens stop working' }),
    ),
    password: Type.Optional(
      Type.String({
        maxLength: MAX_PASSWORD_LENGTH,
        description: 'Sets a new password and signs the user out everywhere',
      }),
    ),
  },
  { additionalProperties: false },
)

/** People, managed by server administrators (the web app's user settings use these). */
export async function userRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, now } = deps
  const audit = new AuditLog(store, now)

  app.get(
    '/api/v1/users',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Every person with an account (not service accounts)',
        tags: ['users'],
        response: { 200: Type.Object({ users: Type.Array(UserBody) }) },
      },
    },
    async () => ({ users: (await store.accounts.listUsers()).map(presentUser) }),
  )

  app.post<{ Body: Static<typeof CreateUser> }>(
    '/api/v1/users',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Create a person who signs in with a password',
        tags: ['users'],
        body: CreateUser,
        response: {
          200: Type.Object({
            user: UserBody,
            password: Type.Union([Type.String(), Type.Null()], {
              description: 'The generated password, shown once; null when one was given',
            }),
          }),
        },
      },
    },
    async (request) => {
      const { user, password } = await createPerson(store, { ...request.body, now: now() })
      await audit.record(request, {
        action: 'user.created',
        target: user.username,
        details: { isAdmin: user.isAdmin },
      })
      return { user: presentUser(user), password }
    },
  )

  app.patch<{ Params: Static<typeof UsernameParams>; Body: Static<typeof UpdateUser> }>(
    '/api/v1/users/:username',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Change a person’s name, e-mail, administrator flag, password or deactivate them',
        tags: ['users'],
        params: UsernameParams,
        body: UpdateUser,
        response: { 200: UserBody },
      },
    },
    async (request) => {
      const user = await findPerson(store, request.params.username)
      const { displayName, email, isAdmin, deactivated, password } = request.body
      const losesAdmin =
        user.isAdmin && user.deactivatedAt === null && (isAdmin === false || deactivated === true)
      if (losesAdmin && (await store.accounts.countAdmins()) <= 1) {
        throw new NereidError(
          'LAST_OWNER',
          `${user.username} is the last active administrator; make someone else one first`,
        )
      }
      if (password !== undefined) checkNewPassword(password)
      const updated = await store.accounts.updateUser(user.id, {
        ...(displayName !== undefined ? { displayName } : {}),
        ...(email !== undefined ? { email: normalizeEmail(email) } : {}),
        ...(isAdmin !== undefined ? { isAdmin } : {}),
        ...(deactivated !== undefined
          ? { deactivatedAt: deactivated ? (user.deactivatedAt ?? now()) : null }
          : {}),
      })
      if (password !== undefined) {
        await store.accounts.setPasswordHash(user.id, await hashPassword(password))
      }
      if (password !== undefined || deactivated === true) {
        await store.sessions.deleteForUser(user.id)
      }
      if (deactivated === true) {
        // Revoked, not just suspended: credentials derived from them (Neptune access tokens)
        // end too, and a reactivated person starts with new tokens.
        for (const token of await store.accounts.listApiTokens(user.id)) {
          if (token.revokedAt === null) await store.accounts.revokeApiToken(token.id, now())
        }
      }
      await audit.record(request, {
        action: 'user.updated',
        target: user.username,
        // What changed, never the password itself.
        details: {
          changed: Object.keys(request.body),
          ...(isAdmin !== undefined ? { isAdmin } : {}),
          ...(deactivated !== undefined ? { deactivated } : {}),
        },
      })
      return presentUser(updated)
    },
  )

  app.get<{ Params: Static<typeof UsernameParams> }>(
    '/api/v1/users/:username/tokens',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'A person’s API tokens (names and dates, never the tokens)',
        tags: ['users'],
        params: UsernameParams,
        response: { 200: Type.Object({ tokens: Type.Array(TokenBody) }) },
      },
    },
    async (request) => {
      const user = await findPerson(store, request.params.username)
      return { tokens: (await store.accounts.listApiTokens(user.id)).map(presentToken) }
    },
  )

  app.delete<{ Params: Static<typeof TokenParams> }>(
    '/api/v1/users/:username/tokens/:tokenId',
    {
      config: { permission: 'admin' },
      schema: {
        summary: 'Revoke a person’s API token',
        tags: ['users'],
        params: TokenParams,
        response: { 200: TokenBody },
      },
    },
    async (request) => {
      const user = await findPerson(store, request.params.username)
      const token = await store.accounts.getApiToken(request.params.tokenId)
      if (!token || token.userId !== user.id) {
        throw new NereidError('TOKEN_NOT_FOUND', `${user.username} has no token with this id`)
      }
      await store.accounts.revokeApiToken(token.id, now())
      await audit.record(request, {
        action: 'token.revoked',
        target: user.username,
        details: { token: token.id, name: token.name },
      })
      return presentToken((await store.accounts.getApiToken(token.id))!)
    },
  )
}
