import { LIMITS } from '@nereid/core'
import { describe, expect, it } from 'vitest'
import {
  createRun,
  prepare,
  seedProject,
  write,
  type ConformanceContext,
} from './conformance-context.js'

export function defineIngestCases(context: ConformanceContext): void {
  describe('operation applier', () => {
    async function setup() {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1000)
      return { store, project, run }
    }

    it('assigns every atom type and reads them back', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [
          { op: 'assignFloat', path: 'params/lr', value: 0.001 },
          { op: 'assignInt', path: 'params/epochs', value: 12 },
          { op: 'assignBool', path: 'params/augment', value: true },
          { op: 'assignString', path: 'params/optimizer', value: 'adam' },
          { op: 'assignDatetime', path: 'data/snapshot', value: '2026-03-05T12:00:00.000Z' },
        ],
        2000,
      )
      const byPath = Object.fromEntries(
        (await store.fields.list(run.id)).map((f) => [f.path, f.value]),
      )
      expect(byPath['params/lr']).toEqual({ type: 'float', value: 0.001 })
      expect(byPath['params/epochs']).toEqual({ type: 'int', value: 12 })
      expect(byPath['params/augment']).toEqual({ type: 'bool', value: true })
      expect(byPath['params/optimizer']).toEqual({ type: 'string', value: 'adam' })
      expect(byPath['data/snapshot']).toEqual({
        type: 'datetime',
        value: Date.parse('2026-03-05T12:00:00.000Z'),
      })
      expect((await store.objects.getById(run.id))?.modifiedAt).toBe(2000)
      await store.close()
    })

    it('keeps NaN and infinities in float atoms', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [
          { op: 'assignFloat', path: 'a', value: 'NaN' },
          { op: 'assignFloat', path: 'b', value: 'Infinity' },
          { op: 'assignFloat', path: 'c', value: '-Infinity' },
        ],
        2,
      )
      expect((await store.fields.get(run.id, 'a'))?.value).toEqual({
        type: 'float',
        value: Number.NaN,
      })
      expect((await store.fields.get(run.id, 'b'))?.value).toEqual({
        type: 'float',
        value: Infinity,
      })
      expect((await store.fields.get(run.id, 'c'))?.value).toEqual({
        type: 'float',
        value: -Infinity,
      })
      await store.close()
    })

    it('reports an invalid operation and applies the valid ones around it', async () => {
      const { store, run } = await setup()
      const result = await store.ingest.applyBatch(
        run.id,
        {
          operations: prepare([
            { op: 'assignFloat', path: 'x', value: 1 },
            { op: 'assignFloat', path: '', value: 2 },
            { op: 'frobnicate', path: 'y' },
            { op: 'assignFloat', path: 'z', value: 'high' },
            { op: 'assignFloat', path: 'w', value: 4 },
          ]),
        },
        { now: 2 },
      )
      expect(result.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'ok',
        'PATH_INVALID',
        'OPERATION_UNKNOWN',
        'VALIDATION_FAILED',
        'ok',
      ])
      expect((await store.fields.get(run.id, 'w'))?.value).toEqual({ type: 'float', value: 4 })
      await store.close()
    })

    it('undoes what a rejected operation wrote and keeps the rest of the batch', async () => {
      const { store, run } = await setup()
      const operations = () =>
        prepare([
          { op: 'assignFloat', path: 'a', value: 1 },
          // The series field is created before its steps are found to go backwards.
          { op: 'appendFloats', path: 'loss', steps: [5, 3], values: [1, 2] },
          { op: 'appendFloats', path: 'acc', values: [0.5] },
        ])
      const batch = { writer: 'proc-1', seq: 1, operations: operations() }
      const result = await store.ingest.applyBatch(run.id, batch, { now: 2 })
      expect(result.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'ok',
        'STEP_NOT_INCREASING',
        'ok',
      ])
      expect(result.acknowledgedSeq).toBe(3)
      expect(await store.fields.get(run.id, 'loss')).toBeNull()
      expect((await store.fields.get(run.id, 'a'))?.value).toEqual({ type: 'float', value: 1 })
      expect((await store.series.page(run.id, 'acc', { limit: 10 }))?.total).toBe(1)
      const retry = await store.ingest.applyBatch(
        run.id,
        { ...batch, operations: operations() },
        { now: 3 },
      )
      expect(retry.results.every((r) => r.ok && r.duplicate)).toBe(true)
      expect((await store.series.page(run.id, 'acc', { limit: 10 }))?.total).toBe(1)
      const paths = (await store.fields.list(run.id)).map((field) => field.path)
      expect(paths.filter((path) => !path.startsWith('sys/'))).toEqual(['a', 'acc'])
      await store.close()
    })

    it('rejects a write of another type onto an existing field', async () => {
      const { store, run } = await setup()
      await write(store, run.id, [{ op: 'assignFloat', path: 'loss', value: 1 }], 2)
      const result = await store.ingest.applyBatch(
        run.id,
        { operations: prepare([{ op: 'appendFloats', path: 'loss', values: [1, 2] }]) },
        { now: 3 },
      )
      expect(result.results[0]).toMatchObject({
        ok: false,
        error: { code: 'FIELD_TYPE_CONFLICT', details: { path: 'loss', existingType: 'float' } },
      })
      expect((await store.fields.get(run.id, 'loss'))?.value).toEqual({ type: 'float', value: 1 })
      await store.close()
    })

    it('keeps a path from being both a field and a namespace', async () => {
      const { store, run } = await setup()
      await write(store, run.id, [{ op: 'assignFloat', path: 'train/loss', value: 1 }], 2)
      const result = await store.ingest.applyBatch(
        run.id,
        {
          operations: prepare([
            { op: 'assignFloat', path: 'train', value: 1 },
            { op: 'assignFloat', path: 'train/loss/x', value: 1 },
            { op: 'assignString', path: 'sys', value: 'x' },
          ]),
        },
        { now: 3 },
      )
      expect(result.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'NAMESPACE_CONFLICT',
        'NAMESPACE_CONFLICT',
        'NAMESPACE_CONFLICT',
      ])
      await store.close()
    })

    it('lets clients write only the writable sys fields', async () => {
      const { store, run } = await setup()
      const result = await store.ingest.applyBatch(
        run.id,
        {
          operations: prepare([
            { op: 'assignString', path: 'sys/name', value: 'renamed' },
            { op: 'assignString', path: 'sys/id', value: 'CLS-99' },
            { op: 'assignBool', path: 'sys/failed', value: true },
            { op: 'assignString', path: 'sys/failed', value: 'yes' },
            { op: 'addStrings', path: 'sys/tags', values: ['a', 'b', 'a'] },
            { op: 'deleteField', path: 'sys/name' },
          ]),
        },
        { now: 3 },
      )
      expect(result.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'ok',
        'SYS_FIELD_READ_ONLY',
        'ok',
        'FIELD_TYPE_CONFLICT',
        'ok',
        'SYS_FIELD_READ_ONLY',
      ])
      expect((await store.fields.get(run.id, 'sys/id'))?.value).toEqual({
        type: 'string',
        value: 'CLS-1',
      })
      expect((await store.fields.get(run.id, 'sys/tags'))?.value).toEqual({
        type: 'stringSet',
        values: ['a', 'b'],
      })
      await store.close()
    })

    it('accepts only the four stages for sys/stage', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      await store.objects.create({
        projectId: project.id,
        kind: 'model',
        owner: 'a',
        now: 1,
        modelKey: 'MOD',
      })
      const { object } = await store.objects.create({
        projectId: project.id,
        kind: 'modelVersion',
        owner: 'a',
        now: 2,
        modelId: 'CLS-MOD',
      })
      const result = await store.ingest.applyBatch(
        object.id,
        {
          operations: prepare([
            { op: 'assignString', path: 'sys/stage', value: 'production' },
            { op: 'assignString', path: 'sys/stage', value: 'launched' },
          ]),
        },
        { now: 3 },
      )
      expect(result.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'ok',
        'VALUE_INVALID',
      ])
      expect((await store.fields.get(object.id, 'sys/stage'))?.value).toEqual({
        type: 'string',
        value: 'production',
      })
      await store.close()
    })

    it('adds, removes and clears string set values', async () => {
      const { store, run } = await setup()
      await write(
        store,
        run.id,
        [{ op: 'addStrings', path: 'sys/tags', values: ['prod', 'v2', 'x'] }],
        2,
      )
      await write(
        store,
        run.id,
        [{ op: 'removeStrings', path: 'sys/tags', values: ['x', 'missing'] }],
        3,
      )
      expect((await store.fields.get(run.id, 'sys/tags'))?.value).toEqual({
        type: 'stringSet',
        values: ['prod', 'v2'],
      })
      await write(store, run.id, [{ op: 'clearStringSet', path: 'sys/tags' }], 4)
      expect((await store.fields.get(run.id, 'sys/tags'))?.value).toEqual({
        type: 'stringSet',
        values: [],
      })
      await store.close()
    })

    it('deletes a field and forgets its type', async () => {
      const { store, run } = await setup()
      await write(store, run.id, [{ op: 'appendFloats', path: 'm', values: [1, 2, 3] }], 2)
      await write(
        store,
        run.id,
        [
          { op: 'deleteField', path: 'm' },
          { op: 'deleteField', path: 'never-existed' },
        ],
        3,
      )
      expect(await store.fields.get(run.id, 'm')).toBeNull()
      expect(await store.series.page(run.id, 'm', { limit: 10 })).toBeNull()
      await write(store, run.id, [{ op: 'assignString', path: 'm', value: 'now a string' }], 4)
      expect((await store.fields.get(run.id, 'm'))?.value).toEqual({
        type: 'string',
        value: 'now a string',
      })
      await store.close()
    })

    it('copies a field from another object of the project', async () => {
      const { store, project, run } = await setup()
      const other = await createRun(store, project.id, 5)
      await write(store, other.id, [{ op: 'assignFloat', path: 'best/acc', value: 0.93 }], 6)
      await write(
        store,
        run.id,
        [{ op: 'copyField', path: 'baseline/acc', fromObject: 'CLS-2', fromPath: 'best/acc' }],
        7,
      )
      expect((await store.fields.get(run.id, 'baseline/acc'))?.value).toEqual({
        type: 'float',
        value: 0.93,
      })
      await store.close()
    })

    it('applies a retried batch from the same writer once', async () => {
      const { store, run } = await setup()
      const batch = {
        writer: 'proc-1',
        seq: 1,
        operations: prepare([{ op: 'appendFloats', path: 'loss', values: [1, 2] }]),
      }
      const first = await store.ingest.applyBatch(run.id, batch, { now: 2 })
      const retry = await store.ingest.applyBatch(
        run.id,
        { ...batch, operations: prepare([{ op: 'appendFloats', path: 'loss', values: [1, 2] }]) },
        { now: 3 },
      )
      expect(first.acknowledgedSeq).toBe(1)
      expect(retry).toEqual({ results: [{ ok: true, duplicate: true }], acknowledgedSeq: 1 })
      const overlapping = await store.ingest.applyBatch(
        run.id,
        {
          writer: 'proc-1',
          seq: 1,
          operations: prepare([
            { op: 'appendFloats', path: 'loss', values: [1, 2] },
            { op: 'appendFloats', path: 'loss', values: [3] },
          ]),
        },
        { now: 4 },
      )
      expect(overlapping.acknowledgedSeq).toBe(2)
      const page = await store.series.page(run.id, 'loss', { limit: 10 })
      expect(page?.total).toBe(3)
      await store.close()
    })

    it('stops at the field limit of one object', async () => {
      const { store, run } = await setup()
      const operations = Array.from({ length: LIMITS.maxFieldsPerObject }, (_, i) => ({
        op: 'assignInt',
        path: `f/${i}`,
        value: i,
      }))
      const result = await store.ingest.applyBatch(
        run.id,
        { operations: prepare(operations) },
        { now: 2 },
      )
      const rejected = result.results.filter((r) => !r.ok)
      expect(rejected.length).toBeGreaterThan(0)
      expect(rejected[0]).toMatchObject({ ok: false, error: { code: 'FIELD_LIMIT_EXCEEDED' } })
      const count = (await store.fields.list(run.id)).length
      expect(count).toBe(LIMITS.maxFieldsPerObject)
      const again = await store.ingest.applyBatch(
        run.id,
        { operations: prepare([{ op: 'assignInt', path: 'f/0', value: 7 }]) },
        { now: 3 },
      )
      expect(again.results[0]).toEqual({ ok: true })
      await store.close()
    }, 180_000)

    it('rejects writes beyond the storage limit and keeps what was accepted', async () => {
      const { store, project, run } = await setup()
      const used = (await store.usage.project(project.id)).total
      await store.projects.update(project.id, { storageLimitBytes: used + 100 })
      const result = await store.ingest.applyBatch(
        run.id,
        {
          operations: prepare([
            { op: 'appendFloats', path: 'small', values: [1, 2] },
            { op: 'appendFloats', path: 'big', values: Array.from({ length: 100 }, (_, i) => i) },
            { op: 'deleteField', path: 'small' },
          ]),
        },
        { now: 2 },
      )
      expect(result.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
        'ok',
        'QUOTA_EXCEEDED',
        'ok',
      ])
      expect(await store.fields.get(run.id, 'big')).toBeNull()
      await store.close()
    })

    it('refuses writes to a trashed object', async () => {
      const { store, project, run } = await setup()
      await store.objects.trash(project.id, [run.id], 2)
      const result = await store.ingest.applyBatch(
        run.id,
        { operations: prepare([{ op: 'assignInt', path: 'x', value: 1 }]) },
        { now: 3 },
      )
      expect(result.results[0]).toMatchObject({ ok: false, error: { code: 'READ_ONLY_OBJECT' } })
      await store.close()
    })

    it('answers an unknown object with OBJECT_NOT_FOUND', async () => {
      const store = await context.createStore()
      await expect(
        store.ingest.applyBatch(
          '00000000-0000-4000-8000-000000000000',
          { operations: [] },
          { now: 1 },
        ),
      ).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' })
      await store.close()
    })

    it('tracks field, series and file bytes per project and object', async () => {
      const { store, project, run } = await setup()
      const before = await store.usage.project(project.id)
      await write(
        store,
        run.id,
        [
          { op: 'appendFloats', path: 'loss', values: [1, 2, 3, 4] },
          { op: 'assignString', path: 'note', value: 'hello' },
        ],
        2,
      )
      const after = await store.usage.project(project.id)
      expect(after.series - before.series).toBe(4 * 24)
      expect(after.fields - before.fields).toBe(5)
      expect((await store.objects.getById(run.id))?.sizeBytes).toBeGreaterThanOrEqual(4 * 24 + 5)
      await store.close()
    })
  })
}
