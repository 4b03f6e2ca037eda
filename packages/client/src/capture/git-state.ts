import { execFile } from 'node:child_process'
import type { GitState } from './capture-sink.js'

export type GitRunner = (args: string[], cwd: string) => Promise<string>

const runGit: GitRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    execFile('git', args, { cwd, timeout: 10_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    )
  })

/**
 * The git state of the code in `cwd`: commit, branch, dirty flag, remotes, and the uncommitted
 * diff (tracked files, staged or not). Null when there is no git, no repository or no commit:
 * running outside git is normal.
 */
export async function readGitState(
  cwd: string,
  git: GitRunner = runGit,
): Promise<{ state: GitState; diff: string } | null> {
  try {
    await git(['rev-parse', '--show-toplevel'], cwd)
  } catch {
    return null
  }
  let commit: ReturnType<typeof parseCommitLine>
  try {
    commit = parseCommitLine(
      await git(['log', '-1', '--format=%H%x00%s%x00%an%x00%ae%x00%cI'], cwd),
    )
  } catch {
    return null
  }
  if (commit === null) return null
  const [branch, status, remotes, diff] = await Promise.all([
    git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd).catch(() => ''),
    git(['status', '--porcelain'], cwd).catch(() => ''),
    git(['remote', '-v'], cwd).catch(() => ''),
    git(['diff', 'HEAD'], cwd).catch(() => ''),
  ])
  const name = branch.trim()
  return {
    state: {
      ...commit,
      ...(name !== '' && name !== 'HEAD' ? { branch: name } : {}),
      dirty: status.trim() !== '',
      remotes: parseRemotes(remotes),
    },
    diff,
  }
}

/** `git log -1 --format=%H%x00%s%x00%an%x00%ae%x00%cI` → commit fields. */
export function parseCommitLine(line: string): Omit<GitState, 'dirty' | 'remotes'> | null {
  const [commitId, message, authorName, authorEmail, date] = line.trim().split('\0')
  if (!commitId || !/^[0-9a-f]{7,64}$/.test(commitId)) return null
  const commitDate = date ? Date.parse(date) : Number.NaN
  return {
    commitId,
    ...(message ? { message } : {}),
    ...(authorName ? { authorName } : {}),
    ...(authorEmail ? { authorEmail } : {}),
    ...(Number.isFinite(commitDate) ? { commitDate } : {}),
  }
}

/** `git remote -v` → distinct remote URLs, in order. */
export function parseRemotes(output: string): string[] {
  const urls: string[] = []
  for (const line of output.split('\n')) {
    const url = line.split(/\s+/)[1]
    if (url && !urls.includes(url)) urls.push(url)
  }
  return urls
}
