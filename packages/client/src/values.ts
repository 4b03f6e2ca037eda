import {
  LIMITS,
  NereidError,
  floatToWire,
  validatePath,
  type FieldType,
  type OperationWire,
} from '@nereid/core'

/** An integer field value (`assign(integer(10))`); plain numbers are stored as floats. */
export class IntegerValue {
  readonly value: number
  constructor(value: number | bigint) {
    const number = typeof value === 'bigint' ? Number(value) : value
    if (!Number.isSafeInteger(number) || (typeof value === 'bigint' && BigInt(number) !== value)) {
      throw new NereidError(
        'VALUE_INVALID',
        `${String(value)} is not an integer in the exact range ±2^53; store it as a float or a string`,
      )
    }
    this.value = number
  }
}

/**
 * Marks a number as an integer. JavaScript has one number type, so `assign(10)` stores a float
 * (as Neptune stores a Python float); `assign(integer(10))` or `assign(10n)` stores an integer.
 */
export function integer(value: number | bigint): IntegerValue {
  return new IntegerValue(value)
}

export type FileContent =
  | { kind: 'path'; path: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'stream'; stream: AsyncIterable<Uint8Array> }

export interface FileOptions {
  /** File name shown and used for downloads (default: the file's own name, or "file"). */
  name?: string
  /** Extension without the dot (default: taken from the name). */
  ext?: string
  contentType?: string
  /** For file series (images): a caption of the point. */
  description?: string
}

/**
 * A file to upload: `upload(FileValue.fromBuffer(png, { name: 'sample.png' }))`, or a point of
 * a file series (`field('images').append(FileValue.fromPath('a.png'))`). Paths are read when
 * the operation is sent; Buffers and streams are copied into the run's local folder first, so
 * they survive a crash.
 */
export class FileValue {
  readonly content: FileContent
  readonly options: FileOptions

  private constructor(content: FileContent, options: FileOptions) {
    this.content = content
    this.options = options
  }

  static fromPath(path: string, options: FileOptions = {}): FileValue {
    return new FileValue({ kind: 'path', path }, options)
  }

  static fromBuffer(bytes: Uint8Array, options: FileOptions = {}): FileValue {
    return new FileValue({ kind: 'bytes', bytes }, options)
  }

  static fromStream(stream: AsyncIterable<Uint8Array>, options: FileOptions = {}): FileValue {
    return new FileValue({ kind: 'stream', stream }, options)
  }

  /** Accepts what `upload()` accepts: a path, bytes, a stream or a FileValue. */
  static from(value: unknown, path: string): FileValue {
    if (value instanceof FileValue) return value
    if (typeof value === 'string') return FileValue.fromPath(value)
    if (value instanceof Uint8Array) return FileValue.fromBuffer(value)
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function'
    ) {
      return FileValue.fromStream(value as AsyncIterable<Uint8Array>)
    }
    throw new NereidError(
      'VALUE_INVALID',
      `cannot upload ${describe(value)} to "${path}"; give a file path, a Buffer, a readable stream or a FileValue`,
      { path },
    )
  }
}

/** One field write an assignment turns into. */
export type Assignment =
  | { path: string; type: FieldType; wire: OperationWire }
  | { path: string; type: 'file'; file: FileValue }

/**
 * Turns `assign(value)` at `path` into field writes. A plain object assigns a namespace: each
 * key becomes a sub-path. The whole value is checked before anything is written, so a bad
 * value somewhere inside a namespace writes nothing at all.
 */
export function assignments(path: string, value: unknown): Assignment[] {
  const out: Assignment[] = []
  collect(path, value, out, 0)
  return out
}

function collect(path: string, value: unknown, out: Assignment[], depth: number): void {
  if (depth > 32)
    throw new NereidError('VALUE_INVALID', `"${path}" nests more than 32 levels deep`, { path })
  if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key.length === 0 || key.includes('/')) {
        throw new NereidError(
          'PATH_INVALID',
          `key "${key}" under "${path || '(root)'}" cannot be a path segment; keys must be non-empty and contain no "/"`,
          { path },
        )
      }
      collect(path ? `${path}/${key}` : key, inner, out, depth + 1)
    }
    return
  }
  validatePath(path)
  out.push(atom(path, value))
}

function atom(path: string, value: unknown): Assignment {
  switch (typeof value) {
    case 'number':
      return { path, type: 'float', wire: { op: 'assignFloat', path, value: floatToWire(value) } }
    case 'bigint':
      return {
        path,
        type: 'int',
        wire: { op: 'assignInt', path, value: new IntegerValue(value).value },
      }
    case 'boolean':
      return { path, type: 'bool', wire: { op: 'assignBool', path, value } }
    case 'string':
      if (value.length > LIMITS.maxStringLength) {
        throw new NereidError(
          'VALUE_INVALID',
          `the string for "${path}" is ${value.length} characters long; the limit is ${LIMITS.maxStringLength} (upload long text as a file)`,
          { path },
        )
      }
      return { path, type: 'string', wire: { op: 'assignString', path, value } }
  }
  if (value instanceof IntegerValue)
    return { path, type: 'int', wire: { op: 'assignInt', path, value: value.value } }
  if (value instanceof Date) {
    const ms = value.getTime()
    if (!Number.isFinite(ms))
      throw new NereidError('VALUE_INVALID', `the Date for "${path}" is invalid`, { path })
    return { path, type: 'datetime', wire: { op: 'assignDatetime', path, value: ms } }
  }
  if (value instanceof FileValue) return { path, type: 'file', file: value }
  throw new NereidError(
    'VALUE_INVALID',
    `cannot assign ${describe(value)} to "${path}": assign numbers, integer(n), bigint, booleans, strings, Dates, FileValues or objects of them; use extend() for a series, add() for a string set, or JSON.stringify() to store it as text`,
    { path, valueType: describe(value) },
  )
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** A short description of a value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object')
    return `an object of class ${(value as object).constructor?.name ?? 'unknown'}`
  if (typeof value === 'function') return 'a function'
  return `a ${typeof value}`
}
