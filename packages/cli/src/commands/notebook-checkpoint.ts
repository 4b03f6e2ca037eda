import { createNotebookCheckpoint } from '@nereid/client'

/** `nereid notebook checkpoint <file.ipynb>`: records the notebook's content, like a commit. */
export async function notebookCheckpointCommand(
  file: string,
  options: { name?: string; project?: string; message?: string; apiToken?: string },
): Promise<void> {
  const result = await createNotebookCheckpoint({
    path: file,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.message !== undefined ? { message: options.message } : {}),
    ...(options.apiToken !== undefined ? { apiToken: options.apiToken } : {}),
  })
  const { notebook, checkpoint } = result
  process.stdout.write(
    result.created
      ? `Recorded checkpoint ${checkpoint.number} of notebook "${notebook.name}" (${notebook.shortId}); checkpoint id ${checkpoint.id}\n`
      : `Notebook "${notebook.name}" (${notebook.shortId}) is unchanged since checkpoint ${checkpoint.number}; checkpoint id ${checkpoint.id}\n`,
  )
}
