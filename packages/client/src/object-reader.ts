import { createWriteStream, mkdirSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { NereidError, floatFromWire, isNereidError, type FloatWire } from '@nereid/core'
import type { FieldWire, NativeApi } from './transport/native-api.js'

/** Points of a series in step order, as columns. Timestamps are epoch milliseconds. */
export type SeriesValues =
  | { type: 'floatSeries'; steps: Float64Array; timestamps: Float64Array; values: Float64Array }
  | { type: 'stringSeries'; steps: Float64Array; timestamps: Float64Array; values: string[] }
  | { type: 'fileSeries'; steps: Float64Array; timestamps: Float64Array; values: FileInfo[] }

export interface FileInfo {
  name: string
  ext: string
  size: number
  hash: string
  contentType: string
}

/** A field's value as JavaScript: numbers, strings, booleans, Dates, arrays and objects. */
export function fieldValue(field: FieldWire): unknown {
  const value = field.value
  switch (field.type) {
    case 'float':
      return floatFromWire(value.value as FloatWire)
    case 'int':
    case 'bool':
    case 'string':
      return value.value
    case 'datetime':
      return new Date(value.value as string)
    case 'stringSet':
      return [...(value.values as string[])].sort()
    case 'floatSeries':
      return value.last === null || value.last === undefined
        ? null
        : floatFromWire(value.last as FloatWire)
    case 'stringSeries':
    case 'fileSeries':
      return value.last ?? null
    case 'runState':
      return value.value
    case 'gitRef':
      return typeof value.commitDate === 'string'
        ? { ...value, commitDate: new Date(value.commitDate) }
        : value
    default:
      return value
  }
}

/** Reads one object through the native API. */
export class ObjectReader {
  readonly #api: NativeApi
  readonly #objectId: string

  constructor(api: NativeApi, objectId: string) {
    this.#api = api
    this.#objectId = objectId
  }

  async listFields(): Promise<FieldWire[]> {
    return (await this.#api.listFields(this.#objectId)).fields
  }

  async field(path: string): Promise<FieldWire | null> {
    try {
      return await this.#api.getField(this.#objectId, path)
    } catch (error) {
      if (isNereidError(error) && error.code === 'FIELD_NOT_FOUND') return null
      throw error
    }
  }

  /**
   * The value at `path`: a field's value, or for a namespace an object of everything under it
   * (series give their last value).
   */
  async fetch(path: string): Promise<unknown> {
    const field = await this.field(path)
    if (field) return fieldValue(field)
    const prefix = `${path}/`
    const under = (await this.listFields()).filter((f) => f.path.startsWith(prefix))
    if (under.length === 0) {
      throw new NereidError('FIELD_NOT_FOUND', `there is no field or namespace "${path}"`, {
        path,
      })
    }
    return nest(under, prefix.length)
  }

  async fetchAll(): Promise<Record<string, unknown>> {
    return nest(await this.listFields(), 0)
  }

  async fetchValues(
    path: string,
    options: { fromStep?: number; toStep?: number; limit?: number } = {},
  ): Promise<SeriesValues> {
    const steps: number[] = []
    const timestamps: number[] = []
    const values: unknown[] = []
    let type = ''
    const wanted = options.limit ?? Number.POSITIVE_INFINITY
    for (let offset = 0; ;) {
      const page = await this.#api.seriesPage(this.#objectId, path, {
        limit: Math.min(100_000, wanted - steps.length),
        offset,
        ...(options.fromStep !== undefined ? { fromStep: options.fromStep } : {}),
        ...(options.toStep !== undefined ? { toStep: options.toStep } : {}),
      })
      type = page.type
      for (let i = 0; i < page.steps.length; i++) {
        steps.push(page.steps[i]!)
        timestamps.push(page.timestamps[i]!)
        values.push(page.values[i])
      }
      offset += page.steps.length
      if (page.steps.length === 0 || offset >= page.total || steps.length >= wanted) break
    }
    const columns = {
      steps: Float64Array.from(steps),
      timestamps: Float64Array.from(timestamps),
    }
    if (type === 'floatSeries') {
      return {
        type,
        ...columns,
        values: Float64Array.from(values, (v) => floatFromWire(v as FloatWire)),
      }
    }
    if (type === 'stringSeries') return { type, ...columns, values: values as string[] }
    return { type: 'fileSeries', ...columns, values: values as FileInfo[] }
  }

  /** Writes a file field (or one point of a file series) to `destination`; returns the path. */
  async download(
    path: string,
    destination: string | undefined,
    options: { index?: number } = {},
  ): Promise<string> {
    const field = await this.field(path)
    if (!field) throw new NereidError('FIELD_NOT_FOUND', `there is no field "${path}"`, { path })
    if (field.type === 'fileSet') return this.#downloadFileSet(path, destination)
    if (field.type !== 'file' && field.type !== 'fileSeries') {
      throw new NereidError(
        'FIELD_TYPE_CONFLICT',
        `"${path}" is a ${field.type} field; only files, file sets and file series download`,
        { path },
      )
    }
    let name = String(field.value.name ?? basename(path))
    if (field.type === 'fileSeries') {
      if (options.index === undefined) {
        throw new NereidError(
          'VALIDATION_FAILED',
          `"${path}" is a file series; pass { index } to choose the point to download`,
          { path },
        )
      }
      name = `${basename(path)}-${options.index}`
    }
    const response = await this.#api.download(this.#objectId, {
      path,
      ...(options.index !== undefined ? { index: options.index } : {}),
    })
    const disposition = /filename\*=UTF-8''([^;]+)/.exec(
      response.headers.get('content-disposition') ?? '',
    )?.[1]
    if (disposition) name = decodeURIComponent(disposition)
    const target = targetPath(destination, name)
    await writeBody(response, target)
    return target
  }

  async #downloadFileSet(path: string, destination: string | undefined): Promise<string> {
    const folder = resolve(destination ?? basename(path))
    const { files } = await this.#api.listFileSet(this.#objectId, path)
    for (const file of files) {
      const target = join(folder, ...file.path.split('/'))
      const response = await this.#api.download(this.#objectId, { path, file: file.path })
      await writeBody(response, target)
    }
    mkdirSync(folder, { recursive: true })
    return folder
  }
}

/** Nests `a/b/c` paths into objects, without the first `skip` characters of each path. */
function nest(fields: FieldWire[], skip: number): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const field of fields) {
    const parts = field.path.slice(skip).split('/')
    let node = root
    for (const part of parts.slice(0, -1)) {
      const next = node[part]
      if (typeof next !== 'object' || next === null || next instanceof Date) node[part] = {}
      node = node[part] as Record<string, unknown>
    }
    node[parts.at(-1)!] = fieldValue(field)
  }
  return root
}

function targetPath(destination: string | undefined, name: string): string {
  if (destination === undefined) return resolve(name)
  try {
    if (statSync(destination).isDirectory()) return join(resolve(destination), name)
  } catch {
    // A file to be created.
  }
  return resolve(destination)
}

async function writeBody(response: Response, target: string): Promise<void> {
  mkdirSync(dirname(target), { recursive: true })
  if (!response.body)
    throw new NereidError('FILE_NOT_FOUND', `the server sent no bytes for ${target}`)
  await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(target))
}
