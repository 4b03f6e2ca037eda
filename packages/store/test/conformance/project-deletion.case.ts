import { describe, expect, it } from 'vitest'
import type { Store } from '../../src/store.js'
import { createRun, seedProject, write, type ConformanceContext } from './conformance-context.js'

const SHARED = 'a'.repeat(64)
const FILE = 'b'.repeat(64)
const FILE_SET = 'c'.repeat(64)
const IMAGE = 'd'.repeat(64)
const NOTEBOOK = 'e'.repeat(64)
const PART = 'f'.repeat(64)
const OWN_HASHES = [FILE, FILE_SET, IMAGE, NOTEBOOK, PART]

export function defineProjectDeletionCases(context: ConformanceContext): void {
  describe('project deletion', () => {
    /** Row counts of every table, to show a deletion leaves nothing of the project behind. */
    async function rowCounts(store: Store): Promise<Record<string, number>> {
      const counts: Record<string, number> = {}
      for (const table of await store.transfer.tables()) {
        counts[table.name] = await store.transfer.count(table.name)
      }
      return counts
    }

    /** Two projects of one workspace; the one kept holds a run that uses the shared blob. */
    async function setup() {
      const store = await context.createStore()
      const { project: kept, owner } = await seedProject(store)
      const keptRun = await createRun(store, kept.id, 100)
      for (const [index, hash] of [SHARED, ...OWN_HASHES].entries()) {
        await store.blobs.register(hash, 100 * (index + 1), 1)
      }
      await write(store, keptRun.id, [{ op: 'uploadFile', path: 'weights', hash: SHARED }], 101)
      const bob = await store.accounts.createUser({ username: 'bob', isAdmin: false, now: 102 })
      const before = await rowCounts(store)
      const doomed = await store.projects.create({
        workspaceId: kept.workspaceId,
        name: 'doomed',
        key: 'DOOM',
        owner,
        now: 200,
      })
      return { store, kept, keptRun, doomed, owner, bob, before }
    }

    /** Fills a project with one of each kind of thing a project holds. */
    async function fill(store: Store, projectId: string, owner: string, bobId: string) {
      const run = await createRun(store, projectId, 300, { customRunId: 'nightly' })
      await write(
        store,
        run.id,
        [
          { op: 'assignFloat', path: 'params/lr', value: 0.1 },
          { op: 'addStrings', path: 'sys/tags', values: ['baseline'] },
          { op: 'appendFloats', path: 'loss', values: [3, 2, 1] },
          { op: 'uploadFile', path: 'weights', hash: SHARED },
          { op: 'uploadFile', path: 'model', hash: FILE },
          {
            op: 'uploadFileSet',
            path: 'source',
            reset: false,
            files: [{ path: 'train.py', hash: FILE_SET }],
          },
          { op: 'appendFiles', path: 'images', values: [{ hash: IMAGE, name: 'a', ext: 'png' }] },
        ],
        301,
      )
      const { object: model } = await store.objects.create({
        projectId,
        kind: 'model',
        owner,
        now: 302,
        modelKey: 'MOD',
      })
      await store.objects.create({
        projectId,
        kind: 'modelVersion',
        owner,
        now: 303,
        modelId: model.id,
      })
      const trashed = await createRun(store, projectId, 304)
      await store.objects.trash(projectId, [trashed.shortId], 305)
      const { notebook } = await store.notebooks.ensure({ projectId, name: 'eda', owner, now: 306 })
      await store.notebooks.addCheckpoint({
        notebookId: notebook.id,
        hash: NOTEBOOK,
        message: 'first',
        path: null,
        author: owner,
        now: 307,
      })
      const upload = await store.uploads.start({
        objectId: run.id,
        path: 'checkpoint',
        target: 'file',
        totalLength: 10_000_000,
        now: 308,
      })
      await store.uploads.addPart(upload.id, 0, PART)
      await store.views.put({
        projectId,
        id: 'v1',
        name: 'Best',
        state: {},
        author: owner,
        now: 309,
      })
      await store.dashboards.put({
        projectId,
        id: 'd1',
        name: 'Overview',
        widgets: [],
        author: owner,
        now: 310,
      })
      await store.members.setProjectRole({ projectId, userId: bobId, role: 'viewer', now: 311 })
      await store.artifacts.put(projectId, '1'.repeat(64), [], 312)
      return { run, model }
    }

    it('removes the project and everything in it, leaving no row behind in any table', async () => {
      const { store, doomed, owner, bob, before } = await setup()
      const { run } = await fill(store, doomed.id, owner, bob.id)
      const usage = await store.usage.project(doomed.id)
      expect(usage.total).toBeGreaterThan(0)

      const result = await store.projectDeletion.delete(doomed.id)

      // The project's own object, the run, the model, its version, the trashed run, the notebook.
      expect(result?.objects).toBe(6)
      expect(result?.usage).toEqual(usage)
      expect(await store.projects.getById(doomed.id)).toBeNull()
      expect(await store.projects.get('team', 'doomed')).toBeNull()
      expect(await store.objects.get(doomed.id, run.id)).toBeNull()
      expect(await store.fields.get(run.id, 'params/lr')).toBeNull()
      expect(await store.views.list(doomed.id)).toEqual([])
      expect(await store.dashboards.list(doomed.id)).toEqual([])
      expect(await store.members.listProjectMembers(doomed.id)).toEqual([])
      expect(await store.usage.project(doomed.id)).toMatchObject({ total: 0 })
      expect(await rowCounts(store)).toEqual(before)
      await store.close()
    })

    it('releases the blobs the project referenced and keeps those another project uses', async () => {
      const { store, keptRun, doomed, owner, bob } = await setup()
      await fill(store, doomed.id, owner, bob.id)
      expect((await store.blobs.get(SHARED))?.refCount).toBe(2)

      const result = await store.projectDeletion.delete(doomed.id)

      expect(result?.freedBlobs.sort()).toEqual([...OWN_HASHES].sort())
      for (const hash of OWN_HASHES) expect((await store.blobs.get(hash))?.refCount).toBe(0)
      expect((await store.blobs.get(SHARED))?.refCount).toBe(1)
      expect((await store.fields.get(keptRun.id, 'weights'))?.value).toMatchObject({
        hash: SHARED,
      })
      await store.close()
    })

    it('leaves the other projects of the workspace as they were', async () => {
      const { store, kept, keptRun, doomed, owner, bob } = await setup()
      await fill(store, doomed.id, owner, bob.id)
      const keptUsage = await store.usage.project(kept.id)
      const keptMembers = await store.members.listProjectMembers(kept.id)

      await store.projectDeletion.delete(doomed.id)

      expect(await store.projects.getById(kept.id)).toEqual(kept)
      expect(await store.objects.get(kept.id, keptRun.id)).toMatchObject({ id: keptRun.id })
      expect(await store.usage.project(kept.id)).toEqual(keptUsage)
      expect(await store.members.listProjectMembers(kept.id)).toEqual(keptMembers)
      expect((await store.projects.list(kept.workspaceId)).map((p) => p.name)).toEqual(['vision'])
      await store.close()
    })

    it('answers null for a project that does not exist, or no longer does', async () => {
      const { store, doomed } = await setup()
      expect(await store.projectDeletion.delete('00000000-0000-4000-8000-000000000000')).toBeNull()
      expect(await store.projectDeletion.delete(doomed.id)).toMatchObject({ objects: 1 })
      expect(await store.projectDeletion.delete(doomed.id)).toBeNull()
      await store.close()
    })

    it('frees the name and key for a new, empty project', async () => {
      const { store, doomed, owner, bob } = await setup()
      await fill(store, doomed.id, owner, bob.id)
      await store.projectDeletion.delete(doomed.id)

      const again = await store.projects.create({
        workspaceId: doomed.workspaceId,
        name: 'doomed',
        key: 'DOOM',
        owner,
        now: 400,
      })
      expect(again.id).not.toBe(doomed.id)
      const run = await createRun(store, again.id, 401, { customRunId: 'nightly' })
      expect(run.shortId).toBe('DOOM-1')
      expect(await store.fields.get(run.id, 'params/lr')).toBeNull()
      expect(await store.views.list(again.id)).toEqual([])
      expect(await store.fields.listProjectFields(again.id, {})).not.toContainEqual(
        expect.objectContaining({ path: 'params/lr' }),
      )
      await store.close()
    })
  })
}
