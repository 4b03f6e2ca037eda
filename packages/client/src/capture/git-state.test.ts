import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseCommitLine, parseRemotes, readGitState } from './git-state.js'

describe('git state', () => {
  let folder = ''
  afterEach(() => rmSync(folder, { recursive: true, force: true }))

  it('parses the commit line and remotes', () => {
    expect(
      parseCommitLine(
        `${'a'.repeat(40)}\0fix it\0Ada\0ada@example.com\u00002026-01-02T03:04:05+00:00\n`,
      ),
    ).toEqual({
      commitId: 'a'.repeat(40),
      message: 'fix it',
      authorName: 'Ada',
      authorEmail: 'ada@example.com',
      commitDate: Date.UTC(2026, 0, 2, 3, 4, 5),
    })
    expect(parseCommitLine('fatal: bad revision')).toBeNull()
    expect(
      parseRemotes(
        'origin\tgit@example.com:a/b.git (fetch)\norigin\tgit@example.com:a/b.git (push)\nfork\thttps://example.com/c (fetch)\n',
      ),
    ).toEqual(['git@example.com:a/b.git', 'https://example.com/c'])
  })

  it('reads commit, branch, dirty flag, remotes and the uncommitted diff of a real repository', async () => {
    folder = mkdtempSync(join(tmpdir(), 'nereid-git-'))
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=Ada', '-c', 'user.email=ada@example.com', ...args], {
        cwd: folder,
      }).toString()
    git('init', '-q', '-b', 'trunk')
    writeFileSync(join(folder, 'train.py'), 'print(1)\n')
    git('add', '.')
    git('commit', '-q', '-m', 'start')
    git('remote', 'add', 'origin', 'https://example.com/repo.git')
    const clean = await readGitState(folder)
    expect(clean?.state).toMatchObject({
      commitId: git('rev-parse', 'HEAD').trim(),
      branch: 'trunk',
      dirty: false,
      message: 'start',
      remotes: ['https://example.com/repo.git'],
    })
    expect(clean?.diff).toBe('')
    writeFileSync(join(folder, 'train.py'), 'print(2)\n')
    const dirty = await readGitState(folder)
    expect(dirty?.state.dirty).toBe(true)
    expect(dirty?.diff).toContain('+print(2)')
  })

  it('is null outside a repository', async () => {
    folder = mkdtempSync(join(tmpdir(), 'nereid-nogit-'))
    expect(await readGitState(folder)).toBeNull()
  })
})
