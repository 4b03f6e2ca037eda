import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CLIENT_DIST,
  api,
  fixture,
  runNode,
  seriesPoints,
  startSdkServer,
  type SdkServer,
} from './fixtures/sdk-harness.js'

describe('SDK custom run id', () => {
  let server: SdkServer | undefined
  afterEach(async () => server?.close())

  it('lets two processes with the same customRunId write one run', async () => {
    server = await startSdkServer()
    const env = {
      NEREID_PROJECT: 'team/vision',
      NEREID_API_TOKEN: server.token,
      NEREID_DATA_DIRECTORY: join(server.workDir, '.nereid'),
    }
    const [first, second] = await Promise.all(
      ['alpha', 'beta'].map((name) =>
        runNode(fixture('sdk-writer-child.mjs'), [CLIENT_DIST, 'shared-job-7', name, '2000'], {
          env,
        }),
      ),
    )
    const a = JSON.parse(first!.stdout.trim())
    const b = JSON.parse(second!.stdout.trim())
    expect(a.id).toBe(b.id)
    expect(a.objectId).toBe(b.objectId)
    expect(a.stopped.pendingOperations).toBe(0)
    expect(b.stopped.pendingOperations).toBe(0)

    const search = await api<{ total: number }>(server, '/projects/team/vision/search', {
      method: 'POST',
      body: JSON.stringify({ query: '`sys/custom_run_id`:string = "shared-job-7"' }),
    })
    expect(search.total).toBe(1)
    for (const name of ['alpha', 'beta']) {
      const points = await seriesPoints(server, a.id, `progress/${name}`)
      expect(points.steps).toEqual(Array.from({ length: 2000 }, (_, i) => i))
      const field = await api<{ value: { value: string } }>(
        server,
        `/projects/team/vision/objects/${a.id}/field?path=workers/${name}`,
      )
      expect(field.value.value).toBe(name)
    }
    const custom = await api<{ value: { value: string } }>(
      server,
      `/projects/team/vision/objects/${a.id}/field?path=sys/custom_run_id`,
    )
    expect(custom.value.value).toBe('shared-job-7')
  }, 120_000)
})
