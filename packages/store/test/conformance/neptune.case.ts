import { describe, expect, it } from 'vitest'
import { createRun, seedProject, type ConformanceContext } from './conformance-context.js'

const PART_A = 'a'.repeat(64)
const PART_B = 'b'.repeat(64)

/** State the Neptune protocol keeps: server secrets and multipart uploads in progress. */
export function defineNeptuneCases(context: ConformanceContext): void {
  describe('server secrets', () => {
    it('creates a secret once and returns the same value to every later caller', async () => {
      const store = await context.createStore()
      const first = await store.secrets.getOrCreate('jwt', () => 'one', 1)
      const again = await store.secrets.getOrCreate('jwt', () => 'two', 2)
      const other = await store.secrets.getOrCreate('other', () => 'three', 3)
      expect([first, again, other]).toEqual(['one', 'one', 'three'])
      await store.close()
    })

    it('agrees on one value when callers race to create it', async () => {
      const store = await context.createStore()
      const values = await Promise.all(
        ['a', 'b', 'c', 'd'].map((value) => store.secrets.getOrCreate('race', () => value, 1)),
      )
      expect(new Set(values).size).toBe(1)
      await store.close()
    })
  })

  describe('multipart uploads', () => {
    async function setup() {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1000)
      await store.blobs.register(PART_A, 5, 1)
      await store.blobs.register(PART_B, 3, 1)
      return { store, run, project }
    }

    it('records parts by index, replacing a part sent again', async () => {
      const { store, run } = await setup()
      const upload = await store.uploads.start({
        objectId: run.id,
        path: 'model/weights',
        target: 'file',
        ext: 'pt',
        totalLength: 8,
        now: 10,
      })
      await store.uploads.addPart(upload.id, 1, PART_A)
      await store.uploads.addPart(upload.id, 0, PART_A)
      await store.uploads.addPart(upload.id, 1, PART_B)
      const read = await store.uploads.get(upload.id)
      expect(read).toMatchObject({
        path: 'model/weights',
        target: 'file',
        ext: 'pt',
        totalLength: 8,
      })
      expect(read!.parts).toEqual([
        { index: 0, hash: PART_A, size: 5 },
        { index: 1, hash: PART_B, size: 3 },
      ])
      await store.close()
    })

    it('holds a reference to each part until the upload finishes', async () => {
      const { store, run } = await setup()
      const upload = await store.uploads.start({
        objectId: run.id,
        path: 'data',
        target: 'fileSet',
        filePath: 'dir/big.bin',
        totalLength: 5,
        now: 10,
      })
      await store.uploads.addPart(upload.id, 0, PART_A)
      expect((await store.blobs.get(PART_A))!.refCount).toBe(1)
      expect(await store.blobs.collectGarbage(Number.MAX_SAFE_INTEGER, 10)).not.toContain(PART_A)
      await store.uploads.finish(upload.id, 20)
      expect((await store.blobs.get(PART_A))!.refCount).toBe(0)
      expect(await store.uploads.get(upload.id)).toMatchObject({ finishedAt: 20, parts: [] })
      await expect(store.uploads.addPart(upload.id, 1, PART_B)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      await store.close()
    })

    it('lets go of the parts of an unfinished upload when its object is deleted', async () => {
      const { store, run, project } = await setup()
      const upload = await store.uploads.start({
        objectId: run.id,
        path: 'checkpoint',
        target: 'file',
        totalLength: 8,
        now: 10,
      })
      await store.uploads.addPart(upload.id, 0, PART_A)
      await store.uploads.addPart(upload.id, 1, PART_B)
      await store.objects.trash(project.id, [run.id], 11)
      const deleted = await store.objects.deletePermanently(project.id, [run.id])
      expect(deleted.freedBlobs.sort()).toEqual([PART_A, PART_B])
      expect((await store.blobs.get(PART_A))!.refCount).toBe(0)
      expect(await store.uploads.get(upload.id)).toBeNull()
      await store.close()
    })

    it('refuses a part whose blob is not stored, and forgets expired uploads', async () => {
      const { store, run } = await setup()
      const upload = await store.uploads.start({
        objectId: run.id,
        path: 'f',
        target: 'file',
        totalLength: 5,
        now: 10,
      })
      await expect(store.uploads.addPart(upload.id, 0, 'f'.repeat(64))).rejects.toMatchObject({
        code: 'BLOB_NOT_FOUND',
      })
      await store.uploads.addPart(upload.id, 0, PART_A)
      expect(await store.uploads.expire(11)).toBe(1)
      expect(await store.uploads.get(upload.id)).toBeNull()
      expect((await store.blobs.get(PART_A))!.refCount).toBe(0)
      await store.close()
    })
  })
}
