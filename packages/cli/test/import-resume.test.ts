import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURES, transferPython } from './fixtures/python-venv.js'
import {
  fieldsOf,
  killMidway,
  startServer,
  valueOf,
  type Server,
  type Summary,
} from './support/transfer-server.js'

/**
 * Imports and exports killed mid-way (SIGKILL: no chance to clean up) and started again: every
 * point arrives exactly once, and the summary says what was there already. The input is 12
 * Neptune 2.x runs × 2 float series × 100,000 points written by pyarrow in the exporter's
 * format, big enough to be caught half done.
 */

const RUNS = 12
const POINTS = 100_000

async function seriesTotal(server: Server, project: string, run: string, path: string) {
  try {
    return (
      await server.get<{ total: number }>(
        `/api/v1/projects/${project}/objects/${run}/series?path=${path}&limit=1`,
      )
    ).total
  } catch {
    return 0
  }
}

/** Every run holds all its points once, with its other fields. */
async function expectComplete(server: Server, project: string) {
  for (let r = 1; r <= RUNS; r++) {
    const fields = await fieldsOf(server, project, `BULK-${r}`)
    expect(valueOf(fields, 'params/r')).toEqual({ value: r - 1 })
    for (const path of ['metrics/a', 'metrics/b']) {
      expect(valueOf(fields, path)).toMatchObject({
        count: POINTS,
        last: r - 1 + (POINTS - 1) / POINTS,
      })
    }
  }
}

describe('interrupted imports and exports', () => {
  let source: Server
  let target: Server
  let input: string
  let exportDir: string

  beforeAll(async () => {
    input = await mkdtemp(join(tmpdir(), 'nereid-bulk-exporter-'))
    exportDir = await mkdtemp(join(tmpdir(), 'nereid-bulk-export-'))
    execFileSync(transferPython(), [
      join(FIXTURES, 'make-exporter-fixture.py'),
      input,
      '--bulk',
      String(RUNS),
      String(POINTS),
    ])
    source = await startServer('acme')
    target = await startServer('elsewhere')
  }, 600_000)
  afterAll(async () => {
    await source?.stop()
    await target?.stop()
    await rm(input, { recursive: true, force: true })
    await rm(exportDir, { recursive: true, force: true })
  })

  it('a neptune-exporter import killed mid-way continues and writes every point once', async () => {
    const interrupted = await killMidway(
      source,
      ['import', 'neptune-exporter', input],
      async () => {
        return (await seriesTotal(source, 'acme/bulk', 'BULK-4', 'metrics/a')) > 0
      },
    )
    expect(interrupted.killed).toBe(true)
    // Runs are read in file-name order (BULK-1, BULK-10, …, BULK-9): the last was not reached.
    expect(await seriesTotal(source, 'acme/bulk', 'BULK-9', 'metrics/b')).toBeLessThan(POINTS)

    const resumed = JSON.parse(
      (await source.cli(['import', 'neptune-exporter', input])).stdout,
    ) as Summary
    expect(resumed.skipped).toEqual([])
    // The runs finished before the kill are reported as there already, and not read again.
    expect(resumed.alreadyDone).toBeGreaterThanOrEqual(3)
    expect(resumed.objects + resumed.alreadyDone).toBe(RUNS)
    expect(resumed.points).toBeLessThan(RUNS * 2 * POINTS)
    await expectComplete(source, 'acme/bulk')

    const again = JSON.parse(
      (await source.cli(['import', 'neptune-exporter', input])).stdout,
    ) as Summary
    expect(again).toMatchObject({ objects: 0, alreadyDone: RUNS, fields: 0, points: 0 })
  }, 600_000)

  it('an export killed mid-way finishes when started again', async () => {
    const interrupted = await killMidway(source, ['export', 'acme/bulk', exportDir], async () =>
      (['float-series', 'fields'] as const).some(
        (table) =>
          existsSync(join(exportDir, table)) &&
          readdirSync(join(exportDir, table)).some((name) => name.endsWith('.tmp')),
      ),
    )
    expect(interrupted.killed).toBe(true)
    expect(existsSync(join(exportDir, 'manifest.json'))).toBe(false)

    const resumed = JSON.parse(
      (await source.cli(['export', 'acme/bulk', exportDir])).stdout,
    ) as Summary
    expect(resumed.skipped).toEqual([])
    expect(resumed.points).toBe(RUNS * 2 * POINTS)
    expect(existsSync(join(exportDir, 'manifest.json'))).toBe(true)
    expect(readdirSync(join(exportDir, 'float-series')).every((n) => n.endsWith('.parquet'))).toBe(
      true,
    )
  }, 600_000)

  it('a nereid import killed mid-way continues and writes every point once', async () => {
    const interrupted = await killMidway(target, ['import', 'nereid', exportDir], async () => {
      return (await seriesTotal(target, 'acme/bulk', 'BULK-4', 'metrics/a')) > 0
    })
    expect(interrupted.killed).toBe(true)

    const resumed = JSON.parse(
      (await target.cli(['import', 'nereid', exportDir])).stdout,
    ) as Summary
    expect(resumed.skipped).toEqual([])
    expect(resumed.alreadyDone).toBeGreaterThanOrEqual(3)
    // The project's own object holds no fields here, so it is not counted.
    expect(resumed.objects + resumed.alreadyDone).toBe(RUNS)
    await expectComplete(target, 'acme/bulk')

    const again = JSON.parse((await target.cli(['import', 'nereid', exportDir])).stdout) as Summary
    expect(again).toMatchObject({ objects: 0, alreadyDone: RUNS, fields: 0, points: 0 })
  }, 600_000)
})
