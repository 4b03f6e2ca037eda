import { basename, relative, resolve, sep } from 'node:path'
import { NereidError } from '@nereid/core'
import { connectProject, openTransport, requireProject } from './connection.js'
import { createClientEnv, type ClientEnv } from './env.js'
import type { NativeApi } from './transport/native-api.js'

export interface NotebookCheckpointOptions {
  /** The notebook file (.ipynb). */
  path: string
  /** The notebook's name in the project (default: the file name without `.ipynb`). */
  name?: string
  /** What changed, like a commit message. */
  message?: string
  project?: string
  apiToken?: string
  env?: Partial<ClientEnv>
}

export interface NotebookCheckpoint {
  notebook: { id: string; shortId: string; name: string }
  checkpoint: {
    id: string
    number: number
    hash: string
    size: number
    message: string
    createdAt: Date
  }
  /** False when the content equals the latest checkpoint's: that one is returned. */
  created: boolean
}

/**
 * Records a checkpoint of a notebook, like a commit: its content, a message, who and when. The
 * notebook is created in the project under its name on the first checkpoint. Recording the
 * same content again returns the latest checkpoint instead of making a copy.
 */
export async function createNotebookCheckpoint(
  options: NotebookCheckpointOptions,
): Promise<NotebookCheckpoint> {
  const env = createClientEnv(options.env)
  const http = openTransport(env, options.apiToken)
  const { api } = await connectProject(http, requireProject(env, options.project))
  return createCheckpointWith(api, env, options)
}

export async function createCheckpointWith(
  api: NativeApi,
  env: ClientEnv,
  options: { path: string; name?: string; message?: string },
): Promise<NotebookCheckpoint> {
  const file = resolve(env.cwd(), options.path)
  let content: Buffer
  try {
    content = env.fs.readFileSync(file) as Buffer
  } catch {
    throw new NereidError('FILE_NOT_FOUND', `notebook file ${options.path} not found`, {
      path: options.path,
    })
  }
  checkNotebook(content, options.path)
  const name = options.name ?? basename(file).replace(/\.ipynb$/i, '')
  const { hash } = await api.uploadBlob(content)
  const { notebook } = await api.ensureNotebook(name)
  const inside = relative(env.cwd(), file)
  const { checkpoint, created } = await api.createCheckpoint(notebook.id, {
    hash,
    ...(options.message !== undefined ? { message: options.message } : {}),
    path: (inside.startsWith('..') ? file : inside).split(sep).join('/'),
  })
  return {
    notebook: { id: notebook.id, shortId: notebook.shortId, name: notebook.name },
    checkpoint: {
      id: checkpoint.id,
      number: checkpoint.number,
      hash: checkpoint.hash,
      size: checkpoint.size,
      message: checkpoint.message,
      createdAt: new Date(checkpoint.createdAt),
    },
    created,
  }
}

function checkNotebook(content: Buffer, path: string): void {
  let parsed: unknown
  try {
    parsed = JSON.parse(content.toString('utf8'))
  } catch {
    parsed = null
  }
  const notebook = parsed as { cells?: unknown; worksheets?: unknown } | null
  if (
    typeof notebook !== 'object' ||
    notebook === null ||
    (!Array.isArray(notebook.cells) && !Array.isArray(notebook.worksheets))
  ) {
    throw new NereidError(
      'VALUE_INVALID',
      `${path} is not a Jupyter notebook (a .ipynb JSON file with "cells")`,
      { path },
    )
  }
}
