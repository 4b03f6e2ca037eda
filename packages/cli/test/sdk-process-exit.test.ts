import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CLIENT_DIST,
  api,
  fixture,
  seriesPoints,
  startSdkServer,
  type SdkServer,
} from './fixtures/sdk-harness.js'

interface Ended {
  code: number | null
  stdout: string
  stderr: string
  endedAt: number
}

function runChild(server: SdkServer, how: string): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fixture('sdk-exit-child.mjs'), CLIENT_DIST, how], {
      env: {
        ...process.env,
        NEREID_PROJECT: 'team/vision',
        NEREID_API_TOKEN: server.token,
        NEREID_DATA_DIRECTORY: join(server.workDir, '.nereid'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('exit', (code) => resolve({ code, stdout, stderr, endedAt: Date.now() }))
  })
}

const runIdOf = (ended: Ended) => /^RUN (\S+)$/m.exec(ended.stdout)?.[1] ?? ''

describe('SDK and the end of the process', () => {
  let server: SdkServer
  beforeAll(async () => {
    server = await startSdkServer()
  }, 60_000)
  afterAll(async () => server?.close())

  it('lets the process exit promptly after stop()', async () => {
    const ended = await runChild(server, 'stop')
    expect(ended.code).toBe(0)
    const stoppedAt = Number(/^STOPPED (\d+)$/m.exec(ended.stdout)?.[1])
    expect(ended.endedAt - stoppedAt).toBeLessThan(2000)
    expect((await seriesPoints(server, runIdOf(ended), 'train/loss')).steps).toHaveLength(1000)
  }, 60_000)

  it('stops and delivers a run the program forgot to stop', async () => {
    const ended = await runChild(server, 'forget')
    expect(ended.code).toBe(0)
    expect((await seriesPoints(server, runIdOf(ended), 'train/loss')).steps).toHaveLength(1000)
    expect(readdirSync(join(server.workDir, '.nereid', 'async'))).toEqual([])
  }, 60_000)

  for (const [how, message] of [
    ['throw', 'boom in training'],
    ['reject', 'rejected in training'],
  ] as const) {
    it(`marks the run failed and keeps the stack trace of an uncaught error (${how})`, async () => {
      const ended = await runChild(server, how)
      // Node's own behaviour is kept: the error is printed and the process fails.
      expect(ended.code).toBe(1)
      expect(ended.stderr).toContain(message)
      const id = runIdOf(ended)
      const failed = await api<{ value: { value: boolean } }>(
        server,
        `/projects/team/vision/objects/${id}/field?path=sys/failed`,
      )
      expect(failed.value.value).toBe(true)
      const { fields } = await api<{ fields: { path: string }[] }>(
        server,
        `/projects/team/vision/objects/${id}/fields`,
      )
      const traceback = fields.find((field) => field.path.endsWith('/traceback'))!.path
      const lines = await seriesPoints(server, id, traceback)
      expect(lines.values.join('\n')).toContain(`Error: ${message}`)
      expect((await seriesPoints(server, id, 'train/loss')).steps).toHaveLength(1000)
      // Delivered before the process ended: nothing is left for `nereid sync`.
      expect(readdirSync(join(server.workDir, '.nereid', 'async'))).toEqual([])
    }, 60_000)
  }
})
