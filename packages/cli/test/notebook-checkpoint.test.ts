import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from './support/server-process.js'
import { api, startSdkServer, type SdkServer } from './fixtures/sdk-harness.js'

const notebook = (source: string) =>
  JSON.stringify({
    cells: [{ cell_type: 'code', source: [source] }],
    nbformat: 4,
    nbformat_minor: 5,
  })

describe('nereid notebook checkpoint', () => {
  let server: SdkServer | undefined
  afterEach(async () => server?.close())

  it('records checkpoints of a named notebook like commits', async () => {
    server = await startSdkServer()
    const file = join(server.workDir, 'analysis.ipynb')
    const env = { NEREID_API_TOKEN: server.token, NEREID_PROJECT: 'team/vision' }
    writeFileSync(file, notebook('print(1)'))
    const first = await runCli(['notebook', 'checkpoint', file, '-m', 'first look'], env)
    expect(first.stdout).toMatch(/^Recorded checkpoint 1 of notebook "analysis" \(VISION-NB\d+\)/)

    const unchanged = await runCli(['notebook', 'checkpoint', file, '-m', 'again'], env)
    expect(unchanged.stdout).toMatch(/"analysis" \(VISION-NB\d+\) is unchanged since checkpoint 1/)

    writeFileSync(file, notebook('print(2)'))
    const second = await runCli(
      [
        'notebook',
        'checkpoint',
        file,
        '--name',
        'analysis',
        '--project',
        'team/vision',
        '--message',
        'plots',
      ],
      { NEREID_API_TOKEN: server.token },
    )
    expect(second.stdout).toMatch(/^Recorded checkpoint 2 of notebook "analysis"/)

    const { checkpoints } = await api<{
      checkpoints: { number: number; message: string; author: string }[]
    }>(server, '/projects/team/vision/notebooks/analysis/checkpoints')
    expect(checkpoints.map(({ number, message, author }) => ({ number, message, author }))).toEqual(
      [
        { number: 2, message: 'plots', author: 'admin' },
        { number: 1, message: 'first look', author: 'admin' },
      ],
    )
    const content = await fetch(
      `${server.url}/api/v1/projects/team/vision/notebooks/analysis/checkpoints/1/content`,
      { headers: { authorization: `Bearer ${server.token}` } },
    )
    expect(await content.text()).toBe(notebook('print(1)'))
  }, 60_000)

  it('refuses a file that is not a notebook, and a missing one', async () => {
    server = await startSdkServer()
    const env = { NEREID_API_TOKEN: server.token, NEREID_PROJECT: 'team/vision' }
    const file = join(server.workDir, 'notes.txt')
    writeFileSync(file, 'just text')
    await expect(runCli(['notebook', 'checkpoint', file], env)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('is not a Jupyter notebook'),
    })
    await expect(
      runCli(['notebook', 'checkpoint', join(server.workDir, 'missing.ipynb')], env),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('not found') })
  }, 60_000)
})
