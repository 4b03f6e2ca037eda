import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { createTestApp, type TestApp } from '../test-app.js'
import { createRun, neptuneSession, type NeptuneSession } from './neptune-session.js'

describe('Neptune signal channel', () => {
  let t: TestApp
  let session: NeptuneSession
  let base: string
  beforeAll(async () => {
    t = await createTestApp()
    session = await neptuneSession(t)
    base = (await t.app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws')
  })
  afterAll(async () => {
    await t.close()
  })

  /** Opens the run's channel; resolves with `open` while it stays open, else its close code. */
  async function outcome(runId: string): Promise<string> {
    const socket = new WebSocket(
      `${base}/api/notifications/v1/runs/${session.projectId}/${runId}/signal`,
      { headers: { authorization: `Bearer ${session.accessToken}` } },
    )
    const result = await new Promise<string>((resolve) => {
      socket.on('close', (code) => resolve(`closed ${code}`))
      socket.on('error', (error) => resolve(`error ${error.message}`))
      socket.on('open', () => {
        socket.send(' ')
        setTimeout(() => resolve('open'), 300)
      })
    })
    socket.terminate()
    return result
  }

  it('accepts a run’s websocket and keeps it open', async () => {
    const run = await createRun(session)
    expect(await outcome(run.id)).toBe('open')
  })

  it('closes the channel of a run that does not exist', async () => {
    expect(await outcome('00000000-0000-4000-8000-000000000000')).toBe('closed 4404')
  })
})
