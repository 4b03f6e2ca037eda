import { dirname, relative, resolve, sep } from 'node:path'
import type { ClientEnv } from '../env.js'
import { expandFiles } from '../file-glob.js'
import type { ResolvedCapture } from './capture-options.js'
import type { CaptureSink } from './capture-sink.js'
import { captureStream } from './console-capture.js'
import { readGitState } from './git-state.js'
import { monitoringNamespace } from './monitoring-namespace.js'
import { startResourceMonitor } from './resource-monitor.js'
import { watchUncaughtErrors } from './uncaught-errors.js'
import type { GpuQuery } from './gpu.js'

export interface RunningCapture {
  namespace: string
  stop(): void
}

/**
 * Starts what a run records by itself (capture-options.ts). Everything goes through the same
 * checked, queued writes as user code; a capture that cannot work here (no git, no GPU, no
 * entry script) records nothing and says nothing.
 */
export async function startCapture(options: {
  sink: CaptureSink
  env: ClientEnv
  capture: ResolvedCapture
  /** Source code and git state are recorded for new runs only (as Neptune does). */
  isNewObject: boolean
  sourceFiles?: readonly string[] | undefined
  /** After a crash was recorded; `fatal` when the process is about to end. */
  onCrash(fatal: boolean): void
  gpuQuery?: GpuQuery
}): Promise<RunningCapture> {
  const { sink, env, capture } = options
  const namespace = monitoringNamespace(env.hostname(), env.pid, env.threadId)
  const stops: (() => void)[] = []

  if (capture.hostname) {
    sink.assign(`${namespace}/hostname`, env.hostname())
    if (options.isNewObject) sink.assign('sys/hostname', env.hostname())
  }
  if (capture.pid) {
    sink.assign(`${namespace}/pid`, String(env.pid))
    sink.assign(`${namespace}/tid`, String(env.threadId))
  }

  const entry = env.entryScript ? resolve(env.cwd(), env.entryScript) : undefined
  const entryExists = entry !== undefined && isFile(env, entry)
  if (capture.sourceCode && (options.isNewObject || options.sourceFiles)) {
    const patterns = options.sourceFiles ?? (entryExists ? [entry] : [])
    if (patterns.length > 0) {
      const files = expandFiles(env.fs, patterns, env.cwd())
      if (files.length > 0) sink.uploadFileSet('source_code/files', files)
    }
    if (entryExists) {
      const inside = relative(env.cwd(), entry)
      sink.assign(
        'source_code/entrypoint',
        (inside.startsWith('..') ? entry : inside).split(sep).join('/'),
      )
    }
  }

  if (capture.git && options.isNewObject) {
    const git = await readGitState(entryExists ? dirname(entry) : env.cwd())
    if (git) {
      sink.assignGitRef('source_code/git', git.state)
      if (git.diff.trim() !== '')
        sink.uploadBytes('source_code/diff', Buffer.from(git.diff), 'diff.patch')
    }
  }

  if (capture.stdout) stops.push(captureStream(process.stdout, sink, `${namespace}/stdout`).stop)
  if (capture.stderr) stops.push(captureStream(process.stderr, sink, `${namespace}/stderr`).stop)

  if (capture.cpu || capture.memory || capture.gpu) {
    stops.push(
      startResourceMonitor({
        sink,
        namespace,
        env,
        intervalMs: capture.intervalMs,
        cpu: capture.cpu,
        memory: capture.memory,
        gpu: capture.gpu,
        ...(options.gpuQuery ? { gpuQuery: options.gpuQuery } : {}),
      }).stop,
    )
  }

  if (capture.uncaughtErrors) {
    stops.push(
      watchUncaughtErrors((error, fatal) => {
        const now = sink.now()
        const text =
          error instanceof Error
            ? (error.stack ?? `${error.name}: ${error.message}`)
            : String(error)
        for (const line of text.split('\n')) sink.appendString(`${namespace}/traceback`, line, now)
        sink.assign('sys/failed', true)
        options.onCrash(fatal)
      }),
    )
  }

  return {
    namespace,
    stop() {
      for (const stop of stops.splice(0).reverse()) stop()
    },
  }
}

function isFile(env: ClientEnv, path: string): boolean {
  try {
    return env.fs.statSync(path).isFile()
  } catch {
    return false
  }
}
