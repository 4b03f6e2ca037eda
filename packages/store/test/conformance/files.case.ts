import { describe, expect, it } from 'vitest'
import {
  createRun,
  prepare,
  seedProject,
  write,
  type ConformanceContext,
} from './conformance-context.js'

const HASH_A = 'a'.repeat(64)
const HASH_B = 'b'.repeat(64)
const HASH_C = 'c'.repeat(64)

export function defineFileCases(context: ConformanceContext): void {
  describe('files and blobs', () => {
    async function setup() {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1000)
      await store.blobs.register(HASH_A, 100, 1)
      await store.blobs.register(HASH_B, 200, 1)
      await store.blobs.register(HASH_C, 300, 1)
      return { store, project, run }
    }

    it('assigns an uploaded blob to a file field and counts the reference', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [
          {
            op: 'uploadFile',
            path: 'model/weights',
            hash: HASH_A,
            name: 'weights.pt',
            contentType: 'application/octet-stream',
          },
        ],
        2,
      )
      expect((await store.fields.get(run.id, 'model/weights'))?.value).toEqual({
        type: 'file',
        hash: HASH_A,
        size: 100,
        name: 'weights.pt',
        ext: 'pt',
        contentType: 'application/octet-stream',
      })
      expect((await store.blobs.get(HASH_A))?.refCount).toBe(1)
      await write(store, run.id, [{ op: 'uploadFile', path: 'model/weights', hash: HASH_B }], 3)
      expect((await store.blobs.get(HASH_A))?.refCount).toBe(0)
      expect((await store.blobs.get(HASH_B))?.refCount).toBe(1)
      await store.close()
    })

    it('rejects a reference to a blob that was never uploaded', async () => {
      const { store, run } = await setup()
      const result = await store.ingest.applyBatch(
        run.id,
        { operations: prepare([{ op: 'uploadFile', path: 'f', hash: 'd'.repeat(64) }]) },
        { now: 2 },
      )
      expect(result.results[0]).toMatchObject({ ok: false, error: { code: 'BLOB_NOT_FOUND' } })
      expect(await store.fields.get(run.id, 'f')).toBeNull()
      await store.close()
    })

    it('merges, resets and prunes file sets', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [
          {
            op: 'uploadFileSet',
            path: 'src',
            reset: false,
            files: [
              { path: 'a.py', hash: HASH_A },
              { path: 'pkg/b.py', hash: HASH_B },
              { path: 'pkg/c.py', hash: HASH_C },
            ],
          },
        ],
        2,
      )
      expect((await store.fields.listFileSet(run.id, 'src'))?.map((e) => e.path)).toEqual([
        'a.py',
        'pkg/b.py',
        'pkg/c.py',
      ])
      expect((await store.fields.get(run.id, 'src'))?.value).toEqual({
        type: 'fileSet',
        size: 600,
        fileCount: 3,
      })
      await write(store, run.id, [{ op: 'deleteFiles', path: 'src', filePaths: ['pkg'] }], 3)
      expect((await store.fields.listFileSet(run.id, 'src'))?.map((e) => e.path)).toEqual(['a.py'])
      expect((await store.blobs.get(HASH_B))?.refCount).toBe(0)
      await write(
        store,
        run.id,
        [
          {
            op: 'uploadFileSet',
            path: 'src',
            reset: true,
            files: [{ path: 'new.py', hash: HASH_C }],
          },
        ],
        4,
      )
      expect((await store.fields.listFileSet(run.id, 'src'))?.map((e) => e.path)).toEqual([
        'new.py',
      ])
      expect((await store.blobs.get(HASH_A))?.refCount).toBe(0)
      await store.close()
    })

    it('rejects file-set paths that climb out of the set', async () => {
      const { store, run } = await setup()
      const result = await store.ingest.applyBatch(
        run.id,
        {
          operations: prepare([
            {
              op: 'uploadFileSet',
              path: 'src',
              reset: false,
              files: [{ path: '../../etc/passwd', hash: HASH_A }],
            },
          ]),
        },
        { now: 2 },
      )
      expect(result.results[0]).toMatchObject({ ok: false, error: { code: 'VALUE_INVALID' } })
      await store.close()
    })

    it('keeps file series and reads a point back by index', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [
          {
            op: 'appendFiles',
            path: 'images',
            values: [
              { hash: HASH_A, name: 'a', ext: 'png', contentType: 'image/png' },
              { hash: HASH_B },
            ],
          },
        ],
        2,
      )
      expect(await store.series.fileAt(run.id, 'images', 0)).toMatchObject({
        hash: HASH_A,
        contentType: 'image/png',
        size: 100,
      })
      expect(await store.series.fileAt(run.id, 'images', 1)).toMatchObject({ hash: HASH_B })
      expect(await store.series.fileAt(run.id, 'images', 2)).toBeNull()
      expect((await store.blobs.get(HASH_A))?.refCount).toBe(1)
      await write(store, run.id, [{ op: 'deleteField', path: 'images' }], 3)
      expect((await store.blobs.get(HASH_A))?.refCount).toBe(0)
      await store.close()
    })

    it('frees blobs no one references when an object is deleted', async () => {
      const { store, project, run } = await setup()
      const other = await createRun(store, project.id, 5)
      await write(
        store,
        run.id,
        [
          { op: 'uploadFile', path: 'f', hash: HASH_A },
          { op: 'uploadFile', path: 'g', hash: HASH_B },
        ],
        6,
      )
      await write(store, other.id, [{ op: 'uploadFile', path: 'f', hash: HASH_B }], 7)
      await store.objects.trash(project.id, [run.id], 8)
      const deleted = await store.objects.deletePermanently(project.id, [run.id])
      expect(deleted.freedBlobs).toEqual([HASH_A])
      expect(await store.blobs.forget(deleted.freedBlobs)).toEqual([HASH_A])
      expect(await store.blobs.get(HASH_A)).toBeNull()
      expect((await store.blobs.get(HASH_B))?.refCount).toBe(1)
      await store.close()
    })

    it('collects unreferenced blobs only after their grace period', async () => {
      const { store } = await setup()
      expect(await store.blobs.collectGarbage(1, 10)).toEqual([])
      await store.blobs.register(HASH_A, 100, 50)
      const collected = await store.blobs.collectGarbage(10, 10)
      expect(collected.sort()).toEqual([HASH_B, HASH_C])
      expect(await store.blobs.get(HASH_A)).not.toBeNull()
      await store.close()
    })

    it('stores artifacts by hash and points fields at them', async () => {
      const { store, project, run } = await setup()
      await write(
        store,
        run.id,
        [
          {
            op: 'trackArtifact',
            path: 'data',
            files: [
              {
                filePath: 'train.csv',
                fileHash: 'f1',
                type: 'Local',
                size: 10,
                metadata: { file_path: 'file:///d/train.csv' },
              },
            ],
          },
        ],
        2,
      )
      const field = await store.fields.get(run.id, 'data')
      expect(field?.value).toMatchObject({ type: 'artifact', size: 10, fileCount: 1 })
      const hash = field?.value.type === 'artifact' ? field.value.hash : ''
      expect(hash).toMatch(/^[0-9a-f]{64}$/)
      expect((await store.fields.listArtifactFiles(project.id, hash))?.[0]?.filePath).toBe(
        'train.csv',
      )
      await store.close()
    })
  })
}
