import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { initRun } from '@nereid/client'
import { afterEach, describe, expect, it } from 'vitest'
import { CLI, runCli } from './support/server-process.js'
import { seriesPoints, startSdkServer, type SdkServer } from './fixtures/sdk-harness.js'

const offline = (dataDirectory: string) =>
  initRun({
    mode: 'offline',
    project: 'team/vision',
    dataDirectory,
    capture: false,
    quiet: true,
    env: { variables: {} },
  })

describe('nereid status, sync and clear', () => {
  let server: SdkServer | undefined
  afterEach(async () => server?.close())

  it('lists unsent data, leaves folders of running processes alone, and clears after confirmation', async () => {
    server = await startSdkServer()
    const dataDirectory = join(server.workDir, '.nereid')
    const done = await offline(dataDirectory)
    for (let i = 0; i < 10; i++) done.field('x').append(i)
    await done.stop()
    const running = await offline(dataDirectory)
    running.field('y').assign(1)
    running.queueStatus()

    const status = await runCli(['status', '--path', dataDirectory])
    expect(status.stdout).toMatch(/offline run [0-9a-f]{8}\s+offline\s+team\/vision\s+1\s+10/)
    expect(status.stdout).toContain(`being written by process ${process.pid}`)
    expect(status.stdout).toContain('run `nereid sync` to send them')

    const env = { NEREID_API_TOKEN: server.token }
    const synced = await runCli(['sync', '--path', dataDirectory], env)
    expect(synced.stdout).toMatch(/→ VISION-\d+: 1 operation sent \(10 points\)/)
    expect(synced.stdout).toMatch(/process \d+ is still writing it; left for later/)

    await running.stop()
    await expect(runCli(['clear', '--path', dataDirectory])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('pass --yes'),
    })
    expect(readdirSync(join(dataDirectory, 'offline'))).toHaveLength(1)
    const cleared = await runCli(['clear', '--path', dataDirectory, '--yes'])
    expect(cleared.stdout).toContain('Deleted 1 folder(s)')
    expect(readdirSync(join(dataDirectory, 'offline'))).toEqual([])
    expect((await runCli(['status', '--path', dataDirectory])).stdout).toContain('Nothing to sync')
  }, 120_000)

  it('resumes an interrupted sync without sending anything twice', async () => {
    server = await startSdkServer()
    const dataDirectory = join(server.workDir, '.nereid')
    const run = await offline(dataDirectory)
    const count = 1_500_000
    for (let i = 0; i < count; i++) run.field('train/loss').append(i, { step: i })
    await run.stop()
    const [folder] = readdirSync(join(dataDirectory, 'offline')).map((name) =>
      join(dataDirectory, 'offline', name),
    )

    const child = spawn(process.execPath, [CLI, 'sync', '--path', dataDirectory], {
      env: { ...process.env, NEREID_API_TOKEN: server.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    )
    // Interrupt as soon as the first batch is acknowledged (the `ack` file appears).
    while (!existsSync(join(folder!, 'ack'))) {
      if (child.exitCode !== null)
        throw new Error(`sync ended before it was interrupted: ${stdout}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    child.kill('SIGINT')
    expect(await exited).toBe(130)
    expect(stdout).toMatch(/interrupted with [\d,]+ operations? left/)

    const resumed = await runCli(['sync', '--path', dataDirectory], {
      NEREID_API_TOKEN: server.token,
    })
    // The run was created by the interrupted sync; the resumed one finishes it.
    const id = /^(VISION-\d+): [\d,]+ operations? sent/m.exec(resumed.stdout)?.[1]
    expect(id).toBeDefined()
    const points = await seriesPoints(server, id!, 'train/loss')
    expect(points.steps.length).toBe(count)
    for (let i = 0; i < count; i++) {
      if (points.steps[i] !== i || points.values[i] !== i)
        throw new Error(`point ${i} is (${points.steps[i]}, ${String(points.values[i])})`)
    }
  }, 180_000)
})
