import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { appendFile, cp, mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES, transferPython } from './fixtures/python-venv.js'
import {
  download,
  fieldsOf,
  findOne,
  readWithNeptune,
  sha256,
  startServer,
  valueOf,
  type Field,
  type Server,
  type Summary,
} from './support/transfer-server.js'

/**
 * `nereid import` and `nereid export` end to end: real servers on 127.0.0.1, the built CLI in
 * a child process, fixtures written by pyarrow (exporter format) and by the real `neptune`
 * client in offline mode, everything read back through the native API and through the real
 * `neptune` client (`init_run(with_id=…, mode="read-only")`).
 */

describe('nereid import neptune-exporter', () => {
  let server: Server
  let exportDir: string

  beforeAll(async () => {
    const python = transferPython()
    exportDir = await mkdtemp(join(tmpdir(), 'nereid-exporter-fixture-'))
    execFileSync(python, [join(FIXTURES, 'make-exporter-fixture.py'), exportDir])
    server = await startServer('team')
  }, 600_000)
  afterAll(async () => {
    await server?.stop()
    await rm(exportDir, { recursive: true, force: true })
  })

  it('recreates runs, models and versions with their fields, series, files and history', async () => {
    const { stdout } = await server.cli(['import', 'neptune-exporter', exportDir])
    const summary = JSON.parse(stdout) as Summary
    expect(summary.objects).toBe(6)
    // 26 loss points: 25 decimal steps and step 2.5, given twice (a NaN, then 0.25).
    expect(summary.points).toBe(2 + 3 + 26 + 3 + 3 + 1 + 1)

    // The 2.x run keeps its id (the project takes the key VIS from it), owner and times.
    const run = await fieldsOf(server, 'acme/vision', 'VIS-42')
    expect(valueOf(run, 'sys/owner')).toEqual({ value: 'alice' })
    expect(valueOf(run, 'sys/creation_time')).toEqual({ value: '2025-01-01T00:00:00.000Z' })
    expect(valueOf(run, 'sys/modification_time')).toEqual({ value: '2025-01-01T01:00:00.000Z' })
    expect(valueOf(run, 'sys/running_time')).toEqual({ value: 3600 })
    expect(valueOf(run, 'sys/tags')).toEqual({ values: ['baseline', 'v2'] })
    expect(valueOf(run, 'sys/import/system')).toEqual({ value: 'neptune-exporter' })
    expect(valueOf(run, 'parameters/lr')).toEqual({ value: 0.001 })
    expect(valueOf(run, 'parameters/batch_size')).toEqual({ value: 64 })
    expect(valueOf(run, 'parameters/nesterov')).toEqual({ value: true })
    expect(valueOf(run, 'parameters/started')).toEqual({ value: '2025-01-01T00:00:00.000Z' })
    expect(valueOf(run, 'phantom/missing')).toBeUndefined()

    // Decimal steps come back exact; the null point is a NaN; a repeated step keeps its last.
    const loss = await server.get<{ steps: number[]; values: unknown[]; timestamps: number[] }>(
      '/api/v1/projects/acme/vision/objects/VIS-42/series?path=metrics/loss&limit=100',
    )
    expect(loss.steps.slice(0, 4)).toEqual([0, 0.1, 0.2, 0.3])
    expect(loss.steps).toContain(2.3)
    expect(loss.steps.at(-1)).toBe(2.5)
    expect(loss.values.at(-1)).toBe(0.25)
    expect(loss.timestamps[1]).toBe(Date.parse('2025-01-01T00:00:01Z'))

    // Files, images, the unzipped file set and the artifact's file list.
    expect(sha256(await download(server, 'acme/vision', 'VIS-42', 'path=model/weights'))).toBe(
      createHash('sha256')
        .update(Buffer.from('\x00weights'.repeat(100), 'latin1'))
        .digest('hex'),
    )
    expect(valueOf(run, 'images/samples')).toMatchObject({ count: 2 })
    const image = Buffer.from(
      await download(server, 'acme/vision', 'VIS-42', 'path=images/samples&index=1'),
    )
    expect(image.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
    const sources = await server.get<{ files: { path: string }[] }>(
      '/api/v1/projects/acme/vision/objects/VIS-42/file-sets?path=source_code/files',
    )
    expect(sources.files.map((f) => f.path).sort()).toEqual(['lib/util.py', 'train.py'])
    expect(valueOf(run, 'datasets/train')).toMatchObject({ fileCount: 1 })

    // The 3.x child run is linked to its parent, whatever the order of the export.
    const child = await server.send<{ total: number; rows: { object: { shortId: string } }[] }>(
      'POST',
      '/api/v1/projects/acme/vision/search',
      { query: '`sys/custom_run_id`:string = "exp-child"' },
    )
    const childFields = await fieldsOf(server, 'acme/vision', child.rows[0]!.object.shortId)
    const parent = await server.send<{ rows: { object: { shortId: string } }[] }>(
      'POST',
      '/api/v1/projects/acme/vision/search',
      { query: '`sys/custom_run_id`:string = "exp-root"' },
    )
    expect(valueOf(childFields, 'sys/fork/parent')).toEqual({
      value: parent.rows[0]!.object.shortId,
    })
    expect(valueOf(childFields, 'sys/fork/step')).toEqual({ value: 1 })
    expect(valueOf(childFields, 'metrics/hist')).toMatchObject({
      last: JSON.stringify({ type: 'COUNTING', edges: [0, 1, 2], values: [3, 4] }),
    })

    // The model registry: the version belongs to the imported model, with its stage.
    const version = await fieldsOf(server, 'acme/vision', 'VIS-MOD-3')
    expect(valueOf(version, 'sys/model_id')).toEqual({ value: 'VIS-MOD' })
    expect(valueOf(version, 'sys/stage')).toEqual({ value: 'production' })

    // The real neptune client reads the imported run as it read it from Neptune.
    const read = await readWithNeptune(server, {
      project: 'acme/vision',
      id: 'VIS-42',
      atoms: [
        'sys/owner',
        'sys/name',
        'sys/tags',
        'parameters/lr',
        'parameters/batch_size',
        'parameters/nesterov',
        'parameters/optimizer',
        'parameters/started',
      ],
      series: ['metrics/loss', 'logs/stdout'],
      files: ['model/weights'],
      fileSets: ['source_code/files'],
    })
    expect(read.atoms).toEqual({
      'sys/owner': 'alice',
      'sys/name': 'baseline',
      'sys/tags': ['baseline', 'v2'],
      'parameters/lr': 0.001,
      'parameters/batch_size': 64,
      'parameters/nesterov': true,
      'parameters/optimizer': 'adam',
      'parameters/started': expect.stringMatching(/^2025-01-01T00:00:00/),
    })
    expect(read.series['metrics/loss']!.steps).toEqual(loss.steps)
    expect(read.series['metrics/loss']!.values.at(-1)).toBe(0.25)
    expect(read.series['metrics/loss']!.timestamps).toEqual(loss.timestamps)
    expect(read.series['logs/stdout']!.values).toEqual(['line 0', 'line 1', 'line 2'])
    expect(read.files['model/weights']).toBe(
      sha256(Buffer.from('\x00weights'.repeat(100), 'latin1')),
    )
    expect(read.fileSets['source_code/files']).toEqual(['lib/util.py', 'train.py'])
    const versionRead = await readWithNeptune(server, {
      project: 'acme/vision',
      id: 'VIS-MOD-3',
      kind: 'modelVersion',
      atoms: ['sys/stage', 'sys/model_id'],
      files: ['model/binary'],
    })
    expect(versionRead.atoms).toEqual({ 'sys/stage': 'production', 'sys/model_id': 'VIS-MOD' })
    expect(versionRead.files['model/binary']).toBe(sha256(Buffer.from('binary-model')))

    // What could not be imported is listed with where and why.
    const where = summary.skipped.map((s) => `${s.where}: ${s.reason}`).join('\n')
    expect(where).toMatch(/unfinished-2222222222222222_part_\*\.parquet: the run has no part_0/)
    expect(where).toMatch(/broken-3333333333333333_part_0\.parquet: .*not a readable Parquet file/)
    expect(where).toMatch(/model\/missing: file .* is missing/)
    // Bad rows are named by file and row; the rest of their run is imported.
    expect(where).toMatch(
      /bad-rows-4444444444444444_part_0\.parquet row 2: project_id, run_id, attribute_path or attribute_type is empty/,
    )
    expect(where).toMatch(
      /bad-rows-4444444444444444_part_0\.parquet row 3: unknown attribute_type "mystery_type" of config\/odd/,
    )
    const badRows = await fieldsOf(
      server,
      'acme/vision',
      await findOne(server, 'acme/vision', '`sys/custom_run_id`:string = "bad-rows"'),
    )
    expect(valueOf(badRows, 'config/ok')).toEqual({ value: 1.5 })
    expect(valueOf(badRows, 'config/after')).toEqual({ value: 'still here' })
    expect(valueOf(badRows, 'config/odd')).toBeUndefined()
  }, 300_000)

  it('writes nothing twice when run again', async () => {
    const { stdout } = await server.cli(['import', 'neptune-exporter', exportDir])
    const summary = JSON.parse(stdout) as Summary
    expect(summary).toMatchObject({ objects: 0, alreadyDone: 6, fields: 0, points: 0 })
    const loss = await server.get<{ total: number }>(
      '/api/v1/projects/acme/vision/objects/VIS-42/series?path=metrics/loss&limit=1',
    )
    expect(loss.total).toBe(26)
  })
})

describe('nereid import neptune-offline', () => {
  let server: Server
  let work: string

  beforeAll(async () => {
    const python = transferPython()
    work = await mkdtemp(join(tmpdir(), 'nereid-neptune-offline-'))
    execFileSync(python, [join(FIXTURES, 'make-neptune-offline.py'), work], {
      env: { ...process.env, NEPTUNE_PROJECT: 'team/vision' },
      stdio: 'ignore',
    })
    server = await startServer('team', 'vision')
  }, 600_000)
  afterAll(async () => {
    await server?.stop()
    await rm(work, { recursive: true, force: true })
  })

  it('replays an offline run of the real neptune client, files included, once', async () => {
    const first = JSON.parse(
      (
        await server.cli([
          'import',
          'neptune-offline',
          join(work, '.neptune'),
          '--project',
          'team/vision',
        ])
      ).stdout,
    ) as Summary
    expect(first.objects).toBe(1)
    const runs = await server.send<{ rows: { object: { id: string; shortId: string } }[] }>(
      'POST',
      '/api/v1/projects/team/vision/search',
      { query: '`sys/name`:string = "offline-run"' },
    )
    expect(runs.rows).toHaveLength(1)
    const id = runs.rows[0]!.object.shortId
    const fields = await fieldsOf(server, 'team/vision', id)
    expect(valueOf(fields, 'params/lr')).toEqual({ value: 0.01 })
    expect(valueOf(fields, 'params/epochs')).toEqual({ value: 5 })
    expect(valueOf(fields, 'params/flag')).toEqual({ value: true })
    expect(valueOf(fields, 'params/started')).toEqual({ value: '2025-01-01T00:00:00.000Z' })
    expect(valueOf(fields, 'sys/tags')).toEqual({ values: ['later', 'offline'] })
    expect(valueOf(fields, 'train/loss')).toMatchObject({ count: 50, last: 1 / 50 })
    expect(valueOf(fields, 'train/log')).toMatchObject({ count: 1, last: 'hello' })
    expect(valueOf(fields, 'model/weights')).toMatchObject({ size: 90, ext: 'bin' })
    expect(valueOf(fields, 'data')).toMatchObject({ fileCount: 2, size: 3 })
    expect(Buffer.from(await download(server, 'team/vision', id, 'path=notes')).toString()).toBe(
      'in memory',
    )
    const read = await readWithNeptune(server, {
      project: 'team/vision',
      id,
      atoms: [
        'sys/name',
        'sys/tags',
        'params/lr',
        'params/epochs',
        'params/flag',
        'params/optimizer',
      ],
      series: ['train/loss', 'train/log'],
      files: ['model/weights', 'notes'],
      fileSets: ['data'],
    })
    expect(read.atoms).toEqual({
      'sys/name': 'offline-run',
      'sys/tags': ['later', 'offline'],
      'params/lr': 0.01,
      'params/epochs': 5,
      'params/flag': true,
      'params/optimizer': 'adam',
    })
    expect(read.series['train/loss']!.steps).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(read.series['train/loss']!.values).toEqual(
      Array.from({ length: 50 }, (_, i) => 1 / (i + 1)),
    )
    expect(read.series['train/log']!.values).toEqual(['hello'])
    expect(read.files['model/weights']).toBe(
      sha256(Buffer.from('\x00\x01weights'.repeat(10), 'latin1')),
    )
    expect(read.files.notes).toBe(sha256(Buffer.from('in memory')))
    expect(read.fileSets.data).toEqual(['a.txt', 'b.txt'])

    const second = JSON.parse(
      (
        await server.cli([
          'import',
          'neptune-offline',
          join(work, '.neptune'),
          '--project',
          'team/vision',
        ])
      ).stdout,
    ) as Summary
    expect(second).toMatchObject({ objects: 0, alreadyDone: 1, points: 0 })
    expect(valueOf(await fieldsOf(server, 'team/vision', id), 'train/loss')).toMatchObject({
      count: 50,
    })
  }, 300_000)

  it('reports a truncated queue file by file and line and replays the rest', async () => {
    const copy = join(work, 'broken', '.neptune')
    await cp(join(work, '.neptune'), copy, { recursive: true })
    const [runDir] = await readdir(join(copy, 'offline'))
    const folder = join(copy, 'offline', runDir!)
    const logs = (await readdir(folder)).filter((name) => /^data-\d+\.log$/.test(name)).sort()
    const last = join(folder, logs.at(-1)!)
    // What a crash mid-write leaves: half a line.
    await appendFile(last, '{"obj": {"type": "AssignFloat", "path": ["params", "late"], "val')
    const summary = JSON.parse(
      (await server.cli(['import', 'neptune-offline', copy, '--project', 'team/broken'])).stdout,
    ) as Summary
    expect(summary.objects).toBe(1)
    expect(summary.skipped.map((s) => `${s.where}: ${s.reason}`)).toContainEqual(
      expect.stringMatching(
        new RegExp(`${logs.at(-1)!.replace('.', '\\.')} line \\d+: not a complete JSON line`),
      ),
    )
    const id = await findOne(server, 'team/broken', '`sys/name`:string = "offline-run"')
    const fields = await fieldsOf(server, 'team/broken', id)
    expect(valueOf(fields, 'train/loss')).toMatchObject({ count: 50 })
    expect(valueOf(fields, 'params/late')).toBeUndefined()
  }, 120_000)
})

describe('nereid export and nereid import nereid', () => {
  let source: Server
  let target: Server
  let exportDir: string
  const P = '/api/v1/projects/team/vision'

  beforeAll(async () => {
    source = await startServer('team', 'vision')
    target = await startServer('elsewhere')
    exportDir = await mkdtemp(join(tmpdir(), 'nereid-export-'))
  }, 120_000)
  afterAll(async () => {
    await source?.stop()
    await target?.stop()
    await rm(exportDir, { recursive: true, force: true })
  })

  async function upload(bytes: string): Promise<string> {
    const response = await fetch(`${source.process.url}${P}/blobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${source.token}` },
      body: bytes,
    })
    return ((await response.json()) as { hash: string }).hash
  }

  it('round-trips a project with every field type, views and dashboards', async () => {
    const run = await source.send<{ object: { id: string; shortId: string } }>(
      'POST',
      `${P}/objects`,
      {
        kind: 'run',
        customRunId: 'round-trip',
        name: 'everything',
      },
    )
    const id = run.object.id
    const image = await upload('image-bytes')
    const weights = await upload('weights')
    const a = await upload('file a')
    const result = await source.send<{ results: { ok: boolean }[] }>(
      'POST',
      `${P}/objects/${id}/operations`,
      {
        operations: [
          { op: 'assignFloat', path: 'p/float', value: 0.5 },
          { op: 'assignFloat', path: 'p/nan', value: 'NaN' },
          { op: 'assignInt', path: 'p/int', value: 42 },
          { op: 'assignBool', path: 'p/bool', value: true },
          { op: 'assignString', path: 'p/string', value: 'zażółć 日本' },
          { op: 'assignDatetime', path: 'p/when', value: 1735689600123 },
          { op: 'addStrings', path: 'sys/tags', values: ['a', 'b'] },
          { op: 'addStrings', path: 'p/set', values: ['x'] },
          { op: 'configFloatSeries', path: 'm/loss', min: 0, max: 1, unit: 'nats' },
          {
            op: 'appendFloats',
            path: 'm/loss',
            steps: [0, 0.5, 2],
            values: [0.9, 'NaN', '-Infinity'],
            timestamps: [1735689600000, 1735689600001, 1735689600002],
          },
          { op: 'appendStrings', path: 'm/log', values: ['one', 'two'] },
          {
            op: 'appendFiles',
            path: 'm/images',
            values: [{ hash: image, name: 'i.png', ext: 'png' }],
          },
          { op: 'uploadFile', path: 'model/weights', hash: weights, name: 'weights.pt', ext: 'pt' },
          {
            op: 'uploadFileSet',
            path: 'code',
            reset: true,
            files: [{ path: 'dir/a.txt', hash: a }],
          },
          {
            op: 'trackArtifact',
            path: 'data/train',
            files: [{ filePath: 'train.csv', fileHash: 'f'.repeat(40), type: 'Local', size: 5 }],
          },
          {
            op: 'assignGitRef',
            path: 'source_code/git',
            commitId: 'abc123',
            branch: 'main',
            dirty: false,
          },
          { op: 'assignBool', path: 'sys/failed', value: true },
        ],
      },
    )
    expect(result.results.every((r) => r.ok)).toBe(true)
    const model = await source.send<{ object: { id: string } }>('POST', `${P}/objects`, {
      kind: 'model',
      modelKey: 'MOD',
    })
    await source.send('POST', `${P}/objects`, { kind: 'modelVersion', modelId: model.object.id })
    const trashed = await source.send<{ object: { id: string } }>('POST', `${P}/objects`, {
      kind: 'run',
    })
    await source.send('POST', `${P}/trash`, { objects: [trashed.object.id] })
    // The project's own metadata (Neptune's init_project).
    const projectObject = async (server: Server) =>
      (await server.get<{ metadataObjectId: string }>(P)).metadataObjectId
    await source.send('POST', `${P}/objects/${await projectObject(source)}/operations`, {
      operations: [
        { op: 'assignString', path: 'data/version', value: 'v3' },
        { op: 'appendFloats', path: 'data/size', values: [10, 12] },
      ],
    })
    await source.send('PUT', `${P}/views/best-runs`, {
      name: 'Best runs',
      state: { query: '`p/float`:float > 0.1', columns: [{ path: 'p/float' }] },
    })
    await source.send('PUT', `${P}/dashboards/overview`, {
      name: 'Overview',
      widgets: [
        {
          id: 'w1',
          kind: 'markdown',
          title: 'Notes',
          layout: { x: 0, y: 0, w: 6, h: 2 },
          config: { text: 'hi' },
        },
      ],
    })

    const exported = JSON.parse(
      (await source.cli(['export', 'team/vision', exportDir])).stdout,
    ) as Summary
    expect(exported.objects).toBe(5) // the project's own object, the model, its version, two runs
    expect(exported.skipped).toEqual([])
    const imported = JSON.parse(
      (await target.cli(['import', 'nereid', exportDir])).stdout,
    ) as Summary
    expect(imported.skipped).toEqual([])

    // Every object, with its id, readable id and every field, as it was.
    for (const ref of [id, 'VISION-MOD', 'VISION-MOD-1', trashed.object.id]) {
      const before = await fieldsOf(source, 'team/vision', ref)
      const after = await fieldsOf(target, 'team/vision', ref)
      // Imported objects are records of the past: inactive, so their running time stands still.
      const comparable = (fields: Field[]) =>
        fields.filter(
          (f) =>
            !f.path.startsWith('sys/import/') &&
            !['sys/size', 'sys/state', 'sys/running_time'].includes(f.path),
        )
      expect(comparable(after)).toEqual(comparable(before))
    }
    const projectFields = async (server: Server) =>
      (await fieldsOf(server, 'team/vision', await projectObject(server))).filter(
        (f) => !f.path.startsWith('sys/'),
      )
    expect(await projectFields(target)).toEqual(await projectFields(source))
    expect((await projectFields(target)).map((f) => f.path)).toEqual(['data/size', 'data/version'])
    const objectAfter = await target.get<{ trashed: boolean }>(`${P}/objects/${trashed.object.id}`)
    expect(objectAfter.trashed).toBe(true)

    // Series points and file bytes.
    for (const path of ['m/loss', 'm/log', 'm/images']) {
      const url = `${P}/objects/${id}/series?path=${path}&limit=100`
      expect(await target.get(url)).toEqual(await source.get(url))
    }
    for (const query of [
      'path=model/weights',
      'path=code&file=dir/a.txt',
      'path=m/images&index=0',
    ]) {
      expect(sha256(await download(target, 'team/vision', id, query))).toBe(
        sha256(await download(source, 'team/vision', id, query)),
      )
    }
    const hash = valueOf(await fieldsOf(target, 'team/vision', id), 'data/train')!.hash
    expect(await target.get(`${P}/artifacts/${String(hash)}`)).toEqual(
      await source.get(`${P}/artifacts/${String(hash)}`),
    )

    // Saved views and dashboards.
    const views = async (server: Server) =>
      (
        await server.get<{ views: { id: string; name: string; state: unknown }[] }>(`${P}/views`)
      ).views.map(({ id, name, state }) => ({ id, name, state }))
    expect(await views(target)).toEqual(await views(source))
    const dashboard = async (server: Server) => {
      const { id, name, widgets } = await server.get<{
        id: string
        name: string
        widgets: unknown
      }>(`${P}/dashboards/overview`)
      return { id, name, widgets }
    }
    expect(await dashboard(target)).toEqual(await dashboard(source))

    // Importing again writes nothing.
    const again = JSON.parse((await target.cli(['import', 'nereid', exportDir])).stdout) as Summary
    expect(again).toMatchObject({ objects: 0, alreadyDone: 5, points: 0 })
  })

  it('reports a truncated table part by file and imports the rest', async () => {
    const copy = `${exportDir}-broken`
    await cp(exportDir, copy, { recursive: true })
    try {
      const part = join(copy, 'float-series', 'part-00000.parquet')
      await truncate(part, Math.floor((await stat(part)).size / 2))
      const summary = JSON.parse(
        (await target.cli(['import', 'nereid', copy, '--project', 'elsewhere/broken'])).stdout,
      ) as Summary
      expect(summary.skipped).toEqual([
        {
          where: 'float-series/part-00000.parquet',
          reason: expect.stringMatching(
            /^float-series\/part-00000\.parquet: is not a readable Parquet file/,
          ),
        },
      ])
      const runs = await target.send<{ rows: { object: { id: string } }[] }>(
        'POST',
        '/api/v1/projects/elsewhere/broken/search',
        { query: '`p/string`:string EXISTS' },
      )
      const fields = await fieldsOf(target, 'elsewhere/broken', runs.rows[0]!.object.id)
      expect(valueOf(fields, 'p/string')).toEqual({ value: 'zażółć 日本' })
      expect(valueOf(fields, 'm/log')).toMatchObject({ count: 2 })
      expect(valueOf(fields, 'm/loss')).toMatchObject({ count: 0 })
    } finally {
      await rm(copy, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('the admin import API', () => {
  let server: Server
  const P = '/api/v1/projects/team/lineage'

  beforeAll(async () => {
    server = await startServer('team', 'lineage')
  }, 120_000)
  afterAll(async () => {
    await server?.stop()
  })

  const imported = async (id: string) =>
    (
      await server.send<{ object: { id: string; shortId: string } }>(
        'POST',
        `${P}/import/objects`,
        { kind: 'run', source: { system: 'test', id } },
      )
    ).object

  it('records a fork whose step is unknown without inventing step 0', async () => {
    const parent = await imported('parent')
    const unknown = await imported('child-unknown-step')
    const atZero = await imported('child-step-zero')
    await server.send('POST', `${P}/import/objects/${unknown.id}/finish`, {
      fork: { parent: parent.id, step: null },
    })
    await server.send('POST', `${P}/import/objects/${atZero.id}/finish`, {
      fork: { parent: parent.shortId, step: 0 },
    })
    const unknownFields = await fieldsOf(server, 'team/lineage', unknown.id)
    expect(valueOf(unknownFields, 'sys/fork/parent')).toEqual({ value: parent.shortId })
    expect(valueOf(unknownFields, 'sys/fork/step')).toBeUndefined()
    const zeroFields = await fieldsOf(server, 'team/lineage', atZero.id)
    expect(valueOf(zeroFields, 'sys/fork/step')).toEqual({ value: 0 })
  })

  it('rejects a fork step that is not a number', async () => {
    const child = await imported('child-bad-step')
    const response = await fetch(`${server.process.url}${P}/import/objects/${child.id}/finish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fork: { parent: child.id, step: 'soon' } }),
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'VALIDATION_FAILED',
    )
  })
})
