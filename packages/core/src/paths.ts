import { ValidationError } from './errors.js'
import { LIMITS } from './limits.js'

/**
 * Checks a field path and returns it unchanged. A path is a `/`-separated list of non-empty
 * segments (`train/loss`, `params/optimizer/lr`). Leading, trailing or doubled slashes are
 * rejected rather than normalised, so a path always means one field.
 */
export function validatePath(path: unknown, field = 'path'): string {
  if (typeof path !== 'string') {
    throw new ValidationError(`${field} must be a string`, { field }, 'PATH_INVALID')
  }
  if (path.length === 0) {
    throw new ValidationError(
      `${field} is empty; give a path such as "train/loss"`,
      { field },
      'PATH_INVALID',
    )
  }
  if (path.length > LIMITS.maxPathLength) {
    throw new ValidationError(
      `${field} is ${path.length} characters long; the limit is ${LIMITS.maxPathLength}`,
      { field, length: path.length, limit: LIMITS.maxPathLength },
      'PATH_INVALID',
    )
  }
  if (path.startsWith('/') || path.endsWith('/') || path.includes('//')) {
    throw new ValidationError(
      `${field} "${truncate(path)}" has an empty segment; segments are separated by single "/"`,
      { field, path: truncate(path) },
      'PATH_INVALID',
    )
  }
  // Control characters would make paths unprintable in logs, tables and file names.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) {
    throw new ValidationError(
      `${field} contains a control character`,
      { field, path: truncate(path) },
      'PATH_INVALID',
    )
  }
  return path
}

/** Every proper prefix of a path that is itself a namespace: `a/b/c` → `a`, `a/b`. */
export function namespacePrefixes(path: string): string[] {
  const prefixes: string[] = []
  let index = path.indexOf('/')
  while (index !== -1) {
    prefixes.push(path.slice(0, index))
    index = path.indexOf('/', index + 1)
  }
  return prefixes
}

export function isSysPath(path: string): boolean {
  return path.startsWith('sys/')
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
