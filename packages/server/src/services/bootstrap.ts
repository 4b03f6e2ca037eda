import { suggestProjectKey, validateProjectName, validateWorkspaceName } from '@nereid/core'
import type { Store, User } from '@nereid/store'
import { hashPassword, randomPassword } from './password-hasher.js'
import { TokenService } from './token-service.js'

export interface BootstrapResult {
  admin: User
  /** Set only when the admin was created now. */
  password: string | null
  token: string
  workspace: string
  project: string | null
}

/**
 * Makes sure an administrator, a workspace and optionally a project exist, and mints one new
 * API token for the administrator. Safe to run again: existing things are reused.
 */
export async function bootstrap(
  store: Store,
  options: {
    publicUrl: string
    workspace: string
    project?: string
    username?: string
    now: number
    tokenName?: string
  },
): Promise<BootstrapResult> {
  validateWorkspaceName(options.workspace)
  if (options.project !== undefined) validateProjectName(options.project)
  const username = options.username ?? 'admin'
  let admin = await store.accounts.findUserByUsername(username)
  let password: string | null = null
  if (!admin) {
    password = randomPassword()
    admin = await store.accounts.createUser({
      username,
      displayName: 'Administrator',
      passwordHash: await hashPassword(password),
      isAdmin: true,
      now: options.now,
    })
  }
  const workspace =
    (await store.workspaces.getByName(options.workspace)) ??
    (await store.workspaces.create({ name: options.workspace, now: options.now }))
  await store.workspaces.addMember({
    workspaceId: workspace.id,
    userId: admin.id,
    role: 'owner',
    now: options.now,
  })
  if (
    options.project !== undefined &&
    !(await store.projects.get(workspace.name, options.project))
  ) {
    await store.projects.create({
      workspaceId: workspace.id,
      name: options.project,
      key: await freeKey(store, workspace.id, suggestProjectKey(options.project)),
      owner: admin.username,
      now: options.now,
    })
  }
  const { token } = await new TokenService(store, options.publicUrl).mint(
    admin.id,
    options.tokenName ?? 'bootstrap',
    options.now,
  )
  return { admin, password, token, workspace: workspace.name, project: options.project ?? null }
}

/** A project key not yet used in the workspace: KEY, KEY2, KEY3, ... */
async function freeKey(store: Store, workspaceId: string, base: string): Promise<string> {
  const used = new Set((await store.projects.list(workspaceId)).map((project) => project.key))
  if (!used.has(base)) return base
  for (let i = 2; ; i++) {
    const key = `${base.slice(0, 10 - String(i).length)}${i}`
    if (!used.has(key)) return key
  }
}
