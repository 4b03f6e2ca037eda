import { resolve } from 'node:path'
import { LIMITS, NereidError, isNereidError, parseOperation, validatePath } from '@nereid/core'
import { expandFiles } from './file-glob.js'
import type { ObjectContext } from './object-context.js'
import type { SeriesValues } from './object-reader.js'
import type { FileSource } from './queue/log-record.js'
import type { SeriesState } from './queue/operation-buffer.js'
import { FileValue, assignments, describe, type FileOptions } from './values.js'

export interface AppendOptions {
  /** Must be greater than the previous step; the previous step + 1 when absent. */
  step?: number
  /** When the value was produced (epoch ms or a Date); now when absent. */
  timestamp?: number | Date
}

export interface ExtendOptions {
  steps?: readonly number[]
  timestamps?: readonly (number | Date)[]
}

export interface UploadFilesOptions {
  /** Replace the whole file set instead of adding to it (default false). */
  reset?: boolean
  /** Paths in the set are relative to this folder (default: the working directory). */
  base?: string
}

/**
 * A path in an object's field tree (`run.field('train/loss')`). What a method does decides the
 * field's type on its first write, as in Neptune: `assign` an atom (or a namespace, from an
 * object), `append`/`extend` a series, `upload` a file, `uploadFiles` a file set, `add` a
 * string set, `trackFiles` an artifact. Writes return at once; reads are async.
 */
export class FieldHandle {
  readonly path: string
  readonly #context: ObjectContext
  #floats: SeriesState | null = null
  #strings: SeriesState | null = null

  constructor(context: ObjectContext, path: string) {
    this.#context = context
    this.path = path
  }

  /** Assigns a value: number (float), integer(n) or bigint, boolean, string, Date, FileValue, or an object of them (a namespace). */
  assign(value: unknown): void {
    writeAssignments(this.#context, this.path, value)
  }

  /** Appends one point to a float series (number), string series (string) or file series (FileValue). */
  append(value: number | string | FileValue, options?: AppendOptions): void {
    if (typeof value === 'number') {
      const series = (this.#floats ??= this.#context.writer.series(this.path, 'floatSeries'))
      if (options === undefined) {
        this.#context.writer.appendFloat(series, value, Number.NaN, this.#context.env.now())
      } else {
        this.#context.writer.appendFloat(
          series,
          value,
          stepOf(options.step, this.path),
          this.#timestamp(options.timestamp),
        )
      }
      return
    }
    this.extend([value] as number[] | string[] | FileValue[], {
      ...(options?.step !== undefined ? { steps: [options.step] } : {}),
      ...(options?.timestamp !== undefined ? { timestamps: [options.timestamp] } : {}),
    })
  }

  /** Appends several points; `steps` and `timestamps`, when given, have one entry per value. */
  extend(
    values: readonly number[] | readonly string[] | readonly FileValue[],
    options: ExtendOptions = {},
  ): void {
    const { steps, timestamps } = options
    if (steps !== undefined && steps.length !== values.length)
      throw invalid(
        this.path,
        `steps has ${steps.length} entries but there are ${values.length} values`,
      )
    if (timestamps !== undefined && timestamps.length !== values.length)
      throw invalid(
        this.path,
        `timestamps has ${timestamps.length} entries but there are ${values.length} values`,
      )
    if (values.length === 0) return
    const kind = typeof values[0]
    const writer = this.#context.writer
    if (kind === 'number') {
      for (const value of values) if (typeof value !== 'number') throw mixed(this.path, value)
      const series = (this.#floats ??= writer.series(this.path, 'floatSeries'))
      for (let i = 0; i < values.length; i++) {
        writer.appendFloat(
          series,
          values[i] as number,
          stepOf(steps?.[i], this.path),
          this.#timestamp(timestamps?.[i]),
        )
      }
      return
    }
    if (kind === 'string') {
      for (const value of values) {
        if (typeof value !== 'string') throw mixed(this.path, value)
        if (value.length > LIMITS.maxSeriesStringLength)
          throw invalid(
            this.path,
            `a string of ${value.length} characters is longer than the limit of ${LIMITS.maxSeriesStringLength}`,
          )
      }
      const series = (this.#strings ??= writer.series(this.path, 'stringSeries'))
      for (let i = 0; i < values.length; i++) {
        writer.appendString(
          series,
          values[i] as string,
          stepOf(steps?.[i], this.path),
          this.#timestamp(timestamps?.[i]),
        )
      }
      return
    }
    if (values[0] instanceof FileValue) {
      for (const value of values) if (!(value instanceof FileValue)) throw mixed(this.path, value)
      writer.assertWritable()
      const series = writer.series(this.path, 'fileSeries')
      const stepList: (number | null)[] = []
      const accepted: FileValue[] = []
      const times: number[] = []
      for (let i = 0; i < values.length; i++) {
        const step = stepOf(steps?.[i], this.path)
        if (!writer.acceptStep(series, step)) continue
        stepList.push(Number.isNaN(step) ? null : step)
        accepted.push(values[i] as FileValue)
        times.push(this.#timestamp(timestamps?.[i]))
      }
      if (accepted.length === 0) return
      writer.writeFiles(
        {
          op: 'appendFiles',
          path: this.path,
          values: accepted.map((file) => ({
            source: fileSource(this.#context, file, this.path),
            ...fileMeta(file),
          })),
          steps: stepList,
          timestamps: times,
        },
        'fileSeries',
      )
      return
    }
    throw invalid(
      this.path,
      `cannot append ${describe(values[0])}; append numbers (float series), strings (string series) or FileValues (file series)`,
    )
  }

  /** Uploads a file: a path (read when it is sent), a Buffer, a readable stream or a FileValue. */
  upload(
    file: string | Uint8Array | AsyncIterable<Uint8Array> | FileValue,
    options: FileOptions = {},
  ): void {
    const value = FileValue.from(file, this.path)
    writeFile(this.#context, this.path, value, options)
  }

  /** Uploads files into a file set: paths, folders (everything under them) or globs. */
  uploadFiles(patterns: string | readonly string[], options: UploadFilesOptions = {}): void {
    const writer = this.#context.writer
    writer.assertWritable()
    validatePath(this.path)
    const env = this.#context.env
    const files = expandFiles(
      env.fs,
      typeof patterns === 'string' ? [patterns] : patterns,
      resolve(env.cwd(), options.base ?? '.'),
    )
    if (files.length === 0) {
      throw new NereidError(
        'FILE_NOT_FOUND',
        `no file matches ${JSON.stringify(patterns)}; nothing was uploaded to "${this.path}"`,
        { path: this.path },
      )
    }
    writer.writeFiles(
      {
        op: 'uploadFileSet',
        path: this.path,
        reset: options.reset ?? false,
        files: files.map((file) => ({
          path: file.path,
          source: { kind: 'path', path: file.absolute },
          mtime: Math.round(file.mtime),
        })),
      },
      'fileSet',
    )
  }

  /** Adds values to a string set (`run.field('sys/tags').add(['baseline'])`). */
  add(values: string | readonly string[]): void {
    const list = stringList(values, this.path)
    if (list.length === 0) return
    this.#context.writer.write({ op: 'addStrings', path: this.path, values: list }, 'stringSet')
  }

  remove(values: string | readonly string[]): void {
    const list = stringList(values, this.path)
    if (list.length === 0) return
    this.#context.writer.write({ op: 'removeStrings', path: this.path, values: list }, 'stringSet')
  }

  /** Empties a string set, a series or an artifact (the field keeps its type). */
  clear(): void {
    const type = this.#context.writer.registry.typeOf(this.path)
    const writer = this.#context.writer
    switch (type) {
      case 'stringSet':
        return writer.write({ op: 'clearStringSet', path: this.path }, 'stringSet')
      case 'floatSeries':
      case 'stringSeries':
      case 'fileSeries':
        writer.write({ op: 'clearSeries', path: this.path, seriesType: type }, type)
        this.#floats = null
        this.#strings = null
        return
      case 'artifact':
        return writer.write({ op: 'clearArtifact', path: this.path }, 'artifact')
      default:
        throw new NereidError(
          'VALIDATION_FAILED',
          `clear() needs to know the type of "${this.path}": write it first, or call sync() to learn the fields the object already has`,
          { path: this.path },
        )
    }
  }

  /**
   * Tracks files as an artifact: their listing and content hashes are recorded (computed when
   * the operation is sent), the bytes stay where they are.
   */
  trackFiles(paths: string | readonly string[]): void {
    const writer = this.#context.writer
    writer.assertWritable()
    const list = typeof paths === 'string' ? [paths] : [...paths]
    const sources = list.map((path) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
        throw invalid(
          this.path,
          `only local files can be tracked by this SDK; "${path}" is a remote location`,
        )
      }
      const absolute = resolve(this.#context.env.cwd(), path)
      if (!this.#context.env.fs.existsSync(absolute))
        throw new NereidError('FILE_NOT_FOUND', `cannot track "${path}": it does not exist`, {
          path: this.path,
        })
      return absolute
    })
    if (sources.length === 0) return
    writer.writeFiles({ op: 'trackArtifact', path: this.path, sources }, 'artifact')
  }

  /** Deletes the field and its data. */
  delete(): void {
    this.#context.writer.write({ op: 'deleteField', path: this.path }, null)
    this.#floats = null
    this.#strings = null
  }

  /**
   * The value: an atom's value, a string set's values, a series' last value, a file's
   * description, or for a namespace an object of everything under it.
   */
  async fetch(): Promise<unknown> {
    return (await this.#context.reader()).fetch(this.path)
  }

  /** Every point of a series (or those in a step range), in step order. */
  async fetchValues(
    options: { fromStep?: number; toStep?: number; limit?: number } = {},
  ): Promise<SeriesValues> {
    return (await this.#context.reader()).fetchValues(this.path, options)
  }

  /** The last value of a series. */
  async fetchLast(): Promise<unknown> {
    return (await this.#context.reader()).fetch(this.path)
  }

  /**
   * Downloads a file (to `destination`, a file or folder; the working directory by default) or
   * a file set (into the folder `destination`). Returns where it was written.
   */
  async download(destination?: string, options: { index?: number } = {}): Promise<string> {
    return (await this.#context.reader()).download(this.path, destination, options)
  }

  async exists(): Promise<boolean> {
    const reader = await this.#context.reader()
    try {
      await reader.fetch(this.path)
      return true
    } catch (error) {
      if (isNereidError(error) && error.code === 'FIELD_NOT_FOUND') return false
      throw error
    }
  }

  #timestamp(value: number | Date | undefined): number {
    if (value === undefined) return this.#context.env.now()
    const ms = value instanceof Date ? value.getTime() : value
    if (typeof ms !== 'number' || !Number.isFinite(ms))
      throw invalid(this.path, `timestamp ${String(value)} is not a valid time`)
    return ms
  }
}

/** Writes `value` at `path` (an object: a namespace), all or nothing. */
export function writeAssignments(context: ObjectContext, path: string, value: unknown): void {
  const writer = context.writer
  writer.assertWritable()
  const list = assignments(path, value)
  // Check everything first: a bad value inside a namespace writes nothing at all.
  for (const item of list) {
    if ('wire' in item) {
      try {
        parseOperation(item.wire)
      } catch (error) {
        throw isNereidError(error) ? error : invalid(item.path, String(error))
      }
    }
    writer.registry.check(item.path, item.type)
  }
  for (const item of list) {
    if ('wire' in item) writer.write(item.wire, item.type)
    else writeFile(context, item.path, item.file, {})
  }
}

function writeFile(
  context: ObjectContext,
  path: string,
  value: FileValue,
  options: FileOptions,
): void {
  const writer = context.writer
  writer.assertWritable()
  validatePath(path)
  writer.writeFiles(
    {
      op: 'uploadFile',
      path,
      source: fileSource(context, value, path),
      // Options given to upload() override those of the FileValue.
      ...fileMeta({ content: value.content, options: { ...value.options, ...options } }),
    },
    'file',
  )
}

function fileMeta(file: { content: FileValue['content']; options: FileOptions }) {
  const name =
    file.options.name ??
    (file.content.kind === 'path'
      ? file.content.path.slice(file.content.path.replace(/\\/g, '/').lastIndexOf('/') + 1)
      : undefined)
  return {
    ...(name !== undefined ? { name } : {}),
    ...(file.options.ext !== undefined ? { ext: file.options.ext } : {}),
    ...(file.options.contentType !== undefined ? { contentType: file.options.contentType } : {}),
    ...(file.options.description !== undefined ? { description: file.options.description } : {}),
  }
}

function fileSource(context: ObjectContext, file: FileValue, path: string): FileSource {
  const content = file.content
  if (content.kind === 'path') {
    const absolute = resolve(context.env.cwd(), content.path)
    let isFile = false
    try {
      isFile = context.env.fs.statSync(absolute).isFile()
    } catch {
      isFile = false
    }
    if (!isFile)
      throw new NereidError(
        'FILE_NOT_FOUND',
        `cannot upload "${content.path}" to "${path}": no such file (nothing was sent)`,
        { path },
      )
    return { kind: 'path', path: absolute }
  }
  if (content.kind === 'bytes') return context.writer.storeBytes(content.bytes)
  return context.writer.storeStream(content.stream, path)
}

function stepOf(step: number | undefined, path: string): number {
  if (step === undefined) return Number.NaN
  if (typeof step !== 'number' || !Number.isFinite(step))
    throw invalid(path, `step ${String(step)} is not a finite number`)
  return step
}

function stringList(values: string | readonly string[], path: string): string[] {
  const list = typeof values === 'string' ? [values] : [...values]
  for (const value of list)
    if (typeof value !== 'string')
      throw invalid(path, `string sets hold strings; got ${describe(value)}`)
  return list
}

function mixed(path: string, value: unknown): NereidError {
  return invalid(path, `all values of one extend() must have the same type; got ${describe(value)}`)
}

function invalid(path: string, message: string): NereidError {
  return new NereidError('VALUE_INVALID', `"${path}": ${message}`, { path })
}
