import { NereidError, ValidationError } from '@nereid/core'
import type { Store, User, WorkspaceRole } from '@nereid/store'
import type { FastifyRequest } from 'fastify'
import { checkNewPassword, hashPassword, randomPassword } from './password-hasher.js'

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/

export interface NewPerson {
  username: string
  displayName?: string
  email?: string | null
  /** Generated (and returned, once) when absent. */
  password?: string
  isAdmin?: boolean
  /** Also make them a member of this workspace. */
  workspace?: string
  role?: WorkspaceRole
  now: number
}

/**
 * Creates a person who signs in with a password: the admin API, `nereid admin user create` and
 * invitations all come here. Returns the generated password when none was given.
 */
export async function createPerson(
  store: Store,
  input: NewPerson,
): Promise<{ user: User; password: string | null }> {
  if (input.password !== undefined) checkNewPassword(input.password)
  const email = normalizeEmail(input.email)
  const workspace =
    input.workspace === undefined ? null : await store.workspaces.getByName(input.workspace)
  if (input.workspace !== undefined && !workspace) {
    throw new NereidError('WORKSPACE_NOT_FOUND', `workspace "${input.workspace}" not found`, {
      workspace: input.workspace,
    })
  }
  const password = input.password ?? randomPassword()
  let user = await store.accounts.createUser({
    username: input.username,
    displayName: input.displayName ?? input.username,
    passwordHash: await hashPassword(password),
    isAdmin: input.isAdmin ?? false,
    now: input.now,
  })
  if (email !== null) user = await store.accounts.updateUser(user.id, { email })
  if (workspace) {
    await store.workspaces.addMember({
      workspaceId: workspace.id,
      userId: user.id,
      role: input.role ?? 'member',
      now: input.now,
    })
  }
  return { user, password: input.password === undefined ? password : null }
}

export function normalizeEmail(email: string | null | undefined): string | null {
  if (email === undefined || email === null || email === '') return null
  const normalized = email.trim().toLowerCase()
  if (!EMAIL.test(normalized)) {
    throw new ValidationError(`"${email.slice(0, 100)}" is not an e-mail address`, {
      field: 'email',
    })
  }
  return normalized
}

/** The person called `username`, or USER_NOT_FOUND. */
export async function findPerson(store: Store, username: string): Promise<User> {
  const user = await store.accounts.findUserByUsername(username)
  if (!user || user.kind !== 'user') {
    throw new NereidError('USER_NOT_FOUND', `no user "${username.slice(0, 100)}"`, {
      user: username.slice(0, 100),
    })
  }
  return user
}

/** The person the request acts as; FORBIDDEN for a service account. */
export function requirePerson(request: FastifyRequest): User {
  const user = request.principal!.user
  if (user.kind !== 'user') {
    throw new NereidError(
      'FORBIDDEN',
      'service accounts cannot do this; a workspace admin manages their tokens',
    )
  }
  return user
}
