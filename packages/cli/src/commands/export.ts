import { exportProject } from '@nereid/transfer'
import {
  connect,
  runTransfer,
  stderrProgress,
  type ConnectionOptions,
} from './transfer-connection.js'

export async function exportCommand(
  project: string,
  dir: string,
  options: ConnectionOptions,
): Promise<void> {
  const api = connect(options)
  await runTransfer('export', options, () =>
    exportProject({ api, project, dir, progress: stderrProgress }),
  )
}
