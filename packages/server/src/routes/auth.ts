import { NereidError } from '@nereid/core'
import type { Store, User } from '@nereid/store'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppDeps } from '../app-deps.js'
import { WorkspaceRoleSchema, UserBody, presentUser } from '../schemas/accounts.js'
import { AuditLog } from '../services/audit-log.js'
import { SESSION_COOKIE } from '../services/session-service.js'
import { readCookie } from '../services/cookies.js'
import {
  MAX_PASSWORD_LENGTH,
  checkNewPassword,
  hashPassword,
  verifyPassword,
} from '../services/password-hasher.js'
import { SignInThrottle } from '../services/sign-in-throttle.js'

const Credentials = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
)
const PasswordChange = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    newPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
)
const SignedIn = Type.Object({ user: UserBody, csrfToken: Type.String() })
const SessionBody = Type.Object({
  user: UserBody,
  csrfToken: Type.Union([Type.String(), Type.Null()], {
    description: 'Echo it in "x-csrf-token" on state-changing requests; null with an API token',
  }),
  workspaces: Type.Array(
    Type.Object({ name: Type.String(), displayName: Type.String(), role: WorkspaceRoleSchema }),
  ),
})
const Providers = Type.Object({
  password: Type.Boolean(),
  oidc: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
})

/**
 * Password sign-in and browser sessions (the contract the web app relies on): sign in, the
 * current session, sign out, password change, and which sign-in methods exist.
 */
export async function authRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { store, config, now } = deps
  const sessions = app.auth.sessions
  const audit = new AuditLog(store, now)
  const throttle = new SignInThrottle(store, now)

  app.post<{ Body: Static<typeof Credentials> }>(
    '/api/v1/auth/login',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Sign in with a password; sets the session cookie',
        description:
          'Sets the HttpOnly cookie nereid_session. State-changing requests made with it must send the returned csrfToken in the header x-csrf-token. After 10 failures for an account or from an address in 10 minutes, answers 429.',
        tags: ['auth'],
        security: [],
        body: Credentials,
        response: { 200: SignedIn },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body
      try {
        await throttle.check(username, request.ip)
      } catch (error) {
        void reply.header('retry-after', '600')
        throw error
      }
      const user = await store.accounts.findUserByUsername(username)
      const usable = user !== null && user.kind === 'user' && user.deactivatedAt === null
      const hash = usable ? await store.accounts.getPasswordHash(user.id) : null
      if (!(await verifyPassword(password, hash)) || !usable) {
        await throttle.failed(username, request.ip)
        await audit.record(
          request,
          {
            action: 'auth.signInFailed',
            target: username.slice(0, 256),
            details: { reason: user === null ? 'unknown user' : 'wrong password or inactive' },
          },
          { id: user?.id ?? null, name: username.slice(0, 256) },
        )
        throw new NereidError('AUTH_FAILED', 'wrong username or password')
      }
      await throttle.succeeded(username)
      const { csrfToken } = await sessions.start(request, reply, user)
      await audit.record(
        request,
        { action: 'auth.signIn', target: user.username, details: { method: 'password' } },
        { id: user.id, name: user.username },
      )
      return { user: presentUser(user), csrfToken }
    },
  )

  app.get(
    '/api/v1/auth/session',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Who is signed in, with their workspaces and the session’s CSRF token',
        tags: ['auth'],
        response: { 200: SessionBody },
      },
    },
    async (request) => {
      const principal = request.principal!
      return {
        user: presentUser(principal.user),
        csrfToken: principal.session?.csrfToken ?? null,
        workspaces: await workspacesOf(store, principal.user),
      }
    },
  )

  app.post(
    '/api/v1/auth/logout',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Sign out: ends the session and clears its cookie',
        tags: ['auth'],
        security: [],
        response: { 200: Type.Object({}) },
      },
    },
    async (request, reply) => {
      const principal = readCookie(request, SESSION_COOKIE) ? await sessions.resolve(request) : null
      if (principal) sessions.checkCsrf(request, principal)
      await sessions.end(request, reply)
      if (principal) {
        await audit.record(
          request,
          { action: 'auth.signOut', target: principal.user.username },
          { id: principal.user.id, name: principal.user.username },
        )
      }
      return {}
    },
  )

  app.post<{ Body: Static<typeof PasswordChange> }>(
    '/api/v1/auth/password',
    {
      config: { permission: 'authenticated' },
      schema: {
        summary: 'Change your password; signs out your other sessions',
        tags: ['auth'],
        body: PasswordChange,
        response: { 200: Type.Object({ signedOutSessions: Type.Integer() }) },
      },
    },
    async (request) => {
      const principal = request.principal!
      const user = principal.user
      if (user.kind !== 'user') {
        throw new NereidError('FORBIDDEN', 'service accounts have no password')
      }
      await throttle.check(user.username, request.ip)
      const hash = await store.accounts.getPasswordHash(user.id)
      if (hash === null) {
        throw new NereidError(
          'FORBIDDEN',
          'this account signs in with single sign-on and has no password to change',
        )
      }
      if (!(await verifyPassword(request.body.currentPassword, hash))) {
        await throttle.failed(user.username, request.ip)
        throw new NereidError('AUTH_FAILED', 'the current password is wrong')
      }
      checkNewPassword(request.body.newPassword, 'newPassword')
      await store.accounts.setPasswordHash(user.id, await hashPassword(request.body.newPassword))
      const signedOutSessions = await store.sessions.deleteForUser(
        user.id,
        principal.session?.idHash,
      )
      await audit.record(request, {
        action: 'auth.passwordChanged',
        target: user.username,
        details: { signedOutSessions },
      })
      return { signedOutSessions }
    },
  )

  app.get(
    '/api/v1/auth/providers',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'The sign-in methods this server offers',
        tags: ['auth'],
        security: [],
        response: { 200: Providers },
      },
    },
    async () => ({
      password: true,
      oidc: config.oidcProviders.map((provider) => ({ id: provider.id, name: provider.name })),
    }),
  )
}

/** The workspaces a user sees, with their role (administrators see every workspace). */
async function workspacesOf(store: Store, user: User) {
  const workspaces = user.isAdmin
    ? await store.workspaces.list()
    : await store.workspaces.listForUser(user.id)
  const result = []
  for (const workspace of workspaces) {
    const role = (await store.workspaces.memberRole(workspace.id, user.id)) ?? 'admin'
    result.push({ name: workspace.name, displayName: workspace.displayName, role })
  }
  return result
}
