import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { NereidError } from '@nereid/core'
import type { FileSystem } from './env.js'

export interface MatchedFile {
  /** The file's path inside the file set ("/"-separated, relative). */
  path: string
  absolute: string
  mtime: number
}

const GLOB_CHARS = /[*?[]/

/**
 * The files a file-set upload means: a file, a folder (everything under it), or a glob with
 * `*`, `**`, `?` and `[…]`. Paths inside the set are relative to `base` (the working directory
 * by default); files outside it keep their path below the folder the pattern starts from.
 */
export function expandFiles(
  fs: FileSystem,
  patterns: readonly string[],
  base: string,
): MatchedFile[] {
  const found = new Map<string, MatchedFile>()
  for (const pattern of patterns) {
    const matches = GLOB_CHARS.test(pattern)
      ? matchGlob(fs, pattern, base)
      : matchPlain(fs, resolve(base, pattern))
    if (matches === null) {
      throw new NereidError(
        'FILE_NOT_FOUND',
        `nothing to upload: "${pattern}" does not exist (relative paths start at ${base})`,
        { pattern },
      )
    }
    for (const { absolute, root } of matches) {
      if (found.has(absolute)) continue
      const inside = relative(base, absolute)
      const name = inside.startsWith('..') || isAbsolute(inside) ? relative(root, absolute) : inside
      found.set(absolute, {
        path: name.split(sep).join('/'),
        absolute,
        mtime: fs.statSync(absolute).mtimeMs,
      })
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function matchPlain(fs: FileSystem, absolute: string): { absolute: string; root: string }[] | null {
  let stat
  try {
    stat = fs.statSync(absolute)
  } catch {
    return null
  }
  if (stat.isFile()) return [{ absolute, root: join(absolute, '..') }]
  return walk(fs, absolute).map((file) => ({ absolute: file, root: join(absolute, '..') }))
}

function matchGlob(
  fs: FileSystem,
  pattern: string,
  base: string,
): { absolute: string; root: string }[] {
  const absolutePattern = resolve(base, pattern).split(sep).join('/')
  const segments = absolutePattern.split('/')
  const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment))
  const root = segments.slice(0, firstGlob).join('/') || '/'
  const regex = globToRegExp(segments.slice(firstGlob).join('/'))
  let candidates: string[]
  try {
    candidates = walk(fs, root)
  } catch {
    return []
  }
  return candidates
    .filter((file) => regex.test(relative(root, file).split(sep).join('/')))
    .map((absolute) => ({ absolute, root }))
}

/** `*` any characters but "/", `**` any path, `?` one character, `[…]` a class. */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!
    if (char === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        source += '(?:.*/)?'
        i += 2
      } else {
        source += '.*'
        i += 1
      }
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end === -1) source += '\\['
      else {
        source += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

function walk(fs: FileSystem, folder: string): string[] {
  const out: string[] = []
  const entries = fs.readdirSync(folder, { withFileTypes: true }) as unknown as {
    name: string
    isDirectory(): boolean
    isFile(): boolean
  }[]
  for (const entry of entries) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) out.push(...walk(fs, path))
    else if (entry.isFile()) out.push(path)
  }
  return out
}
