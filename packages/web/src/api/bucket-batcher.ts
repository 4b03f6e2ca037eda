import { NereidApiError } from './api-error.js'
import type { BucketsWire } from './wire-types.js'

/** One line of a chart: a float series of one object, in an optional x range. */
export interface BucketLine {
  object: string
  path: string
  from?: number
  to?: number
}

/** The body of `POST …/series/buckets`: lines that share a bucket count and an x axis. */
export interface BucketBatchRequest {
  buckets: number
  x: 'step' | 'time'
  lines: BucketLine[]
}

export type BucketLineAnswer =
  | (BucketsWire & { object: string; path: string; error?: undefined })
  | { object: string; path: string; error: { code: string; message: string } }

export interface BucketBatcherOptions {
  /** Sends one batch (to one project). */
  fetch(
    project: string,
    request: BucketBatchRequest,
    signal: AbortSignal,
  ): Promise<{ lines: BucketLineAnswer[] }>
  /** Lines per request at most (the server accepts 100). */
  maxLines?: number
  /** Reads asked for within this many milliseconds share a request. */
  delayMs?: number
}

interface Waiting {
  line: BucketLine
  resolve(answer: BucketsWire): void
  reject(error: unknown): void
  signal: AbortSignal | undefined
  settled: boolean
}

interface Group {
  project: string
  buckets: number
  x: 'step' | 'time'
  waiting: Waiting[]
}

/**
 * Gathers the bucket reads that charts start at the same moment (the lines of one chart, the
 * charts of a grid) into one request per project, bucket count and x axis: a browser opens
 * six connections to a server, so ten runs read one by one queue behind each other and behind
 * everything else the page loads. Each read keeps its own promise and abort signal; a request
 * is cancelled only when every read in it has been.
 */
export class BucketBatcher {
  readonly #options: Required<BucketBatcherOptions>
  readonly #groups = new Map<string, Group>()
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(options: BucketBatcherOptions) {
    this.#options = { maxLines: 100, delayMs: 0, ...options }
  }

  read(
    project: string,
    request: { buckets: number; x: 'step' | 'time'; line: BucketLine },
    signal?: AbortSignal,
  ): Promise<BucketsWire> {
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    return new Promise<BucketsWire>((resolve, reject) => {
      const waiting: Waiting = {
        line: request.line,
        resolve: (answer) => {
          if (waiting.settled) return
          waiting.settled = true
          resolve(answer)
        },
        reject: (error) => {
          if (waiting.settled) return
          waiting.settled = true
          reject(error)
        },
        signal,
        settled: false,
      }
      signal?.addEventListener('abort', () => waiting.reject(abortReason(signal)), { once: true })
      const key = JSON.stringify([project, request.buckets, request.x])
      let group = this.#groups.get(key)
      if (!group) {
        group = { project, buckets: request.buckets, x: request.x, waiting: [] }
        this.#groups.set(key, group)
      }
      group.waiting.push(waiting)
      this.#timer ??= setTimeout(() => this.#flush(), this.#options.delayMs)
    })
  }

  #flush(): void {
    this.#timer = null
    const groups = [...this.#groups.values()]
    this.#groups.clear()
    for (const group of groups) {
      const live = group.waiting.filter((waiting) => !waiting.settled)
      for (let start = 0; start < live.length; start += this.#options.maxLines) {
        void this.#send(group, live.slice(start, start + this.#options.maxLines))
      }
    }
  }

  async #send(group: Group, waiting: Waiting[]): Promise<void> {
    const controller = new AbortController()
    const abortWhenAllGone = () => {
      if (waiting.every((w) => w.settled)) controller.abort()
    }
    for (const w of waiting) w.signal?.addEventListener('abort', abortWhenAllGone, { once: true })
    try {
      const { lines } = await this.#options.fetch(
        group.project,
        { buckets: group.buckets, x: group.x, lines: waiting.map((w) => w.line) },
        controller.signal,
      )
      waiting.forEach((w, i) => {
        const answer = lines[i]
        if (!answer) {
          w.reject(new Error(`the server answered no buckets for ${w.line.path}`))
        } else if (answer.error) {
          w.reject(new NereidApiError(404, answer.error.code, answer.error.message))
        } else {
          const { object: _object, path: _path, error: _error, ...buckets } = answer
          w.resolve(buckets as BucketsWire)
        }
      })
    } catch (error) {
      for (const w of waiting) w.reject(error)
    } finally {
      for (const w of waiting) w.signal?.removeEventListener('abort', abortWhenAllGone)
    }
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The read was cancelled', 'AbortError')
}
