import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { initModel, initRun, listLocalData } from '../src/index.js'

describe('modes without a server', () => {
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nereid-modes-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('debug mode checks writes, stores nothing and sends nothing', async () => {
    const run = await initRun({ mode: 'debug', dataDirectory: dir, env: { variables: {} } })
    run.assign({ params: { lr: 0.1 } })
    for (let i = 0; i < 100_000; i++) run.field('loss').append(i)
    expect(() => run.field('a//b').assign(1)).toThrow(
      expect.objectContaining({ code: 'PATH_INVALID' }),
    )
    expect(() => run.field('loss').assign('x')).toThrow(
      expect.objectContaining({ code: 'FIELD_TYPE_CONFLICT' }),
    )
    await expect(run.field('loss').fetchLast()).rejects.toMatchObject({ code: 'MODE_UNSUPPORTED' })
    expect(run.queueStatus()).toMatchObject({ mode: 'debug', state: 'debug', pendingOperations: 0 })
    expect(await run.stop()).toEqual({ pendingOperations: 0, folder: null, message: null })
    expect(readdirSync(dir)).toEqual([])
  })

  it('takes mode, project, custom run id and data folder from NEREID_* or NEPTUNE_* variables', async () => {
    const run = await initRun({
      capture: false,
      quiet: true,
      env: {
        variables: {
          NEPTUNE_MODE: 'offline',
          NEREID_PROJECT: 'team/vision',
          NEREID_CUSTOM_RUN_ID: 'job-1',
          NEREID_DATA_DIRECTORY: dir,
        },
      },
    })
    expect(run.mode).toBe('offline')
    await run.stop()
    const [local] = listLocalData({ dataDirectory: dir })
    expect(local!.meta).toMatchObject({
      mode: 'offline',
      project: 'team/vision',
      customRunId: 'job-1',
      objectId: null,
      kind: 'run',
    })
    expect(JSON.stringify(local!.meta)).not.toContain('token')
  })

  it('needs a project and a token in modes that use a server, and says which', async () => {
    await expect(initRun({ env: { variables: {} } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('NEREID_PROJECT'),
    })
    await expect(initRun({ project: 'team/vision', env: { variables: {} } })).rejects.toMatchObject(
      { code: 'AUTH_REQUIRED', message: expect.stringContaining('NEREID_API_TOKEN') },
    )
  })

  it('creates only runs offline', async () => {
    await expect(
      initModel({ mode: 'offline', key: 'MOD', env: { variables: {} } }),
    ).rejects.toMatchObject({ code: 'MODE_UNSUPPORTED' })
    await expect(
      initRun({ mode: 'offline', withId: 'X-1', env: { variables: {} } }),
    ).rejects.toMatchObject({ code: 'MODE_UNSUPPORTED' })
  })

  it('keeps memory bounded however fast the caller logs: the disk takes the rest', async () => {
    const run = await initRun({
      mode: 'offline',
      dataDirectory: dir,
      capture: false,
      quiet: true,
      env: { variables: {} },
    })
    const loss = run.field('loss')
    const before = process.memoryUsage().arrayBuffers
    let peak = before
    for (let i = 0; i < 3_000_000; i++) {
      loss.append(i)
      if (i % 100_000 === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers)
    }
    // 3 M points are 72 MB of columns; in memory there is never more than one spill's worth.
    expect(peak - before).toBeLessThan(24 * 1024 * 1024)
    const status = run.queueStatus()
    expect(status.pendingOperations).toBeGreaterThan(0)
    const stopped = await run.stop()
    expect(stopped.folder).not.toBeNull()
    const [local] = listLocalData({ dataDirectory: dir })
    expect(local!.pendingPoints).toBe(3_000_000)
    expect(existsSync(join(stopped.folder!, 'lock'))).toBe(false)
    expect(readFileSync(join(stopped.folder!, 'meta.json'), 'utf8')).toContain('"mode": "offline"')
  })
})
