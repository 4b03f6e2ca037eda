import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { initRun } from '@nereid/client'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from './support/server-process.js'
import { api, seriesPoints, startSdkServer, type SdkServer } from './fixtures/sdk-harness.js'

describe('offline runs and nereid sync', () => {
  let server: SdkServer | undefined
  afterEach(async () => server?.close())

  it('stores an offline run without any server, and syncing it twice sends its data once', async () => {
    server = await startSdkServer()
    const dataDirectory = join(server.workDir, '.nereid')
    // No token and no reachable server are needed offline.
    const run = await initRun({
      mode: 'offline',
      project: 'team/vision',
      dataDirectory,
      name: 'on a plane',
      tags: ['offline'],
      capture: false,
      quiet: true,
      env: { variables: {} },
    })
    expect(run.id).toBeNull()
    run.assign({ params: { lr: 0.1 } })
    for (let i = 0; i < 5000; i++) run.field('train/loss').append(1 / (i + 1))
    run.field('notes').append('first')
    run.field('notes').append('second')
    run.field('weights').upload(Buffer.from('offline weights'), { name: 'w.bin' })
    await expect(run.field('params/lr').fetch()).rejects.toMatchObject({ code: 'MODE_UNSUPPORTED' })
    const stopped = await run.stop()
    expect(stopped.message).toMatch(/offline.*nereid sync/)
    expect(readdirSync(join(dataDirectory, 'offline'))).toHaveLength(1)

    const status = JSON.parse(
      (await runCli(['status', '--json', '--path', dataDirectory])).stdout,
    ) as { mode: string; pendingOperations: number; pendingPoints: number; shortId: null }[]
    expect(status).toEqual([
      expect.objectContaining({
        mode: 'offline',
        shortId: null,
        // tags, params/lr, 5,000 losses and 2 notes, the upload
        pendingOperations: 5,
        pendingPoints: 1 + 1 + 5000 + 2 + 1,
      }),
    ])

    const env = { NEREID_API_TOKEN: server.token }
    const first = await runCli(['sync', '--path', dataDirectory], env)
    const id = /→ (VISION-\d+)/.exec(first.stdout)?.[1]
    expect(id).toBeDefined()
    expect(readdirSync(join(dataDirectory, 'offline'))).toEqual([])
    const second = await runCli(['sync', '--path', dataDirectory], env)
    expect(second.stdout).toContain('Nothing to sync')

    const runs = await api<{ total: number }>(server, '/projects/team/vision/search', {
      method: 'POST',
      body: JSON.stringify({ query: '`sys/name`:string = "on a plane"' }),
    })
    expect(runs.total).toBe(1)
    const points = await seriesPoints(server, id!, 'train/loss')
    expect(points.steps).toEqual(Array.from({ length: 5000 }, (_, i) => i))
    expect(points.values[4999]).toBe(1 / 5000)
    expect((await seriesPoints(server, id!, 'notes')).values).toEqual(['first', 'second'])
    const tags = await api<{ value: { values: string[] } }>(
      server,
      `/projects/team/vision/objects/${id}/field?path=sys/tags`,
    )
    expect(tags.value.values).toEqual(['offline'])
    const weights = await fetch(
      `${server.url}/api/v1/projects/team/vision/objects/${id}/files?path=weights`,
      { headers: { authorization: `Bearer ${server.token}` } },
    )
    expect(await weights.text()).toBe('offline weights')
  }, 120_000)

  it('asks for a project at sync time when the offline run was logged without one', async () => {
    server = await startSdkServer()
    const dataDirectory = join(server.workDir, '.nereid')
    const run = await initRun({
      mode: 'offline',
      dataDirectory,
      capture: false,
      quiet: true,
      env: { variables: {} },
    })
    run.field('x').assign(1)
    await run.stop()
    const env = { NEREID_API_TOKEN: server.token, NEREID_PROJECT: '' }
    await expect(runCli(['sync', '--path', dataDirectory], env)).rejects.toMatchObject({
      stdout: expect.stringContaining('--project'),
    })
    const synced = await runCli(['sync', '--path', dataDirectory, '--project', 'team/vision'], env)
    expect(synced.stdout).toMatch(/→ VISION-\d+/)
  }, 120_000)
})
