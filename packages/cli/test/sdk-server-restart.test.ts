import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { initRun } from '@nereid/client'
import type { NereidError } from '@nereid/core'
import { afterEach, describe, expect, it } from 'vitest'
import { api, seriesPoints, startSdkServer, type SdkServer } from './fixtures/sdk-harness.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('SDK with a server that goes away and comes back', () => {
  let server: SdkServer | undefined
  afterEach(async () => server?.close())

  it('keeps logging without blocking, then delivers everything once and in order', async () => {
    server = await startSdkServer()
    const errors: NereidError[] = []
    const dataDirectory = join(server.workDir, '.nereid')
    const run = await initRun({
      project: 'team/vision',
      apiToken: server.token,
      dataDirectory,
      capture: false,
      quiet: true,
      onError: (error) => errors.push(error),
    })
    const loss = run.field('train/loss')
    const events = run.field('events')
    let slowest = 0
    for (let i = 0; i < 3000; i++) {
      const started = performance.now()
      loss.append(i * 0.25, { step: i })
      if (i % 500 === 0) {
        events.append(`step ${i}`)
        run.field('phase').assign(`at ${i}`)
      }
      slowest = Math.max(slowest, performance.now() - started)
      if (i === 1000) await server.stopServer()
      if (i === 2000) await server.restartServer()
      if (i % 100 === 99) await sleep(10)
    }
    // No logging call waited for the network while the server was away.
    expect(slowest).toBeLessThan(50)
    // The outage is reported: as refused connections, or as the 503 a stopping server answers.
    expect(
      errors.some((error) => ['SERVER_UNREACHABLE', 'SERVICE_UNAVAILABLE'].includes(error.code)),
    ).toBe(true)

    const stopped = await run.stop({ timeoutMs: 60_000 })
    expect(stopped.pendingOperations).toBe(0)
    expect(readdirSync(join(dataDirectory, 'async'))).toEqual([])

    const points = await seriesPoints(server, run.id!, 'train/loss')
    expect(points.steps).toEqual(Array.from({ length: 3000 }, (_, i) => i))
    expect(points.values).toEqual(Array.from({ length: 3000 }, (_, i) => i * 0.25))
    const lines = await seriesPoints(server, run.id!, 'events')
    expect(lines.values).toEqual([
      'step 0',
      'step 500',
      'step 1000',
      'step 1500',
      'step 2000',
      'step 2500',
    ])
    const phase = await api<{ value: { value: string } }>(
      server,
      `/projects/team/vision/objects/${run.id}/field?path=phase`,
    )
    expect(phase.value.value).toBe('at 2500')
  }, 120_000)

  it('says how many operations remain on disk when stop() cannot reach the server', async () => {
    server = await startSdkServer()
    const dataDirectory = join(server.workDir, '.nereid')
    const run = await initRun({
      project: 'team/vision',
      apiToken: server.token,
      dataDirectory,
      capture: false,
      onError: () => undefined,
      quiet: true,
    })
    await server.stopServer()
    for (let i = 0; i < 100; i++) run.field('x').append(i)
    const started = Date.now()
    const stopped = await run.stop({ timeoutMs: 1500 })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(stopped.pendingOperations).toBeGreaterThan(0)
    expect(stopped.folder).toContain(join(dataDirectory, 'async'))
    expect(stopped.message).toMatch(/operations of VISION-\d+ could not be sent.*nereid sync/)
    expect(readdirSync(join(dataDirectory, 'async'))).toHaveLength(1)
  }, 60_000)
})
