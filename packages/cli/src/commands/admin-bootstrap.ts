import { validateProjectName, validateWorkspaceName } from '@nereid/core'
import { bootstrap, openStore } from '@nereid/server'
import { storageSettings, type StorageFlags } from '../storage-options.js'

/** Prints exactly one line on stdout, the token, so scripts can capture it. */
export async function adminBootstrapCommand(
  options: StorageFlags & {
    workspace: string
    project?: string
    data: string
    publicUrl?: string
  },
): Promise<void> {
  // Bad names are refused before anything is opened, so a typo never creates a data folder.
  validateWorkspaceName(options.workspace)
  if (options.project !== undefined) validateProjectName(options.project)
  const store = await openStore(options.data, storageSettings(options))
  try {
    const result = await bootstrap(store, {
      publicUrl: (options.publicUrl ?? 'http://localhost:8080').replace(/\/+$/, ''),
      workspace: options.workspace,
      ...(options.project !== undefined ? { project: options.project } : {}),
      now: Date.now(),
    })
    if (result.password !== null)
      process.stderr.write(`created user "admin" with password ${result.password}\n`)
    process.stderr.write(
      `workspace "${result.workspace}"${result.project ? `, project "${result.workspace}/${result.project}"` : ''} ready\n`,
    )
    process.stdout.write(`${result.token}\n`)
  } finally {
    await store.close()
  }
}
