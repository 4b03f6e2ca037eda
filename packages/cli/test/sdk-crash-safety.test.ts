import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// The test reads the on-disk log itself, to know exactly which points reached it before the kill.
import { OperationLog } from '../../client/src/queue/operation-log.js'
import { runCli } from './support/server-process.js'
import {
  CLIENT_DIST,
  fixture,
  seriesPoints,
  startSdkServer,
  type SdkServer,
} from './fixtures/sdk-harness.js'

describe('SDK crash safety', () => {
  let server: SdkServer | undefined
  afterEach(async () => server?.close())

  it('loses nothing that reached the log when the logging process is killed with SIGKILL', async () => {
    server = await startSdkServer()
    const dataDirectory = join(server.workDir, '.nereid')
    const env = {
      ...process.env,
      NEREID_PROJECT: 'team/vision',
      NEREID_API_TOKEN: server.token,
      NEREID_DATA_DIRECTORY: dataDirectory,
    }
    const child = spawn(process.execPath, [fixture('sdk-crash-child.mjs'), CLIENT_DIST, '100000'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let runId = ''
    let loggedBeforeKill = 0
    let frozen = false
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    )
    await new Promise<void>((resolve, reject) => {
      let buffered = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop()!
        for (const line of lines) {
          if (line.startsWith('RUN ')) runId = line.slice(4)
          const logged = /^LOGGED (\d+)$/.exec(line)
          if (logged) loggedBeforeKill = Number(logged[1])
          // Freeze the server for the second half, so the kill leaves unsent points in the log
          // for `nereid sync` (and maybe a batch the server applies after it wakes up).
          if (loggedBeforeKill >= 20_000 && !frozen) {
            frozen = true
            server!.child.kill('SIGSTOP')
          }
          if (loggedBeforeKill >= 60_000 || line === 'DONE') {
            child.kill('SIGKILL')
            resolve()
            return
          }
        }
      })
      child.once('exit', () => reject(new Error('the child ended before it was killed')))
    })
    expect(await exited).toBe('SIGKILL')
    server.child.kill('SIGCONT')
    expect(runId).toMatch(/^VISION-\d+$/)

    // What reached the log before the kill: the points the server must end up with, exactly.
    const [folder] = readdirSync(join(dataDirectory, 'async')).map((name) =>
      join(dataDirectory, 'async', name),
    )
    const log = OperationLog.open(folder!, (await import('node:fs')).default, { readOnly: true })
    let lastLoggedStep = -1
    for (let after = 0; after < log.lastSeq;) {
      const records = log.readAfter(after)
      if (records.length === 0) break
      for (const record of records) {
        if (record.kind === 'floats' && record.path === 'train/loss')
          for (const step of record.steps) lastLoggedStep = Math.max(lastLoggedStep, step)
      }
      after = records.at(-1)!.seq
    }
    // Group commits run every 100 ms: the log holds most of what was logged, never more.
    expect(lastLoggedStep + 1).toBeGreaterThanOrEqual(1000)
    expect(lastLoggedStep + 1).toBeLessThanOrEqual(100_000)

    const before = await seriesPoints(server, runId, 'train/loss').catch(() => ({ steps: [] }))
    expect(before.steps.length).toBeLessThan(lastLoggedStep + 1)

    const env2 = { NEREID_API_TOKEN: server.token, NEREID_DATA_DIRECTORY: dataDirectory }
    const { stdout } = await runCli(['sync'], env2)
    expect(stdout).toContain(`${runId}:`)
    const after = await seriesPoints(server, runId, 'train/loss')
    expect(after.steps.length).toBe(lastLoggedStep + 1)
    for (let i = 0; i <= lastLoggedStep; i++) {
      if (after.steps[i] !== i || after.values[i] !== i * 0.5)
        throw new Error(`point ${i} is (${after.steps[i]}, ${String(after.values[i])})`)
    }
    // Everything was sent: the local folder is gone, and a second sync has nothing to do.
    expect(readdirSync(join(dataDirectory, 'async'))).toEqual([])
    expect((await runCli(['sync'], env2)).stdout).toContain('Nothing to sync')
    expect((await seriesPoints(server, runId, 'train/loss')).steps.length).toBe(lastLoggedStep + 1)
  }, 120_000)
})
