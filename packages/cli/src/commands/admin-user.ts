import {
  checkNewPassword,
  createPerson,
  hashPassword,
  openStore,
  randomPassword,
} from '@nereid/server'
import type { Store } from '@nereid/store'
import { CommandError } from '../command-error.js'
import { storageSettings, type StorageFlags } from '../storage-options.js'

type StoreFlags = StorageFlags & { data: string }

const ROLES = ['owner', 'admin', 'member'] as const

/**
 * `nereid admin user create`: a person who signs in with a password. The password comes from
 * stdin (--password-stdin, so it never shows in the process list or shell history) or is
 * generated and printed on stdout, alone, for scripts to capture.
 */
export async function adminUserCreateCommand(
  username: string,
  options: StoreFlags & {
    displayName?: string
    email?: string
    admin?: boolean
    workspace?: string
    role?: string
    passwordStdin?: boolean
  },
): Promise<void> {
  const role = options.role ?? 'member'
  if (!(ROLES as readonly string[]).includes(role))
    throw new CommandError(`--role must be owner, admin or member, not "${role}"`)
  if (options.role !== undefined && options.workspace === undefined)
    throw new CommandError('--role needs --workspace: the role is the one in that workspace')
  const password = options.passwordStdin ? await readPassword() : undefined
  await withStore(options, async (store) => {
    const created = await createPerson(store, {
      username,
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      ...(options.email !== undefined ? { email: options.email } : {}),
      ...(password !== undefined ? { password } : {}),
      isAdmin: options.admin === true,
      ...(options.workspace !== undefined
        ? { workspace: options.workspace, role: role as (typeof ROLES)[number] }
        : {}),
      now: Date.now(),
    })
    await store.audit.record({
      at: Date.now(),
      workspaceId: null,
      projectId: null,
      actorId: null,
      actorName: 'nereid admin user create',
      action: 'user.created',
      target: created.user.username,
      details: { isAdmin: created.user.isAdmin, workspace: options.workspace ?? null },
      address: null,
    })
    process.stderr.write(
      `created ${created.user.isAdmin ? 'administrator' : 'user'} "${created.user.username}"${options.workspace ? `, ${role} of workspace "${options.workspace}"` : ''}\n`,
    )
    if (created.password !== null) process.stdout.write(`${created.password}\n`)
  })
}

/**
 * `nereid admin user reset-password`: for a locked-out person (or the last administrator). Signs
 * them out everywhere; prints a generated password unless one comes from stdin.
 */
export async function adminUserResetPasswordCommand(
  username: string,
  options: StoreFlags & { passwordStdin?: boolean },
): Promise<void> {
  const given = options.passwordStdin ? await readPassword() : undefined
  await withStore(options, async (store) => {
    const user = await store.accounts.findUserByUsername(username)
    if (!user || user.kind !== 'user') throw new CommandError(`no user "${username}"`)
    const password = given ?? randomPassword()
    checkNewPassword(password)
    await store.accounts.setPasswordHash(user.id, await hashPassword(password))
    await store.sessions.deleteForUser(user.id)
    await store.audit.record({
      at: Date.now(),
      workspaceId: null,
      projectId: null,
      actorId: null,
      actorName: 'nereid admin user reset-password',
      action: 'auth.passwordChanged',
      target: user.username,
      details: { by: 'command line' },
      address: null,
    })
    process.stderr.write(`new password set for "${user.username}"; their sessions ended\n`)
    if (given === undefined) process.stdout.write(`${password}\n`)
  })
}

async function withStore(options: StoreFlags, work: (store: Store) => Promise<void>) {
  const store = await openStore(options.data, storageSettings(options))
  try {
    await work(store)
  } finally {
    await store.close()
  }
}

/** The first line of stdin, without its line ending. */
async function readPassword(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const password = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
  if (password === '') throw new CommandError('--password-stdin: stdin held no password')
  return password
}
