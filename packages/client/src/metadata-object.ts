import { MODEL_STAGES, NereidError, type ModelStage, type ObjectKind } from '@nereid/core'
import { backgroundTimer, type ClientEnv, type Timer } from './env.js'
import { FieldHandle, writeAssignments } from './field-handle.js'
import type { Mode } from './modes/mode.js'
import type { ObjectContext } from './object-context.js'
import { fieldValue } from './object-reader.js'
import type { QueueStatus, StopResult, WaitResult } from './queue/object-writer.js'
import type { NativeApi } from './transport/native-api.js'

/**
 * What runs, models, model versions and the project's own metadata have in common: a field
 * tree written through `field(path)` handles, and the queue that delivers the writes.
 */
export class MetadataObject {
  readonly #context: ObjectContext
  readonly #handles = new Map<string, FieldHandle>()
  readonly #closers: (() => void)[] = []
  #stopping: Promise<StopResult> | null = null

  /** @internal Objects are made by initRun, initModel, initModelVersion and initProject. */
  constructor(context: ObjectContext) {
    this.#context = context
  }

  get kind(): ObjectKind {
    return this.#context.kind
  }

  get mode(): Mode {
    return this.#context.mode
  }

  /** Readable id (`CLS-12`); null for offline runs until `nereid sync` gives them one. */
  get id(): string | null {
    return this.#context.shortId
  }

  /** The server's UUID of the object; null where there is none yet. */
  get objectId(): string | null {
    return this.#context.objectId
  }

  /** The handle of a field or namespace path, such as `train/loss` or `params`. */
  field(path: string): FieldHandle {
    let handle = this.#handles.get(path)
    if (handle === undefined) {
      handle = new FieldHandle(this.#context, path)
      this.#handles.set(path, handle)
    }
    return handle
  }

  /** Assigns a namespace at the root: `run.assign({ params: { lr: 0.01 } })`. */
  assign(values: Record<string, unknown>): void {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new NereidError(
        'VALUE_INVALID',
        'assign() on the object itself takes an object of fields, e.g. { params: { lr: 0.01 } }',
      )
    }
    writeAssignments(this.#context, '', values)
  }

  /** Every field as a nested object (series give their last value). */
  async fetch(): Promise<Record<string, unknown>> {
    return (await this.#context.reader()).fetchAll()
  }

  async exists(path: string): Promise<boolean> {
    return this.field(path).exists()
  }

  /** Waits until the server acknowledged everything written so far. */
  wait(options: { timeoutMs?: number } = {}): Promise<WaitResult> {
    return this.#context.writer.wait(options)
  }

  /** Waits like `wait()`, then refreshes what the SDK knows of the object's fields. */
  async sync(options: { timeoutMs?: number } = {}): Promise<WaitResult> {
    const result = await this.wait(options)
    const reader = await this.#context.reader()
    this.#context.writer.registry.reset(await reader.listFields())
    return result
  }

  /**
   * Stops capture and pings, sends what is queued (waiting up to `timeoutMs`, 30 s by default)
   * and closes the queue. What could not be sent stays on disk for `nereid sync`.
   */
  stop(options: { timeoutMs?: number } = {}): Promise<StopResult> {
    this.#stopping ??= (async () => {
      for (const close of this.#closers.splice(0).reverse()) {
        try {
          close()
        } catch {
          // Closing one part must not keep the others open.
        }
      }
      return this.#context.writer.stop(options)
    })()
    return this.#stopping
  }

  queueStatus(): QueueStatus {
    return this.#context.writer.status()
  }

  /** @internal Runs `close` first thing in stop(). */
  onStop(close: () => void): void {
    this.#closers.push(close)
  }

  /** @internal */
  get context(): ObjectContext {
    return this.#context
  }
}

export class Run extends MetadataObject {}

export class Model extends MetadataObject {}

export class ModelVersion extends MetadataObject {
  /** Moves the version to a stage (none, staging, production, archived): `sys/stage`. */
  async changeStage(stage: ModelStage): Promise<void> {
    if (!(MODEL_STAGES as readonly string[]).includes(stage)) {
      throw new NereidError(
        'VALUE_INVALID',
        `stage "${String(stage)}" is not one of ${MODEL_STAGES.join(', ')}`,
        { path: 'sys/stage' },
      )
    }
    await this.wait()
    this.field('sys/stage').assign(stage)
    await this.wait()
  }
}

export interface FetchTableOptions {
  /** NQL, e.g. `` `train/acc`:float > 0.9 `` (all objects when absent). */
  query?: string
  /** Fields to return (all when absent). */
  columns?: string[]
  /** Field to sort by (default `sys/creation_time`), or the sort in full. */
  sortBy?:
    | string
    | {
        path: string
        direction?: 'asc' | 'desc'
        aggregate?: 'last' | 'min' | 'max' | 'average' | 'variance'
      }
  /** Sort ascending (default false: newest or largest first). */
  ascending?: boolean
  /** Most rows (default: all). */
  limit?: number
}

export interface TableRow {
  /** Readable id such as CLS-12. */
  id: string
  objectId: string
  /** Values by field path; series give their last value. */
  fields: Record<string, unknown>
}

export class Project extends MetadataObject {
  /** Runs of the project matching an NQL query, as rows of field values. */
  fetchRunsTable(options: FetchTableOptions = {}): Promise<TableRow[]> {
    return fetchTable(this.context.api, 'run', options)
  }

  fetchModelsTable(options: FetchTableOptions = {}): Promise<TableRow[]> {
    return fetchTable(this.context.api, 'model', options)
  }
}

async function fetchTable(
  api: NativeApi | null,
  kind: ObjectKind,
  options: FetchTableOptions,
): Promise<TableRow[]> {
  if (api === null) {
    throw new NereidError('MODE_UNSUPPORTED', 'tables are read from the server; this mode has none')
  }
  const sortBy = options.sortBy ?? 'sys/creation_time'
  const sort =
    typeof sortBy === 'string'
      ? { path: sortBy, direction: options.ascending ? ('asc' as const) : ('desc' as const) }
      : { ...sortBy, direction: sortBy.direction ?? (options.ascending ? 'asc' : 'desc') }
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const rows: TableRow[] = []
  for (let offset = 0; rows.length < limit;) {
    const page = await api.search({
      kinds: [kind],
      ...(options.query ? { query: options.query } : {}),
      ...(options.columns ? { columns: options.columns } : {}),
      sort,
      limit: Math.min(1000, limit - rows.length),
      offset,
    })
    for (const row of page.rows) {
      const fields: Record<string, unknown> = {}
      for (const field of row.fields) fields[field.path] = fieldValue(field)
      rows.push({ id: row.object.shortId, objectId: row.object.id, fields })
    }
    offset += page.rows.length
    if (page.rows.length === 0 || offset >= page.total) break
  }
  return rows
}

/** Keeps a live object's `sys/state` active: a ping now and every 10 s until stopped. */
export function startPings(api: NativeApi, objectId: string, env: ClientEnv): () => void {
  const controller = new AbortController()
  let timer: Timer | null = null
  const ping = () => {
    api
      .ping(objectId, controller.signal)
      .catch(() => undefined)
      .finally(() => {
        if (!controller.signal.aborted) timer = backgroundTimer(env, ping, 10_000)
      })
  }
  ping()
  return () => {
    controller.abort()
    if (timer !== null) env.clearTimeout(timer)
  }
}
