import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Finds what a neptune-exporter output holds (../shared/neptune-exporter-format.md §1): project
 * folders under the data roots, each run's Parquet parts, and the matching files roots.
 */

export type ExportScope = 'run' | 'model' | 'modelVersion'

export interface ExporterRoots {
  data: string
  files: string | null
  modelData: string | null
  modelFiles: string | null
}

/** One run, model or model version: its parts, in part order. */
export interface ExportedEntity {
  scope: ExportScope
  /** Folder name of the project under the data root (= under the files root). */
  projectDir: string
  /** The parts of this entity (per-run layout), or the shared parts of a legacy layout. */
  parts: string[]
  /** Legacy multi-run parts hold several entities; rows are filtered by run id then. */
  legacy: boolean
  /** Name prefix of the parts (per-run layout), for messages. */
  handle: string
  filesRoot: string | null
}

export interface ExporterScan {
  entities: ExportedEntity[]
  /** Runs whose parts lack part_0: the exporter had not finished them. */
  incomplete: string[]
}

/**
 * Accepts the folder that holds `data/` (and `files/`, `model_data/`, `model_files/`), as the
 * exporter writes by default, or a data root itself.
 */
export function resolveRoots(dir: string, filesOverride?: string): ExporterRoots {
  const exists = (path: string) => existsSync(path) && statSync(path).isDirectory()
  if (exists(join(dir, 'data')) || exists(join(dir, 'model_data'))) {
    return {
      data: join(dir, 'data'),
      files: filesOverride ?? (exists(join(dir, 'files')) ? join(dir, 'files') : null),
      modelData: exists(join(dir, 'model_data')) ? join(dir, 'model_data') : null,
      modelFiles: exists(join(dir, 'model_files')) ? join(dir, 'model_files') : null,
    }
  }
  const sibling = join(dir, '..', 'files')
  return {
    data: dir,
    files: filesOverride ?? (exists(sibling) ? sibling : null),
    modelData: null,
    modelFiles: null,
  }
}

const PART = /^(.*)_part_(\d+)\.parquet$/
const LEGACY_PART = /^part_(\d+)\.parquet$/

export function scanExport(roots: ExporterRoots): ExporterScan {
  const scan: ExporterScan = { entities: [], incomplete: [] }
  if (existsSync(roots.data)) scanRoot(roots.data, roots.files, 'run', scan)
  if (roots.modelData) {
    for (const projectDir of projectDirs(roots.modelData)) {
      const base = join(roots.modelData, projectDir)
      for (const [folder, scope] of [
        ['models', 'model'],
        ['model_versions', 'modelVersion'],
      ] as const) {
        if (existsSync(join(base, folder)))
          scanFolder(join(base, folder), projectDir, roots.modelFiles, scope, scan)
      }
    }
  }
  // Models before their versions, versions before runs: a version needs its model.
  const order: Record<ExportScope, number> = { model: 0, modelVersion: 1, run: 2 }
  scan.entities.sort((a, b) => order[a.scope] - order[b.scope])
  return scan
}

function projectDirs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
}

function scanRoot(root: string, filesRoot: string | null, scope: ExportScope, scan: ExporterScan) {
  for (const projectDir of projectDirs(root))
    scanFolder(join(root, projectDir), projectDir, filesRoot, scope, scan)
}

function scanFolder(
  folder: string,
  projectDir: string,
  filesRoot: string | null,
  scope: ExportScope,
  scan: ExporterScan,
): void {
  const groups = new Map<string, Map<number, string>>()
  const legacy: [number, string][] = []
  for (const name of readdirSync(folder).sort()) {
    const legacyMatch = LEGACY_PART.exec(name)
    if (legacyMatch) {
      legacy.push([Number(legacyMatch[1]), join(folder, name)])
      continue
    }
    const match = PART.exec(name)
    if (!match) continue
    const handle = match[1]!
    let parts = groups.get(handle)
    if (!parts) groups.set(handle, (parts = new Map()))
    parts.set(Number(match[2]), join(folder, name))
  }
  for (const [handle, parts] of groups) {
    if (!parts.has(0)) {
      scan.incomplete.push(join(folder, `${handle}_part_*.parquet`))
      continue
    }
    const ordered = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([, path]) => path)
    scan.entities.push({ scope, projectDir, parts: ordered, legacy: false, handle, filesRoot })
  }
  if (legacy.length > 0) {
    scan.entities.push({
      scope,
      projectDir,
      parts: legacy.sort((a, b) => a[0] - b[0]).map(([, path]) => path),
      legacy: true,
      handle: 'part_*',
      filesRoot,
    })
  }
}
