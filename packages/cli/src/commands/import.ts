import { importNeptuneExporter, importNeptuneOffline, importNereid } from '@nereid/transfer'
import { CommandError } from '../command-error.js'
import {
  connect,
  runTransfer,
  stderrProgress,
  type ConnectionOptions,
} from './transfer-connection.js'

export async function importNeptuneExporterCommand(
  dir: string,
  options: ConnectionOptions & {
    workspace?: string
    projectMap?: string[]
    filesDir?: string
    errorsFile?: string
    seriesTimeOffset?: string
  },
): Promise<void> {
  const projectMap: Record<string, string> = {}
  for (const pair of options.projectMap ?? []) {
    const [from, to] = pair.split('=')
    if (!from || !to || !to.includes('/'))
      throw new CommandError(
        `--project-map "${pair}" must be old-workspace/old-project=workspace/project`,
      )
    projectMap[from] = to
  }
  const offset =
    options.seriesTimeOffset === undefined ? undefined : Number(options.seriesTimeOffset)
  if (offset !== undefined && !Number.isFinite(offset))
    throw new CommandError('--series-time-offset must be a number of minutes, e.g. -120')
  const api = connect(options)
  await runTransfer('import neptune-exporter', options, () =>
    importNeptuneExporter({
      api,
      dir,
      projectMap,
      progress: stderrProgress,
      ...(options.workspace ? { workspace: options.workspace } : {}),
      ...(options.filesDir ? { filesDir: options.filesDir } : {}),
      ...(options.errorsFile ? { errorsFile: options.errorsFile } : {}),
      ...(offset !== undefined ? { seriesTimeOffsetMinutes: offset } : {}),
    }),
  )
}

export async function importNeptuneOfflineCommand(
  dir: string,
  options: ConnectionOptions & { project?: string },
): Promise<void> {
  const project = options.project ?? process.env.NEPTUNE_PROJECT
  if (!project)
    throw new CommandError(
      'say which project the runs go to: --project workspace/project (or NEPTUNE_PROJECT)',
    )
  const api = connect(options)
  await runTransfer('import neptune-offline', options, () =>
    importNeptuneOffline({ api, dir, project, progress: stderrProgress }),
  )
}

export async function importNereidCommand(
  dir: string,
  options: ConnectionOptions & { project?: string },
): Promise<void> {
  const api = connect(options)
  await runTransfer('import nereid', options, () =>
    importNereid({
      api,
      dir,
      progress: stderrProgress,
      ...(options.project ? { project: options.project } : {}),
    }),
  )
}
