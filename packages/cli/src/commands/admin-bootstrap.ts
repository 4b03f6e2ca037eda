import { bootstrap, openStore } from '@nereid/server'

/** Prints exactly one line on stdout, the token, so scripts can capture it. */
export async function adminBootstrapCommand(options: {
  workspace: string
  project?: string
  data: string
  publicUrl?: string
}): Promise<void> {
  const store = await openStore(options.data)
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
