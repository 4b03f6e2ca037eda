import { describe, expect, it } from 'vitest'
import type { ConformanceContext } from './conformance-context.js'

export function defineProjectCases(context: ConformanceContext): void {
  describe('projects', () => {
    it('creates a project with its own metadata object', async () => {
      const store = await context.createStore()
      const workspace = await store.workspaces.create({ name: 'team', now: 1 })
      const project = await store.projects.create({
        workspaceId: workspace.id,
        name: 'vision',
        key: 'CLS',
        owner: 'alice',
        now: 2,
      })
      expect(project).toMatchObject({
        name: 'vision',
        key: 'CLS',
        workspaceName: 'team',
        visibility: 'private',
      })
      const metadata = await store.objects.getById(project.metadataObjectId)
      expect(metadata).toMatchObject({ kind: 'project', shortId: 'CLS', projectId: project.id })
      const fields = await store.fields.list(project.metadataObjectId)
      expect(fields.find((f) => f.path === 'sys/name')?.value).toEqual({
        type: 'string',
        value: 'vision',
      })
      expect(fields.find((f) => f.path === 'sys/visibility')?.value).toEqual({
        type: 'string',
        value: 'private',
      })
      expect(await store.projects.get('team', 'vision')).toEqual(project)
      expect(await store.projects.getById(project.id)).toEqual(project)
      await store.close()
    })

    it('rejects a duplicate name or key in a workspace', async () => {
      const store = await context.createStore()
      const workspace = await store.workspaces.create({ name: 'team', now: 1 })
      await store.projects.create({
        workspaceId: workspace.id,
        name: 'vision',
        key: 'CLS',
        owner: 'alice',
        now: 2,
      })
      await expect(
        store.projects.create({
          workspaceId: workspace.id,
          name: 'vision',
          key: 'OTHER',
          owner: 'alice',
          now: 3,
        }),
      ).rejects.toMatchObject({ code: 'PROJECT_EXISTS' })
      await expect(
        store.projects.create({
          workspaceId: workspace.id,
          name: 'nlp',
          key: 'CLS',
          owner: 'alice',
          now: 3,
        }),
      ).rejects.toMatchObject({ code: 'PROJECT_KEY_EXISTS' })
      expect(await store.projects.list(workspace.id)).toHaveLength(1)
      await store.close()
    })

    it('allows the same project name in another workspace', async () => {
      const store = await context.createStore()
      const a = await store.workspaces.create({ name: 'a', now: 1 })
      const b = await store.workspaces.create({ name: 'b', now: 1 })
      await store.projects.create({
        workspaceId: a.id,
        name: 'vision',
        key: 'CLS',
        owner: 'x',
        now: 2,
      })
      await store.projects.create({
        workspaceId: b.id,
        name: 'vision',
        key: 'CLS',
        owner: 'x',
        now: 2,
      })
      expect((await store.projects.list()).map((p) => `${p.workspaceName}/${p.name}`)).toEqual([
        'a/vision',
        'b/vision',
      ])
      await store.close()
    })

    it('rejects invalid names and keys with the field at fault', async () => {
      const store = await context.createStore()
      const workspace = await store.workspaces.create({ name: 'team', now: 1 })
      await expect(
        store.projects.create({
          workspaceId: workspace.id,
          name: '../etc',
          key: 'CLS',
          owner: 'x',
          now: 2,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'name' } })
      await expect(
        store.projects.create({
          workspaceId: workspace.id,
          name: 'ok',
          key: 'cls',
          owner: 'x',
          now: 2,
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'key' } })
      await expect(store.workspaces.create({ name: 'Bad Name', now: 1 })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
      await store.close()
    })
  })
}
