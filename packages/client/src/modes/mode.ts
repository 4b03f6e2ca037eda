import { NereidError } from '@nereid/core'

/** How an object talks to the server (Neptune's connection modes). */
export const MODES = ['async', 'sync', 'offline', 'debug', 'read-only'] as const
export type Mode = (typeof MODES)[number]

export interface ModeBehaviour {
  /** Writes go to the durable operation log under the data directory. */
  logsToDisk: boolean
  /** A background sender delivers the log to the server. */
  sends: boolean
  /** Writes are accepted (read-only mode refuses them). */
  writable: boolean
  /** Reads go to the server. */
  readable: boolean
  /** How long a write may wait in memory before the group commit writes it to the log. */
  commitDelayMs: number
  /** Operations the server refused reject `wait()` and `stop()` instead of only being reported. */
  rejectionsThrow: boolean
}

/**
 * - async (default): every write goes to the log on disk at once and a background loop sends
 *   it; the training loop never waits for the network.
 * - sync: the same log, but each write is committed and sent without delay, and the server's
 *   refusals reject `wait()` and `stop()`.
 * - offline: the log only; `nereid sync` sends it later and the run gets its id then.
 * - debug: writes are checked and dropped; nothing is stored and nothing is sent.
 * - read-only: reads only; a write throws READ_ONLY_MODE.
 */
export const MODE_BEHAVIOUR: Readonly<Record<Mode, ModeBehaviour>> = {
  async: {
    logsToDisk: true,
    sends: true,
    writable: true,
    readable: true,
    commitDelayMs: 100,
    rejectionsThrow: false,
  },
  sync: {
    logsToDisk: true,
    sends: true,
    writable: true,
    readable: true,
    commitDelayMs: 0,
    rejectionsThrow: true,
  },
  offline: {
    logsToDisk: true,
    sends: false,
    writable: true,
    readable: false,
    commitDelayMs: 100,
    rejectionsThrow: false,
  },
  debug: {
    logsToDisk: false,
    sends: false,
    writable: true,
    readable: false,
    commitDelayMs: 100,
    rejectionsThrow: false,
  },
  'read-only': {
    logsToDisk: false,
    sends: false,
    writable: false,
    readable: true,
    commitDelayMs: 100,
    rejectionsThrow: false,
  },
}

export function parseMode(value: string): Mode {
  if ((MODES as readonly string[]).includes(value)) return value as Mode
  throw new NereidError('VALIDATION_FAILED', `mode "${value}" is not one of ${MODES.join(', ')}`, {
    field: 'mode',
    known: [...MODES],
  })
}
