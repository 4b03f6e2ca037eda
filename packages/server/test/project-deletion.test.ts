import type { Project } from '@nereid/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addPerson } from './security-fixtures.js'
import { createTestApp, type TestApp } from './test-app.js'

const DOOMED = '/api/v1/projects/team/doomed'
const NEPTUNE_DELETE = '/api/backend/v1/projects?projectIdentifier=team%2Fdoomed'

describe('project deletion', () => {
  let t: TestApp
  let doomed: Project

  beforeEach(async () => {
    t = await createTestApp()
    const team = (await t.store.workspaces.getByName('team'))!
    doomed = await t.store.projects.create({
      workspaceId: team.id,
      name: 'doomed',
      key: 'DOOM',
      owner: 'admin',
      now: Date.now(),
    })
  })
  afterEach(async () => {
    await t.close()
  })

  async function upload(project: string, content: string): Promise<string> {
    const response = await t.call({
      method: 'POST',
      url: `/api/v1/projects/team/${project}/blobs`,
      payload: Buffer.from(content),
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(response.statusCode).toBe(200)
    return response.json().hash as string
  }

  /** A run in `project` whose file field holds `hash`; returns the run's short id. */
  async function runWithFile(project: string, hash: string): Promise<string> {
    const created = await t.call({
      method: 'POST',
      url: `/api/v1/projects/team/${project}/objects`,
      payload: { kind: 'run' },
    })
    const run = created.json().object as { id: string; shortId: string }
    const written = await t.call({
      method: 'POST',
      url: `/api/v1/projects/team/${project}/objects/${run.id}/operations`,
      payload: {
        operations: [
          { op: 'assignFloat', path: 'params/lr', value: 0.1 },
          { op: 'appendFloats', path: 'loss', values: [3, 2, 1] },
          { op: 'uploadFile', path: 'model', hash },
        ],
      },
    })
    expect(written.statusCode).toBe(200)
    return run.shortId
  }

  it('deletes the project with its runs, and the files only it used from storage', async () => {
    const own = await upload('doomed', 'weights only the doomed project has')
    const shared = await upload('doomed', 'weights both projects have')
    await runWithFile('doomed', own)
    await runWithFile('doomed', shared)
    const visionRun = await runWithFile('vision', shared)

    const response = await t.call({ method: 'DELETE', url: DOOMED })

    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ project: 'team/doomed', objects: 3, freedBlobs: 1 })
    expect(response.json().freedBytes).toBeGreaterThan(0)
    expect((await t.call({ url: DOOMED })).statusCode).toBe(404)
    expect(await t.app.nereid.blobs.has(own)).toBe(false)
    expect(await t.app.nereid.blobs.has(shared)).toBe(true)
    const kept = await t.call({
      url: `/api/v1/projects/team/vision/objects/${visionRun}/field?path=model`,
    })
    expect(kept.json().value).toMatchObject({ hash: shared })
    const projects = (await t.call({ url: '/api/v1/workspaces/team/projects' })).json()
    expect(JSON.stringify(projects)).not.toContain('doomed')
  })

  it('answers a second delete, or one of a project that never was, with a 404 naming it', async () => {
    expect((await t.call({ method: 'DELETE', url: DOOMED })).statusCode).toBe(200)
    const again = await t.call({ method: 'DELETE', url: DOOMED })
    expect(again.statusCode).toBe(404)
    expect(again.json().error).toMatchObject({
      code: 'PROJECT_NOT_FOUND',
      details: { project: 'team/doomed' },
    })
    expect(again.json().error.message).toContain('team/doomed')
    const never = await t.call({ method: 'DELETE', url: '/api/v1/projects/team/never' })
    expect(never.json().error.code).toBe('PROJECT_NOT_FOUND')
  })

  it('is for the project owner and the workspace owners and admins only', async () => {
    const member = { name: 'team', role: 'member' as const }
    const contributor = await addPerson(t, 'contributor', {
      workspace: member,
      project: { project: doomed, role: 'contributor' },
    })
    const wsMember = await addPerson(t, 'ws-member', { workspace: member })
    const owner = await addPerson(t, 'project-owner', {
      workspace: member,
      project: { project: doomed, role: 'owner' },
    })
    const refused = await contributor.call({ method: 'DELETE', url: DOOMED })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('FORBIDDEN')
    // A private project is not even visible to a workspace member without a role in it.
    expect((await wsMember.call({ method: 'DELETE', url: DOOMED })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'DELETE', url: DOOMED })).statusCode).toBe(401)
    expect(await t.store.projects.getById(doomed.id)).not.toBeNull()

    expect((await owner.call({ method: 'DELETE', url: DOOMED })).statusCode).toBe(200)
    const wsAdmin = await addPerson(t, 'ws-admin', { workspace: { name: 'team', role: 'admin' } })
    expect(
      (await wsAdmin.call({ method: 'DELETE', url: '/api/v1/projects/team/vision' })).statusCode,
    ).toBe(200)
    expect(await t.store.projects.list()).toEqual([])
  })

  it('records who deleted which project in the workspace audit log', async () => {
    const owner = await addPerson(t, 'project-owner', {
      workspace: { name: 'team', role: 'member' },
      project: { project: doomed, role: 'owner' },
    })
    await owner.call({ method: 'DELETE', url: DOOMED })
    const audit = await t.call({ url: '/api/v1/workspaces/team/audit' })
    const events = audit.json().events as { action: string; target: string; actor: string }[]
    expect(events.find((event) => event.action === 'project.deleted')).toMatchObject({
      target: 'team/doomed',
      actor: 'project-owner',
    })
  })

  describe('through the Neptune management API', () => {
    it('declares deleteProject in the backend spec the client downloads', async () => {
      const spec = (await t.app.inject({ url: '/api/backend/swagger.json' })).json()
      expect(spec.paths['/api/backend/v1/projects'].delete).toMatchObject({
        operationId: 'deleteProject',
        parameters: [{ name: 'projectIdentifier', in: 'query', required: true }],
      })
    })

    it('deletes the project and answers 404 once it is gone', async () => {
      const hash = await upload('doomed', 'bytes')
      await runWithFile('doomed', hash)
      const deleted = await t.call({ method: 'DELETE', url: NEPTUNE_DELETE })
      expect(deleted.statusCode).toBe(200)
      expect(await t.store.projects.getById(doomed.id)).toBeNull()
      expect(await t.app.nereid.blobs.has(hash)).toBe(false)
      expect((await t.call({ method: 'DELETE', url: NEPTUNE_DELETE })).statusCode).toBe(404)
    })

    it('answers 403 to a caller who may see the project but not delete it', async () => {
      const contributor = await addPerson(t, 'contributor', {
        workspace: { name: 'team', role: 'member' },
        project: { project: doomed, role: 'contributor' },
      })
      expect((await contributor.call({ method: 'DELETE', url: NEPTUNE_DELETE })).statusCode).toBe(
        403,
      )
      expect(await t.store.projects.getById(doomed.id)).not.toBeNull()
    })
  })
})
