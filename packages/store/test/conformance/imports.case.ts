import { describe, expect, it } from 'vitest'
import { createRun, seedProject, write, type ConformanceContext } from './conformance-context.js'

const T0 = Date.UTC(2024, 5, 1)
const NOW = Date.UTC(2026, 0, 1)

/** The import bookkeeping (`store.imports`) that makes `nereid import` idempotent and resumable. */
export function defineImportCases(context: ConformanceContext): void {
  describe('import bookkeeping', () => {
    it("creates an object with its source's ids, owner and creation time, and provenance fields", async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const imported = await store.imports.importObject({
        projectId: project.id,
        kind: 'run',
        source: { system: 'neptune-exporter', id: 'acme/vision/CLS-42' },
        owner: 'bob',
        createdAt: T0,
        now: NOW,
        id: '0f8fad5b-d9cb-469f-a165-70867728950e',
        shortId: 'CLS-42',
        customRunId: 'exp-1',
        name: 'baseline',
      })
      expect(imported).toMatchObject({ created: true, matchedBy: null, finishedAt: null })
      expect(imported.object).toMatchObject({
        id: '0f8fad5b-d9cb-469f-a165-70867728950e',
        shortId: 'CLS-42',
        customRunId: 'exp-1',
        owner: 'bob',
        createdAt: T0,
        state: 'inactive',
      })
      const fields = await store.fields.list(imported.object.id)
      const value = (path: string) => fields.find((f) => f.path === path)?.value
      expect(value('sys/import/system')).toMatchObject({ value: 'neptune-exporter' })
      expect(value('sys/import/id')).toMatchObject({ value: 'acme/vision/CLS-42' })
      expect(value('sys/name')).toMatchObject({ value: 'baseline' })
      // The next ordinary run continues after the imported number.
      const next = await createRun(store, project.id, NOW)
      expect(next.shortId).toBe('CLS-43')
      await store.close()
    })

    it('finds the object again by its source, however often the import runs', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const input = {
        projectId: project.id,
        kind: 'run' as const,
        source: { system: 'nereid', id: 'run-a' },
        owner: 'alice',
        createdAt: T0,
        now: NOW,
      }
      const first = await store.imports.importObject(input)
      const again = await store.imports.importObject({ ...input, now: NOW + 1 })
      expect(again).toMatchObject({ created: false, matchedBy: 'source', finishedAt: null })
      expect(again.object.id).toBe(first.object.id)
      expect(await store.imports.find(project.id, input.source)).toMatchObject({
        object: { id: first.object.id },
      })
      expect(await store.imports.find(project.id, { system: 'nereid', id: 'other' })).toBeNull()
      const runs = await store.search.query(
        project.id,
        { kinds: ['run'], query: null, limit: 10, offset: 0 },
        { now: NOW },
      )
      expect(runs.total).toBe(1)
      await store.close()
    })

    it('matches a run already on the server by custom run id or by UUID, recording the source', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const synced = await createRun(store, project.id, NOW, { customRunId: 'shared' })
      const byCustomId = await store.imports.importObject({
        projectId: project.id,
        kind: 'run',
        source: { system: 'neptune-offline', id: 'q1' },
        owner: 'alice',
        createdAt: T0,
        now: NOW,
        customRunId: 'shared',
      })
      expect(byCustomId).toMatchObject({ created: false, matchedBy: 'customRunId' })
      expect(byCustomId.object.id).toBe(synced.id)
      const other = await createRun(store, project.id, NOW + 1)
      const byId = await store.imports.importObject({
        projectId: project.id,
        kind: 'run',
        source: { system: 'neptune-offline', id: 'q2' },
        owner: 'alice',
        createdAt: T0,
        now: NOW,
        id: other.id,
      })
      expect(byId).toMatchObject({ created: false, matchedBy: 'id' })
      expect(byId.object.id).toBe(other.id)
      expect((await store.imports.sources(other.id)).map((s) => s.id)).toEqual(['q2'])
      await store.close()
    })

    it('takes the next free readable id and a fresh UUID when the wanted ones are taken', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const existing = await createRun(store, project.id, NOW)
      const { object: model } = await store.objects.create({
        projectId: project.id,
        kind: 'model',
        modelKey: 'MOD',
        owner: 'alice',
        now: NOW,
      })
      const imported = await store.imports.importObject({
        projectId: project.id,
        kind: 'run',
        source: { system: 'nereid', id: 'elsewhere' },
        owner: 'alice',
        createdAt: T0,
        now: NOW,
        shortId: existing.shortId,
        // The model's UUID, in upper case: taken, and not a run to match.
        id: model.id.toUpperCase(),
      })
      expect(imported.created).toBe(true)
      expect(imported.object.shortId).toBe('CLS-2')
      expect(imported.object.id).not.toBe(model.id)
      // The same UUID of a run, in upper case, finds that run.
      const matched = await store.imports.importObject({
        projectId: project.id,
        kind: 'run',
        source: { system: 'nereid', id: 'synced' },
        owner: 'alice',
        createdAt: T0,
        now: NOW,
        id: existing.id.toUpperCase(),
      })
      expect(matched).toMatchObject({ created: false, matchedBy: 'id' })
      expect(matched.object.id).toBe(existing.id)
      await store.close()
    })

    it('imports a model before its versions and keeps their numbers', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const model = await store.imports.importObject({
        projectId: project.id,
        kind: 'model',
        source: { system: 'neptune-exporter', id: 'CLS-MOD' },
        owner: 'alice',
        createdAt: T0,
        now: NOW,
        modelKey: 'MOD',
      })
      expect(model.object.shortId).toBe('CLS-MOD')
      const version = await store.imports.importObject({
        projectId: project.id,
        kind: 'modelVersion',
        source: { system: 'neptune-exporter', id: 'CLS-MOD-3' },
        owner: 'alice',
        createdAt: T0,
        now: NOW,
        modelId: 'CLS-MOD',
        shortId: 'CLS-MOD-3',
      })
      expect(version.object).toMatchObject({ shortId: 'CLS-MOD-3', parentId: model.object.id })
      await expect(
        store.imports.importObject({
          projectId: project.id,
          kind: 'modelVersion',
          source: { system: 'neptune-exporter', id: 'CLS-OTHER-1' },
          owner: 'alice',
          createdAt: T0,
          now: NOW,
          modelId: 'CLS-OTHER',
        }),
      ).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' })
      await store.close()
    })

    it("remembers each writer's position and marks the import finished with the source's times", async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const source = { system: 'nereid', id: 'run-b' }
      const { object } = await store.imports.importObject({
        projectId: project.id,
        kind: 'run',
        source,
        owner: 'alice',
        createdAt: T0,
        now: NOW,
      })
      expect(await store.imports.writerPosition(object.id, 'import:nereid')).toBe(0)
      await store.ingest.applyBatch(
        object.id,
        {
          writer: 'import:nereid',
          seq: 1,
          operations: [
            { kind: 'assign', path: 'params/lr', type: 'float', value: 0.5 },
            { kind: 'assign', path: 'params/n', type: 'int', value: 3 },
          ],
        },
        { now: NOW },
      )
      expect(await store.imports.writerPosition(object.id, 'import:nereid')).toBe(2)
      expect(await store.imports.writerPosition(object.id, 'someone-else')).toBe(0)
      await write(store, object.id, [{ op: 'assignFloat', path: 'params/x', value: 1 }], NOW + 5)

      const finished = await store.imports.finish(object.id, {
        modifiedAt: T0 + 3_600_000,
        pingAt: T0 + 3_500_000,
        runningMs: 3_000_000,
        now: NOW + 10,
      })
      expect(finished).toMatchObject({
        modifiedAt: T0 + 3_600_000,
        pingAt: T0 + 3_500_000,
        runningMs: 3_000_000,
        state: 'inactive',
      })
      expect(await store.imports.find(project.id, source)).toMatchObject({ finishedAt: NOW + 10 })
      expect(await store.imports.sources(object.id)).toEqual([
        { system: 'nereid', id: 'run-b', finishedAt: NOW + 10 },
      ])
      await expect(
        store.imports.finish('00000000-0000-4000-8000-000000000000', { now: NOW }),
      ).rejects.toMatchObject({
        code: 'OBJECT_NOT_FOUND',
      })
      await store.close()
    })
  })
}
