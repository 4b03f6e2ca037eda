import { describe, expect, it } from 'vitest'
import { seedProject, type ConformanceContext } from './conformance-context.js'

const CONTENT_1 = '1'.repeat(64)
const CONTENT_2 = '2'.repeat(64)

export function defineNotebookCases(context: ConformanceContext): void {
  describe('notebooks', () => {
    async function setup() {
      const store = await context.createStore()
      const { project, owner } = await seedProject(store)
      await store.blobs.register(CONTENT_1, 1200, 1)
      await store.blobs.register(CONTENT_2, 1500, 1)
      return { store, project, owner }
    }

    it('creates a notebook once per name and finds it by id, readable id or name', async () => {
      const { store, project, owner } = await setup()
      const first = await store.notebooks.ensure({
        projectId: project.id,
        name: 'eda',
        owner,
        now: 10,
      })
      expect(first.created).toBe(true)
      expect(first.notebook).toMatchObject({ name: 'eda', checkpointCount: 0, trashed: false })
      expect(first.notebook.shortId).toMatch(/^CLS-NB\d+$/)
      const again = await store.notebooks.ensure({
        projectId: project.id,
        name: 'eda',
        owner,
        now: 11,
      })
      expect(again).toEqual({ notebook: first.notebook, created: false })
      for (const ref of [first.notebook.id, first.notebook.shortId, 'eda'])
        expect((await store.notebooks.get(project.id, ref))?.id).toBe(first.notebook.id)
      expect((await store.objects.getById(first.notebook.id))?.kind).toBe('notebook')
      await store.notebooks.ensure({ projectId: project.id, name: 'baseline', owner, now: 12 })
      expect((await store.notebooks.list(project.id)).map((n) => n.name)).toEqual([
        'baseline',
        'eda',
      ])
      await store.close()
    })

    it('frees checkpoint content when the notebook is deleted permanently', async () => {
      const { store, project, owner } = await setup()
      const { notebook } = await store.notebooks.ensure({
        projectId: project.id,
        name: 'eda',
        owner,
        now: 10,
      })
      await store.notebooks.addCheckpoint({
        notebookId: notebook.id,
        hash: CONTENT_1,
        message: 'one',
        path: null,
        author: owner,
        now: 20,
      })
      await store.notebooks.addCheckpoint({
        notebookId: notebook.id,
        hash: CONTENT_2,
        message: 'two',
        path: null,
        author: owner,
        now: 21,
      })
      expect((await store.blobs.get(CONTENT_1))?.refCount).toBe(1)
      await store.objects.trash(project.id, [notebook.id], 30)
      const deleted = await store.objects.deletePermanently(project.id, [notebook.id])
      expect(deleted.freedBlobs.sort()).toEqual([CONTENT_1, CONTENT_2])
      expect(await store.notebooks.get(project.id, notebook.id)).toBeNull()
      await store.close()
    })

    it('rejects an empty or unprintable name', async () => {
      const { store, project, owner } = await setup()
      for (const name of ['', '   ', 'a\nb', 'x'.repeat(201)]) {
        await expect(
          store.notebooks.ensure({ projectId: project.id, name, owner, now: 1 }),
        ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
      }
      await store.close()
    })

    it('numbers checkpoints like commits and keeps their content referenced', async () => {
      const { store, project, owner } = await setup()
      const { notebook } = await store.notebooks.ensure({
        projectId: project.id,
        name: 'eda',
        owner,
        now: 10,
      })
      const one = await store.notebooks.addCheckpoint({
        notebookId: notebook.id,
        hash: CONTENT_1,
        message: 'first look',
        path: 'notebooks/eda.ipynb',
        author: owner,
        now: 20,
      })
      expect(one).toMatchObject({
        created: true,
        checkpoint: {
          number: 1,
          hash: CONTENT_1,
          size: 1200,
          message: 'first look',
          path: 'notebooks/eda.ipynb',
          author: owner,
          createdAt: 20,
        },
      })
      const two = await store.notebooks.addCheckpoint({
        notebookId: notebook.id,
        hash: CONTENT_2,
        message: 'plots',
        path: null,
        author: owner,
        now: 30,
      })
      expect(two.checkpoint.number).toBe(2)
      expect((await store.notebooks.listCheckpoints(notebook.id)).map((c) => c.number)).toEqual([
        2, 1,
      ])
      expect(await store.notebooks.getCheckpoint(notebook.id, '1')).toEqual(one.checkpoint)
      expect(await store.notebooks.getCheckpoint(notebook.id, two.checkpoint.id)).toEqual(
        two.checkpoint,
      )
      expect(await store.notebooks.getCheckpoint(notebook.id, '9')).toBeNull()
      expect((await store.blobs.get(CONTENT_1))?.refCount).toBe(1)
      expect((await store.blobs.get(CONTENT_2))?.refCount).toBe(1)
      expect(await store.notebooks.get(project.id, 'eda')).toMatchObject({
        checkpointCount: 2,
        lastCheckpointAt: 30,
      })
      await store.close()
    })

    it('records unchanged content once, so a retried checkpoint is not a second one', async () => {
      const { store, project, owner } = await setup()
      const { notebook } = await store.notebooks.ensure({
        projectId: project.id,
        name: 'eda',
        owner,
        now: 10,
      })
      const input = {
        notebookId: notebook.id,
        hash: CONTENT_1,
        message: 'm',
        path: null,
        author: owner,
        now: 20,
      }
      const first = await store.notebooks.addCheckpoint(input)
      const retried = await store.notebooks.addCheckpoint({ ...input, now: 21 })
      expect(retried).toEqual({ checkpoint: first.checkpoint, created: false })
      expect(await store.notebooks.listCheckpoints(notebook.id)).toHaveLength(1)
      expect((await store.blobs.get(CONTENT_1))?.refCount).toBe(1)
      await store.close()
    })

    it('refuses content that was never uploaded, and notebooks in the trash', async () => {
      const { store, project, owner } = await setup()
      const { notebook } = await store.notebooks.ensure({
        projectId: project.id,
        name: 'eda',
        owner,
        now: 10,
      })
      await expect(
        store.notebooks.addCheckpoint({
          notebookId: notebook.id,
          hash: 'f'.repeat(64),
          message: '',
          path: null,
          author: owner,
          now: 20,
        }),
      ).rejects.toMatchObject({ code: 'BLOB_NOT_FOUND' })
      await store.objects.trash(project.id, [notebook.id], 30)
      await expect(
        store.notebooks.addCheckpoint({
          notebookId: notebook.id,
          hash: CONTENT_1,
          message: '',
          path: null,
          author: owner,
          now: 40,
        }),
      ).rejects.toMatchObject({ code: 'READ_ONLY_OBJECT' })
      expect(await store.notebooks.list(project.id)).toEqual([])
      await store.close()
    })
  })
}
