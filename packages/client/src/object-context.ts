import { NereidError, type ObjectKind } from '@nereid/core'
import type { ClientEnv } from './env.js'
import type { Mode } from './modes/mode.js'
import { MODE_BEHAVIOUR } from './modes/mode.js'
import type { ObjectReader } from './object-reader.js'
import type { ObjectWriter } from './queue/object-writer.js'
import type { NativeApi } from './transport/native-api.js'

/** What the handles of one object share: its writer, its reader and its environment. */
export class ObjectContext {
  readonly kind: ObjectKind
  readonly mode: Mode
  readonly env: ClientEnv
  readonly writer: ObjectWriter
  readonly api: NativeApi | null
  label: string
  objectId: string | null
  shortId: string | null
  readonly #reader: ObjectReader | null

  constructor(options: {
    kind: ObjectKind
    mode: Mode
    env: ClientEnv
    writer: ObjectWriter
    api: NativeApi | null
    reader: ObjectReader | null
    label: string
    objectId: string | null
    shortId: string | null
  }) {
    this.kind = options.kind
    this.mode = options.mode
    this.env = options.env
    this.writer = options.writer
    this.api = options.api
    this.#reader = options.reader
    this.label = options.label
    this.objectId = options.objectId
    this.shortId = options.shortId
  }

  /**
   * The reader, after the writes made so far reached the server (read your own writes). In
   * modes without a server, a clear error instead.
   */
  async reader(): Promise<ObjectReader> {
    if (!MODE_BEHAVIOUR[this.mode].readable || this.#reader === null) {
      throw new NereidError(
        'MODE_UNSUPPORTED',
        `${this.label} is in ${this.mode} mode, which keeps no data on a server to read; ${
          this.mode === 'offline' ? 'run `nereid sync` and open it with withId' : 'use another mode'
        }`,
        { mode: this.mode },
      )
    }
    if (MODE_BEHAVIOUR[this.mode].sends) await this.writer.wait({ timeoutMs: 60_000 })
    return this.#reader
  }
}
