import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { initModel, initModelVersion, initProject, initRun } from '@nereid/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CLIENT_DIST,
  fixture,
  runNode,
  startSdkServer,
  type SdkServer,
} from './fixtures/sdk-harness.js'

const NOTEBOOK = JSON.stringify({
  cells: [{ cell_type: 'markdown', source: ['# Analysis'] }],
  nbformat: 4,
})

describe('SDK round trip of every field type (real server, real git repository)', () => {
  let server: SdkServer
  let repo: string
  let ids: { run: string; model: string; version: string; stopped: { pendingOperations: number } }
  const access = () => ({ project: 'team/vision', apiToken: server.token, quiet: true })

  beforeAll(async () => {
    server = await startSdkServer()
    repo = join(server.workDir, 'repo')
    mkdirSync(join(repo, 'data', 'sub'), { recursive: true })
    copyFileSync(fixture('sdk-round-trip-child.mjs'), join(repo, 'sdk-round-trip-child.mjs'))
    writeFileSync(join(repo, 'analysis.ipynb'), NOTEBOOK)
    writeFileSync(join(repo, 'image.png'), 'second image')
    writeFileSync(join(repo, 'data', 'weights.bin'), Buffer.from([0, 1, 2, 3, 255]))
    writeFileSync(join(repo, 'data', 'a.csv'), 'x,y\n1,2\n')
    writeFileSync(join(repo, 'data', 'sub', 'b.txt'), 'nested')
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo }).toString()
    git('init', '-q', '-b', 'main')
    git('-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', 'add', '.')
    git('-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', 'commit', '-q', '-m', 'first')
    // An uncommitted change: the run must record the tree as dirty and keep the diff.
    writeFileSync(join(repo, 'data', 'a.csv'), 'x,y\n1,2\n3,4\n')
    const { stdout } = await runNode(join(repo, 'sdk-round-trip-child.mjs'), [CLIENT_DIST], {
      cwd: repo,
      env: {
        NEREID_PROJECT: 'team/vision',
        NEREID_API_TOKEN: server.token,
        NEREID_DATA_DIRECTORY: join(server.workDir, '.nereid'),
      },
    })
    ids = JSON.parse(stdout.trim().split('\n').at(-1)!)
  }, 120_000)

  afterAll(async () => server?.close())

  it('sends everything before stop() returns and leaves no local data behind', () => {
    expect(ids.stopped.pendingOperations).toBe(0)
    const local = join(server.workDir, '.nereid', 'async')
    expect(readdirSync(local)).toEqual([])
  })

  it('reads back atoms, namespaces, NaN and infinities', async () => {
    const run = await initRun({ ...access(), withId: ids.run, mode: 'read-only' })
    expect(await run.field('params').fetch()).toEqual({
      lr: 0.001,
      epochs: 12,
      big: 9007199254740991,
      optimizer: 'adam',
      shuffle: true,
      started: new Date('2026-01-02T03:04:05.678Z'),
      nested: { depth: 2 },
    })
    expect(await run.field('metrics/nan').fetch()).toBeNaN()
    expect(await run.field('metrics/inf').fetch()).toBe(Number.NEGATIVE_INFINITY)
    expect(await run.field('sys/name').fetch()).toBe('round trip')
    expect(await run.field('sys/description').fetch()).toBe('every field type')
    expect(await run.field('sys/tags').fetch()).toEqual(['extra', 'sdk'])
    expect(await run.field('sys/failed').fetch()).toBe(false)
    expect(['active', 'inactive']).toContain(await run.field('sys/state').fetch())
    expect(await run.exists('temporary')).toBe(false)
    await run.stop()
  })

  it('reads back float and string series with their steps and timestamps', async () => {
    const run = await initRun({ ...access(), withId: ids.run, mode: 'read-only' })
    const loss = await run.field('train/loss').fetchValues()
    expect(loss.type).toBe('floatSeries')
    expect(Array.from(loss.steps)).toEqual([0, 1, 2, 3, 10])
    expect(Array.from(loss.values as Float64Array)).toEqual([
      1,
      0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      0.25,
    ])
    expect(Array.from(loss.timestamps)).toEqual([
      1767225600000, 1767225600100, 1767225600200, 1767225600300, 1767225601000,
    ])
    expect(await run.field('train/loss').fetchLast()).toBe(0.25)
    const acc = await run.field('train/acc').fetchValues()
    expect(Array.from(acc.steps)).toEqual([0, 1])
    expect(Array.from(acc.values as Float64Array)).toEqual([0.5, 0.75])
    const log = await run.field('train/log').fetchValues()
    expect(log.values).toEqual(['epoch 1', 'epoch 2'])
    expect(Array.from(log.steps)).toEqual([1, 2])
    expect(log.timestamps[1]).toBe(Date.parse('2026-01-01T00:00:00Z'))
    await run.stop()
  })

  it('downloads files, file sets and file series points with their bytes intact', async () => {
    const run = await initRun({ ...access(), withId: ids.run, mode: 'read-only' })
    const out = join(server.workDir, 'downloads')
    mkdirSync(out, { recursive: true })
    const read = async (path: string, options?: { index?: number }) =>
      readFileSync(await run.field(path).download(out, options))
    expect(await read('files/from-path')).toEqual(Buffer.from([0, 1, 2, 3, 255]))
    expect((await read('files/from-buffer')).toString()).toBe('buffer bytes')
    expect((await read('files/from-stream')).toString()).toBe('stream bytes')
    expect(await run.field('files/from-buffer').fetch()).toMatchObject({
      name: 'buffer.txt',
      contentType: 'text/plain',
      size: 12,
    })
    const images = await run.field('images').fetchValues()
    expect(images.type).toBe('fileSeries')
    expect(images.values).toHaveLength(2)
    expect((await read('images', { index: 0 })).toString()).toBe('first image')
    expect((await read('images', { index: 1 })).toString()).toBe('second image')
    const folder = await run.field('dataset').download(join(out, 'dataset'))
    expect(readFileSync(join(folder, 'data', 'sub', 'b.txt'), 'utf8')).toBe('nested')
    expect(readFileSync(join(folder, 'data', 'a.csv'), 'utf8')).toBe('x,y\n1,2\n3,4\n')
    expect(await run.field('tracked').fetch()).toMatchObject({
      fileCount: 3,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    await run.stop()
  })

  it('records source code, git state with the uncommitted diff, the notebook and the console', async () => {
    const run = await initRun({ ...access(), withId: ids.run, mode: 'read-only' })
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo }).toString().trim()
    expect(await run.field('source_code/git').fetch()).toMatchObject({
      commitId: head,
      branch: 'main',
      dirty: true,
      message: 'first',
      authorName: 'Ada',
      authorEmail: 'ada@example.com',
    })
    const diff = readFileSync(
      await run.field('source_code/diff').download(join(server.workDir, 'diff.patch')),
      'utf8',
    )
    expect(diff).toContain('+3,4')
    expect(await run.field('source_code/entrypoint').fetch()).toBe('sdk-round-trip-child.mjs')
    expect(await run.field('source_code/files').fetch()).toMatchObject({ fileCount: 1 })
    expect(await run.field('source_code/notebook').fetch()).toMatchObject({
      name: 'analysis',
      checkpointId: expect.any(String),
      notebookId: expect.any(String),
    })
    const everything = (await run.fetch()) as {
      monitoring: Record<string, Record<string, unknown>>
    }
    const [monitoring] = Object.values(everything.monitoring)
    expect(monitoring).toMatchObject({
      hostname: expect.any(String),
      pid: expect.stringMatching(/^\d+$/),
    })
    const namespace = Object.keys(everything.monitoring)[0]
    const stdout = await run.field(`monitoring/${namespace}/stdout`).fetchValues()
    expect(stdout.values).toContain('hello from the run')
    const stderr = await run.field(`monitoring/${namespace}/stderr`).fetchValues()
    expect(stderr.values).toContain('a warning line')
    await run.stop()
  })

  it('reads models, versions with their stage, and the runs table by NQL query', async () => {
    const model = await initModel({ ...access(), withId: ids.model, mode: 'read-only' })
    expect(await model.field('config/layers').fetch()).toBe(4)
    expect(await model.field('sys/name').fetch()).toBe('classifier')
    const version = await initModelVersion({ ...access(), withId: ids.version, mode: 'read-only' })
    expect(ids.version).toBe(`${ids.model}-1`)
    expect(await version.field('sys/stage').fetch()).toBe('production')
    expect(await version.field('eval/acc').fetch()).toBe(0.91)
    const project = await initProject({ ...access(), mode: 'read-only' })
    const rows = await project.fetchRunsTable({
      query: '`params/optimizer`:string = "adam"',
      columns: ['params/lr', 'train/loss', 'sys/tags'],
    })
    expect(rows).toEqual([
      {
        id: ids.run,
        objectId: expect.any(String),
        fields: expect.objectContaining({
          'params/lr': 0.001,
          'train/loss': 0.25,
          'sys/tags': ['extra', 'sdk'],
        }),
      },
    ])
    expect(await project.fetchRunsTable({ query: '`params/optimizer`:string = "sgd"' })).toEqual([])
    await Promise.all([model.stop(), version.stop(), project.stop()])
  })
})
