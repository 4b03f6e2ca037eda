import { parseOperation, type NereidError, type ObjectRecord, type Project } from '@nereid/core'
import type { PreparedOperation, Store } from '../../src/store.js'

/** What every conformance case receives: a way to get a fresh, migrated store. */
export interface ConformanceContext {
  name: string
  createStore(): Promise<Store>
}

export interface Skip {
  reason: string
  tests: string[]
}

/** Test clock: every call moves one millisecond on from a fixed start. */
export function createClock(start = Date.UTC(2026, 0, 1)): () => number {
  let now = start
  return () => now++
}

/** A workspace, a project and a user: the setting most cases start from. */
export async function seedProject(
  store: Store,
  now = Date.UTC(2026, 0, 1),
): Promise<{ project: Project; owner: string }> {
  const user = await store.accounts.createUser({ username: 'alice', isAdmin: true, now })
  const workspace = await store.workspaces.create({ name: 'team', now })
  await store.workspaces.addMember({
    workspaceId: workspace.id,
    userId: user.id,
    role: 'owner',
    now,
  })
  const project = await store.projects.create({
    workspaceId: workspace.id,
    name: 'vision',
    key: 'CLS',
    owner: user.username,
    now,
  })
  return { project, owner: user.username }
}

export async function createRun(
  store: Store,
  projectId: string,
  now: number,
  extra: { customRunId?: string; name?: string } = {},
): Promise<ObjectRecord> {
  const { object } = await store.objects.create({
    projectId,
    kind: 'run',
    owner: 'alice',
    now,
    ...extra,
  })
  return object
}

/** Parses wire operations the way the server does: an invalid one becomes a per-operation error. */
export function prepare(operations: unknown[]): PreparedOperation[] {
  return operations.map((raw) => {
    try {
      return parseOperation(raw)
    } catch (error) {
      return { kind: 'invalid', error: error as NereidError }
    }
  })
}

/** Applies wire operations and fails the test when any of them is rejected. */
export async function write(
  store: Store,
  objectId: string,
  operations: unknown[],
  now: number,
): Promise<void> {
  const result = await store.ingest.applyBatch(
    objectId,
    { operations: prepare(operations) },
    { now },
  )
  const failed = result.results.find((r) => !r.ok)
  if (failed && !failed.ok)
    throw new Error(`operation rejected: ${failed.error.code}: ${failed.error.message}`)
}
