import { describe, expect, it } from 'vitest'
import { createRun, seedProject, write, type ConformanceContext } from './conformance-context.js'
import { defineImportCases } from './imports.case.js'

export function defineTransferCases(context: ConformanceContext): void {
  // The bookkeeping of `nereid import` travels with the table transfer of `nereid store copy`.
  defineImportCases(context)
  describe('table transfer', () => {
    it('lists every table with its key, each after the tables it refers to', async () => {
      const store = await context.createStore()
      const tables = await store.transfer.tables()
      const names = tables.map((table) => table.name)
      for (const name of [
        'workspaces',
        'projects',
        'objects',
        'fields',
        'series_blocks',
        'blobs',
      ]) {
        expect(names).toContain(name)
      }
      expect(names.some((name) => name.startsWith('nereid_migrations'))).toBe(false)
      expect(tables.find((t) => t.name === 'series_blocks')?.primaryKey).toEqual([
        'series_id',
        'block_no',
      ])
      for (const [index, table] of tables.entries()) {
        for (const parent of table.parents) {
          if (parent !== table.name) expect(names.indexOf(parent)).toBeLessThan(index)
        }
      }
      await store.close()
    })

    it('checksums every row: stable across reads, changed by any write', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      const run = await createRun(store, project.id, 1_000)
      const steps = Array.from({ length: 2_500 }, (_, i) => i)
      await write(
        store,
        run.id,
        [
          { op: 'assignFloat', path: 'params/lr', value: 0.5 },
          { op: 'addStrings', path: 'sys/tags', values: ['a', 'ü'] },
          { op: 'appendFloats', path: 'loss', steps, values: steps.map((s) => s / 3) },
        ],
        2_000,
      )
      const blocks = await store.transfer.checksum('series_blocks')
      expect(blocks.rows).toBe(await store.transfer.count('series_blocks'))
      expect(blocks.rows).toBeGreaterThan(0)
      expect(await store.transfer.checksum('series_blocks')).toEqual(blocks)
      const fields = await store.transfer.checksum('fields')
      await write(store, run.id, [{ op: 'assignFloat', path: 'params/lr', value: 0.25 }], 3_000)
      const changed = await store.transfer.checksum('fields')
      expect(changed.rows).toBe(fields.rows)
      expect(changed.sha256).not.toBe(fields.sha256)
      await store.close()
    })

    it('reads pages in key order, resumes after a key, and leaves existing rows alone', async () => {
      const store = await context.createStore()
      const { project } = await seedProject(store)
      for (let i = 0; i < 5; i++) await createRun(store, project.id, 1_000 + i)
      const all = await store.transfer.read('objects', null, 100)
      const first = await store.transfer.read('objects', null, 2)
      const rest = await store.transfer.read('objects', [first[1]!.id], 100)
      expect([...first, ...rest]).toEqual(all)
      expect(all.map((row) => row.id)).toEqual([...all.map((row) => row.id)].sort())
      expect(await store.transfer.lastKey('objects')).toEqual([all.at(-1)!.id])
      const before = await store.transfer.checksum('objects')
      expect(await store.transfer.write('objects', all.slice(0, 3))).toBe(0)
      expect(await store.transfer.checksum('objects')).toEqual(before)
      await store.close()
    })
  })
}
