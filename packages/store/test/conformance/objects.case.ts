import { describe, expect, it } from 'vitest'
import { createRun, seedProject, write, type ConformanceContext } from './conformance-context.js'

export function defineObjectCases(context: ConformanceContext): void {
  describe('objects', () => {
    it('numbers runs with readable ids', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const first = await createRun(store, project.id, 10)
      const second = await createRun(store, project.id, 11)
      expect([first.shortId, second.shortId]).toEqual(['CLS-1', 'CLS-2'])
      expect(await store.objects.get(project.id, 'CLS-2')).toEqual(second)
      expect(await store.objects.get(project.id, second.id)).toEqual(second)
      await store.close()
    })

    it('returns the same run for the same custom run id', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const a = await store.objects.create({
        projectId: project.id,
        kind: 'run',
        owner: 'alice',
        now: 10,
        customRunId: 'job-7',
      })
      const b = await store.objects.create({
        projectId: project.id,
        kind: 'run',
        owner: 'alice',
        now: 11,
        customRunId: 'job-7',
      })
      expect(a.created).toBe(true)
      expect(b.created).toBe(false)
      expect(b.object.id).toBe(a.object.id)
      const fields = await store.fields.list(a.object.id)
      expect(fields.find((f) => f.path === 'sys/custom_run_id')?.value).toEqual({
        type: 'string',
        value: 'job-7',
      })
      await store.close()
    })

    it('creates models and numbered model versions with a stage', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const { object: model } = await store.objects.create({
        projectId: project.id,
        kind: 'model',
        owner: 'a',
        now: 1,
        modelKey: 'MOD',
      })
      expect(model.shortId).toBe('CLS-MOD')
      await expect(
        store.objects.create({
          projectId: project.id,
          kind: 'model',
          owner: 'a',
          now: 2,
          modelKey: 'MOD',
        }),
      ).rejects.toMatchObject({
        code: 'MODEL_KEY_EXISTS',
      })
      const v1 = await store.objects.create({
        projectId: project.id,
        kind: 'modelVersion',
        owner: 'a',
        now: 3,
        modelId: 'CLS-MOD',
      })
      const v2 = await store.objects.create({
        projectId: project.id,
        kind: 'modelVersion',
        owner: 'a',
        now: 4,
        modelId: model.id,
      })
      expect([v1.object.shortId, v2.object.shortId]).toEqual(['CLS-MOD-1', 'CLS-MOD-2'])
      expect(v1.object.parentId).toBe(model.id)
      const fields = await store.fields.list(v1.object.id)
      expect(fields.find((f) => f.path === 'sys/model_id')?.value).toEqual({
        type: 'string',
        value: 'CLS-MOD',
      })
      expect(fields.find((f) => f.path === 'sys/stage')?.value).toEqual({
        type: 'string',
        value: 'none',
      })
      await store.close()
    })

    it('starts a run with the sys fields a client expects', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1000, { name: 'baseline' })
      const paths = (await store.fields.list(run.id)).map((f) => f.path)
      for (const path of [
        'sys/id',
        'sys/name',
        'sys/description',
        'sys/tags',
        'sys/group_tags',
        'sys/owner',
        'sys/creation_time',
        'sys/modification_time',
        'sys/ping_time',
        'sys/running_time',
        'sys/monitoring_time',
        'sys/state',
        'sys/failed',
        'sys/trashed',
        'sys/size',
      ]) {
        expect(paths).toContain(path)
      }
      const name = await store.fields.get(run.id, 'sys/name')
      expect(name?.value).toEqual({ type: 'string', value: 'baseline' })
      expect((await store.fields.get(run.id, 'sys/state'))?.value).toEqual({
        type: 'runState',
        value: 'active',
      })
      await store.close()
    })

    it('turns a run inactive when pings stop, and active again on a ping', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1000)
      await store.objects.ping(run.id, 5000)
      expect(await store.objects.markInactive(4000)).toBe(0)
      expect(await store.objects.markInactive(6000)).toBe(1)
      const idle = await store.objects.getById(run.id)
      expect(idle?.state).toBe('inactive')
      expect(idle?.runningMs).toBe(4000)
      await store.objects.ping(run.id, 9000)
      await store.objects.ping(run.id, 10000)
      const active = await store.objects.getById(run.id)
      expect(active?.state).toBe('active')
      expect(active?.runningMs).toBe(5000)
      await store.close()
    })

    it('trashes, restores and permanently deletes runs', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1)
      await write(store, run.id, [{ op: 'assignFloat', path: 'params/lr', value: 0.1 }], 2)
      const usedBefore = await store.usage.project(project.id)
      expect(await store.objects.deletePermanently(project.id, [run.id])).toMatchObject({
        errors: [{ reason: 'NOT_IN_TRASH' }],
      })
      expect(await store.objects.trash(project.id, ['CLS-1', 'CLS-99'], 3)).toMatchObject({
        updated: ['CLS-1'],
        errors: [{ id: 'CLS-99', reason: 'NOT_EXISTS' }],
      })
      const trashedUsage = await store.usage.project(project.id)
      expect(trashedUsage.total).toBe(usedBefore.total)
      expect(trashedUsage.trash).toBeGreaterThan(0)
      expect((await store.fields.get(run.id, 'sys/trashed'))?.value).toEqual({
        type: 'bool',
        value: true,
      })
      expect(await store.objects.trash(project.id, ['CLS-1'], 4)).toMatchObject({
        errors: [{ reason: 'ALREADY_TRASHED' }],
      })
      expect(await store.objects.restore(project.id, ['CLS-1'])).toMatchObject({
        updated: ['CLS-1'],
      })
      expect((await store.usage.project(project.id)).trash).toBe(0)
      await store.objects.trash(project.id, ['CLS-1'], 5)
      expect(await store.objects.deletePermanently(project.id, ['CLS-1'])).toMatchObject({
        updated: ['CLS-1'],
        errors: [],
      })
      expect(await store.objects.getById(run.id)).toBeNull()
      expect(await store.fields.list(run.id)).toEqual([])
      const after = await store.usage.project(project.id)
      expect(after.total).toBe(usedBefore.total - trashedUsage.trash)
      await store.close()
    })

    it('trashes a model together with its versions', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      await store.objects.create({
        projectId: project.id,
        kind: 'model',
        owner: 'a',
        now: 1,
        modelKey: 'MOD',
      })
      const { object: version } = await store.objects.create({
        projectId: project.id,
        kind: 'modelVersion',
        owner: 'a',
        now: 2,
        modelId: 'CLS-MOD',
      })
      await store.objects.trash(project.id, ['CLS-MOD'], 3)
      expect((await store.objects.getById(version.id))?.trashedAt).toBe(3)
      await store.objects.deletePermanently(project.id, ['CLS-MOD'])
      expect(await store.objects.getById(version.id)).toBeNull()
      await store.close()
    })

    it('refuses to trash the project object', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      expect(await store.objects.trash(project.id, [project.id], 1)).toMatchObject({
        errors: [{ reason: 'IS_PROJECT' }],
      })
      await store.close()
    })
  })
}
