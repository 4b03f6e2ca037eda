/** What a run records about its process on its own; each switch can be turned off. */
export interface CaptureOptions {
  /** `sys/hostname` and `monitoring/<hash>/hostname`. */
  hostname?: boolean
  /** `monitoring/<hash>/pid` and `tid`. */
  pid?: boolean
  /** System CPU use in percent, every `intervalMs`. */
  cpu?: boolean
  /** System memory in use, in GB, every `intervalMs`. */
  memory?: boolean
  /** GPU utilisation, memory and power from `nvidia-smi`, when it is installed. */
  gpu?: boolean
  /** What the process writes to stdout, as a string series of lines. */
  stdout?: boolean
  stderr?: boolean
  /** An uncaught exception or unhandled rejection sets `sys/failed` and stores the stack trace. */
  uncaughtErrors?: boolean
  /** The entry script (or `sourceFiles`) as `source_code/files`, and `source_code/entrypoint`. */
  sourceCode?: boolean
  /** Commit, branch, dirty flag and remotes as `source_code/git`; the uncommitted diff as `source_code/diff`. */
  git?: boolean
  /** How often resources are sampled (default 10 s). */
  intervalMs?: number
}

export type ResolvedCapture = Required<CaptureOptions>

export function resolveCapture(option: boolean | CaptureOptions | undefined): ResolvedCapture {
  const all = option !== false
  const given = typeof option === 'object' ? option : {}
  const pick = (key: Exclude<keyof CaptureOptions, 'intervalMs'>) => given[key] ?? all
  return {
    hostname: pick('hostname'),
    pid: pick('pid'),
    cpu: pick('cpu'),
    memory: pick('memory'),
    gpu: pick('gpu'),
    stdout: pick('stdout'),
    stderr: pick('stderr'),
    uncaughtErrors: pick('uncaughtErrors'),
    sourceCode: pick('sourceCode'),
    git: pick('git'),
    intervalMs: given.intervalMs ?? 10_000,
  }
}
