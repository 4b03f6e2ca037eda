import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import {
  createNotebookCheckpoint,
  FileValue,
  initModel,
  initModelVersion,
  initRun,
} from '@nereid/client'

/** What the fixture logged, for the tests to look for. */
export interface Fixture {
  runs: { baseline: string; tuned: string; sgd: string }
  model: string
  version: string
  notebook: string
  /** A person who signs in with a password (a session cookie, CSRF and all). */
  person: { username: string; password: string }
}

const notebook = (cells: string[]) =>
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
    cells: cells.map((source, i) => ({
      cell_type: 'code',
      source: [source],
      metadata: {},
      execution_count: i + 1,
      outputs: [],
    })),
  })

/** A small valid PNG of one colour (no image library needed). */
export function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([length, body, sum])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8
  header[9] = 2
  const rows = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(rgb, y * (width * 3 + 1) + 1 + x * 3)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/**
 * Logs what the end-to-end tests look at through the TypeScript SDK, over real HTTP: three runs
 * (parameters, series with a spike, files, a file set, images, a log), a model with a version,
 * and a notebook with two checkpoints; and a person with a password.
 */
export async function logFixture(url: string, token: string): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'nereid-web-fixture-'))
  const common = {
    project: 'team/vision',
    apiToken: token,
    mode: 'sync' as const,
    dataDirectory: join(dir, '.nereid'),
    quiet: true,
  }
  try {
    const created: string[] = []
    const specs = [
      {
        name: 'baseline',
        lr: 0.01,
        optimizer: 'adam',
        tags: ['baseline', 'prod'],
        points: 400,
        spike: 200,
      },
      { name: 'tuned', lr: 0.001, optimizer: 'adam', tags: ['prod'], points: 300, spike: -1 },
      { name: 'sgd-small', lr: 0.1, optimizer: 'sgd', tags: ['tmp'], points: 150, spike: -1 },
    ]
    for (const spec of specs) {
      const run = await initRun({ ...common, name: spec.name, tags: spec.tags, capture: false })
      run.assign({ params: { lr: spec.lr, optimizer: spec.optimizer, batch_size: 32 } })
      const steps = Array.from({ length: spec.points }, (_, i) => i)
      run.field('train/loss').extend(
        steps.map((i) => (i === spec.spike ? 50 : 2 / (1 + i / 20) + spec.lr)),
        { steps },
      )
      run.field('val/acc').extend(
        steps.map((i) => Math.min(0.99, 0.5 + i / (spec.points * 2))),
        { steps },
      )
      run.field('monitoring/ab12/cpu').extend([10, 40, 35, 50], { steps: [0, 1, 2, 3] })
      run.field('stdout').extend(['starting', `lr=${spec.lr}`, 'epoch 1 done', 'finished'])
      if (spec.name === 'baseline') {
        run
          .field('data/metrics')
          .upload(Buffer.from('epoch,loss,acc\n1,0.9,0.61\n2,0.5,"0.7, rounded"\n'), {
            name: 'metrics.csv',
          })
        run
          .field('config')
          .upload(Buffer.from('{"lr":0.01,"layers":[64,32]}'), { name: 'config.json' })
        run
          .field('report')
          .upload(Buffer.from('<h1>Report</h1><script>parent.document.title="pwned"</script>'), {
            name: 'report.html',
          })
        await mkdir(join(dir, 'samples', 'nested'), { recursive: true })
        await writeFile(join(dir, 'samples', 'readme.txt'), 'sample files\n')
        await writeFile(join(dir, 'samples', 'nested', 'data.json'), '{"a": 1}')
        run.field('artifacts/samples').uploadFiles(join(dir, 'samples'), { base: dir })
        await writeFile(join(dir, 'train.py'), 'import nereid\nprint("training")\n')
        run.field('source_code/files').uploadFiles(join(dir, 'train.py'), { base: dir })
        for (const [index, color] of (
          [
            [255, 0, 0],
            [0, 160, 0],
            [0, 0, 255],
          ] as const
        ).entries()) {
          run
            .field('images/predictions')
            .append(FileValue.fromBuffer(png(16, 16, [...color]), { name: `pred-${index}.png` }), {
              step: index,
            })
        }
      }
      await run.stop()
      created.push(run.id!)
    }

    // The git state a client records next to the source files (the SDK reads it from git).
    const gitState = await fetch(
      `${url}/api/v1/projects/team/vision/objects/${created[0]}/operations`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          operations: [
            {
              op: 'assignGitRef',
              path: 'source_code/git',
              commitId: '3f2a9c1d0b7e4a5f8c6d2e1b0a9f8e7d6c5b4a39',
              message: 'Tune the warm-up',
              authorName: 'Alice',
              authorEmail: 'alice@example.com',
              branch: 'main',
              dirty: true,
              remotes: ['git@example.com:team/vision.git'],
            },
          ],
        }),
      },
    )
    if (!gitState.ok) throw new Error(`logging the git state failed: ${await gitState.text()}`)

    const model = await initModel({ ...common, key: 'MOD', name: 'classifier' })
    await model.stop()
    const version = await initModelVersion({ ...common, model: model.id!, name: 'v1' })
    version.field('validation/acc').assign(0.93)
    await version.stop()

    const ipynb = join(dir, 'analysis.ipynb')
    await writeFile(ipynb, notebook(['import math', 'print(math.pi)']))
    await createNotebookCheckpoint({
      path: ipynb,
      project: 'team/vision',
      apiToken: token,
      message: 'first look',
    })
    await writeFile(ipynb, notebook(['import math', 'print(math.tau)', 'x = 2']))
    const second = await createNotebookCheckpoint({
      path: ipynb,
      project: 'team/vision',
      apiToken: token,
      message: 'use tau',
    })

    const person = { username: 'alice', password: 'correct horse battery' }
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
    const user = await fetch(`${url}/api/v1/users`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        username: person.username,
        password: person.password,
        displayName: 'Alice',
      }),
    })
    if (!user.ok) throw new Error(`creating the fixture user failed: ${await user.text()}`)
    const member = await fetch(`${url}/api/v1/workspaces/team/members/${person.username}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ role: 'owner' }),
    })
    if (!member.ok) throw new Error(`adding the fixture user failed: ${await member.text()}`)

    return {
      runs: { baseline: created[0]!, tuned: created[1]!, sgd: created[2]! },
      model: model.id!,
      version: version.id!,
      notebook: second.notebook.shortId,
      person,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
