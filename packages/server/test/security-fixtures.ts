import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import type { Project } from '@nereid/core'
import { createLocalBlobStore, createSqliteStore } from '@nereid/store'
import type { ProjectRole, User, WorkspaceRole } from '@nereid/store'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../src/app.js'
import type { ServerConfig } from '../src/config.js'
import { bootstrap } from '../src/services/bootstrap.js'
import { hashPassword } from '../src/services/password-hasher.js'
import type { TestApp } from './test-app.js'

/** People with roles, for access-control tests. */

export interface Person {
  user: User
  token: string
  password: string
  /** inject() with this person's API token. */
  call(options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>
}

export async function addPerson(
  t: TestApp,
  username: string,
  roles: {
    workspace?: { name: string; role: WorkspaceRole }
    project?: { project: Project; role: ProjectRole }
    isAdmin?: boolean
  } = {},
): Promise<Person> {
  const password = `${username}-password-1`
  const user = await t.store.accounts.createUser({
    username,
    passwordHash: await hashPassword(password),
    isAdmin: roles.isAdmin ?? false,
    now: Date.now(),
  })
  if (roles.workspace) {
    const workspace = await t.store.workspaces.getByName(roles.workspace.name)
    await t.store.workspaces.addMember({
      workspaceId: workspace!.id,
      userId: user.id,
      role: roles.workspace.role,
      now: Date.now(),
    })
  }
  if (roles.project) {
    await t.store.members.setProjectRole({
      projectId: roles.project.project.id,
      userId: user.id,
      role: roles.project.role,
      now: Date.now(),
    })
  }
  const { token } = await t.app.nereid.tokens.mint(user.id, 'test', Date.now())
  return { user, token, password, call: (options) => callWith(t.app, token, options) }
}

export function callWith(
  app: FastifyInstance,
  token: string,
  options: InjectOptions & { url: string },
): Promise<LightMyRequestResponse> {
  return app.inject({
    ...options,
    headers: { authorization: `Bearer ${token}`, ...options.headers },
  })
}

export interface BrowserSession {
  cookie: string
  csrfToken: string
  /** inject() with the session cookie, and the CSRF header on state-changing requests. */
  call(options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>
}

/** Signs in with a password the way the web app does. */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<BrowserSession> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    headers,
  })
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`)
  const cookie = sessionCookie(response)
  const { csrfToken } = response.json() as { csrfToken: string }
  return {
    cookie,
    csrfToken,
    call: (options) =>
      app.inject({
        ...options,
        headers: { cookie, 'x-csrf-token': csrfToken, ...options.headers },
      }),
  }
}

/** `nereid_session=<id>` from a response's Set-Cookie headers. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookies = [response.headers['set-cookie'] ?? []].flat()
  const found = cookies.find((cookie) => cookie.startsWith('nereid_session='))
  if (!found) throw new Error('no session cookie was set')
  return found.split(';')[0]!
}

export interface Clock {
  now(): number
  advance(ms: number): void
}

/**
 * Like createTestApp, with a clock the test moves (session expiry, invitation expiry, trash
 * retention) and optionally a log stream to inspect.
 */
export async function createClockedTestApp(
  options: { config?: Partial<ServerConfig>; logs?: Writable } = {},
): Promise<TestApp & { clock: Clock }> {
  let time = Date.UTC(2026, 0, 1)
  const clock: Clock = { now: () => time, advance: (ms) => (time += ms) }
  const blobDir = await mkdtemp(join(tmpdir(), 'nereid-blobs-'))
  const store = createSqliteStore({ filename: ':memory:' })
  const migrated = await store.migrate()
  if (migrated.error) throw migrated.error
  const publicUrl = 'http://localhost:8080'
  const { token } = await bootstrap(store, {
    publicUrl,
    workspace: 'team',
    project: 'vision',
    now: clock.now(),
  })
  const app = await buildApp({
    store,
    blobs: createLocalBlobStore(blobDir),
    config: { publicUrl, ...options.config },
    now: clock.now,
    ...(options.logs ? { logger: { level: 'trace', stream: options.logs } } : {}),
  })
  return {
    app,
    store,
    token,
    blobDir,
    clock,
    call: (request) => callWith(app, token, request),
    async close() {
      await app.close()
      await store.close()
      await rm(blobDir, { recursive: true, force: true })
    },
  }
}

/** Total bytes of the files under a folder. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size
  }
  return total
}
