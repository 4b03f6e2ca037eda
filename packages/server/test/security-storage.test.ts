import { afterEach, describe, expect, it } from 'vitest'
import { createTrashRetention } from '../src/jobs/trash-retention.js'
import {
  addPerson,
  callWith,
  createClockedTestApp,
  folderBytes,
  type Clock,
} from './security-fixtures.js'
import { createTestApp, type TestApp } from './test-app.js'

const P = '/api/v1/projects/team/vision'
const DAY = 24 * 60 * 60 * 1000

describe('storage usage, limits and trash', () => {
  let t: TestApp & { clock?: Clock }
  afterEach(async () => {
    await t.close()
  })

  async function newRun(): Promise<string> {
    const response = await t.call({ method: 'POST', url: `${P}/objects`, payload: { kind: 'run' } })
    return response.json().object.shortId as string
  }

  async function uploadFile(run: string, path: string, bytes: Buffer) {
    const response = await t.call({
      method: 'PUT',
      url: `${P}/objects/${run}/files?path=${path}`,
      payload: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    })
    expect(response.statusCode).toBe(200)
  }

  it('reports usage per workspace and per project, by kind', async () => {
    t = await createTestApp()
    const run = await newRun()
    await uploadFile(run, 'model', Buffer.alloc(10_000, 1))
    await t.call({
      method: 'POST',
      url: `${P}/objects/${run}/operations`,
      payload: {
        operations: [{ op: 'appendFloats', path: 'loss', values: [1, 2, 3, 4, 5] }],
      },
    })
    await t.call({
      method: 'POST',
      url: '/api/v1/workspaces/team/projects',
      payload: { name: 'empty' },
    })
    const response = await t.call({ url: '/api/v1/workspaces/team/usage' })
    expect(response.statusCode).toBe(200)
    const usage = response.json()
    expect(usage.files).toBeGreaterThanOrEqual(10_000)
    expect(usage.series).toBeGreaterThan(0)
    expect(usage.total).toBe(usage.fields + usage.series + usage.files + usage.trash)
    expect(usage.projects.map((p: { project: string }) => p.project)).toEqual([
      'team/empty',
      'team/vision',
    ])
    expect(usage.projects[0]).toMatchObject({ files: 0, series: 0, trash: 0, limit: null })
    const member = await addPerson(t, 'member', { workspace: { name: 'team', role: 'member' } })
    expect((await member.call({ url: '/api/v1/workspaces/team/usage' })).statusCode).toBe(403)
  })

  it('rejects writes over a limit set by the owner, keeping what was stored before', async () => {
    t = await createTestApp()
    const contributor = await addPerson(t, 'contributor', {
      workspace: { name: 'team', role: 'member' },
      project: { project: (await t.store.projects.get('team', 'vision'))!, role: 'contributor' },
    })
    const run = await newRun()
    await t.call({
      method: 'POST',
      url: `${P}/objects/${run}/operations`,
      payload: { operations: [{ op: 'assignString', path: 'notes', value: 'kept' }] },
    })
    const used = (await t.call({ url: `${P}/usage` })).json().total as number
    const refused = await contributor.call({
      method: 'PUT',
      url: `${P}/storage-limit`,
      payload: { limitBytes: used + 100 },
    })
    expect(refused.statusCode).toBe(403)
    const set = await t.call({
      method: 'PUT',
      url: `${P}/storage-limit`,
      payload: { limitBytes: used + 100 },
    })
    expect(set.json()).toMatchObject({ total: used, limit: used + 100 })
    const over = await contributor.call({
      method: 'POST',
      url: `${P}/objects/${run}/operations`,
      payload: { operations: [{ op: 'assignString', path: 'big', value: 'x'.repeat(1000) }] },
    })
    expect(over.json().results[0]).toMatchObject({ ok: false, error: { code: 'QUOTA_EXCEEDED' } })
    const fields = (await t.call({ url: `${P}/objects/${run}/fields` })).json().fields as {
      path: string
    }[]
    expect(fields.map((f) => f.path)).toContain('notes')
    expect(fields.map((f) => f.path)).not.toContain('big')
    const cleared = await t.call({ method: 'PATCH', url: P, payload: { storageLimitBytes: null } })
    expect(cleared.json().storageLimitBytes).toBeNull()
    const after = await contributor.call({
      method: 'POST',
      url: `${P}/objects/${run}/operations`,
      payload: { operations: [{ op: 'assignString', path: 'big', value: 'x'.repeat(1000) }] },
    })
    expect(after.json().results[0]).toEqual({ ok: true })
  })

  it('gives the Neptune client its storage-limit error', async () => {
    t = await createTestApp()
    const run = await newRun()
    const runId = (await t.call({ url: `${P}/objects/${run}` })).json().id as string
    await t.call({ method: 'PUT', url: `${P}/storage-limit`, payload: { limitBytes: 0 } })
    const { accessToken } = (
      await t.app.inject({
        url: '/api/backend/v1/authorization/oauth-token',
        headers: { 'x-neptune-api-token': t.token },
      })
    ).json()
    const response = await callWith(t.app, accessToken, {
      method: 'POST',
      url: `/api/leaderboard/v1/attributes/operations?experimentId=${runId}`,
      payload: [{ path: ['x'], assignString: { value: 'y' } }],
    })
    expect([402, 422]).toContain(response.statusCode)
    expect(response.json()).toMatchObject({ errorType: 'PROJECT_LIMITS_EXCEEDED' })
    expect(response.json().title).toMatch(/storage/)
    // 0 and null are kept apart: null removes the limit.
    const cleared = await t.call({
      method: 'PUT',
      url: `${P}/storage-limit`,
      payload: { limitBytes: null },
    })
    expect(cleared.json().limit).toBeNull()
  })

  it('counts trashed objects as trash until they are restored or deleted', async () => {
    t = await createTestApp()
    const run = await newRun()
    await uploadFile(run, 'model', Buffer.alloc(5000, 2))
    const before = (await t.call({ url: `${P}/usage` })).json()
    await t.call({ method: 'POST', url: `${P}/trash`, payload: { objects: [run] } })
    const trashed = (await t.call({ url: `${P}/usage` })).json()
    expect(trashed.total).toBe(before.total)
    expect(trashed.files).toBe(0)
    // The run moved to the trash; the project's own fields did not.
    expect(trashed.trash).toBe(before.total - trashed.fields)
    const listed = await t.call({ url: `${P}/trash` })
    expect(listed.json()).toMatchObject({ total: 1, objects: [{ shortId: run, trashed: true }] })
    await t.call({ method: 'POST', url: `${P}/trash/restore`, payload: { objects: [run] } })
    expect((await t.call({ url: `${P}/usage` })).json()).toEqual(before)
  })

  it('empties the trash, freeing the disk space of files nothing else uses', async () => {
    t = await createTestApp()
    const shared = Buffer.alloc(200_000, 7)
    const [a, b, keeper] = [await newRun(), await newRun(), await newRun()]
    await uploadFile(a, 'weights', Buffer.alloc(300_000, 3))
    await uploadFile(b, 'weights', shared)
    await uploadFile(keeper, 'weights', shared)
    const diskBefore = await folderBytes(t.blobDir)
    expect(diskBefore).toBeGreaterThanOrEqual(500_000)
    await t.call({ method: 'POST', url: `${P}/trash`, payload: { objects: [a, b] } })
    expect(await folderBytes(t.blobDir)).toBe(diskBefore)
    const emptied = await t.call({ method: 'POST', url: `${P}/trash/empty` })
    expect(emptied.statusCode).toBe(200)
    expect(emptied.json()).toMatchObject({ freedBlobs: 1 })
    expect(emptied.json().deleted.sort()).toEqual([a, b].sort())
    expect(emptied.json().freedBytes).toBeGreaterThanOrEqual(500_000)
    // The file only the deleted runs held is gone from disk; the shared one stays.
    expect(await folderBytes(t.blobDir)).toBe(diskBefore - 300_000)
    const usage = (await t.call({ url: `${P}/usage` })).json()
    expect(usage.trash).toBe(0)
    const download = await t.call({ url: `${P}/objects/${keeper}/files?path=weights` })
    expect(download.rawPayload.equals(shared)).toBe(true)
  })

  it('deletes trash past its retention in the background, and nothing younger', async () => {
    const clocked = await createClockedTestApp({ config: { trashRetentionMs: 30 * DAY } })
    t = clocked
    const old = await newRun()
    await uploadFile(old, 'weights', Buffer.alloc(50_000, 4))
    await t.call({ method: 'POST', url: `${P}/trash`, payload: { objects: [old] } })
    clocked.clock.advance(20 * DAY)
    const young = await newRun()
    await t.call({ method: 'POST', url: `${P}/trash`, payload: { objects: [young] } })
    clocked.clock.advance(10 * DAY + 1)
    const job = createTrashRetention({
      store: t.store,
      blobService: t.app.nereid.blobService,
      retentionMs: t.app.nereid.config.trashRetentionMs,
      now: clocked.clock.now,
    })
    expect(await job.run()).toEqual({ deleted: 1 })
    const listed = (await t.call({ url: `${P}/trash` })).json()
    expect(listed.objects.map((o: { shortId: string }) => o.shortId)).toEqual([young])
    expect(await folderBytes(t.blobDir)).toBe(0)
    const events = (await t.call({ url: '/api/v1/audit' })).json().events as {
      action: string
      actor: string
    }[]
    expect(events[0]).toMatchObject({
      action: 'objects.deletedPermanently',
      actor: 'trash retention',
    })
    expect(await job.run()).toEqual({ deleted: 0 })
  })
})
