import type { LockStore } from '../store.js'

interface Waiter {
  shared: boolean
  grant: () => void
}

interface LockState {
  readers: number
  writer: boolean
  queue: Waiter[]
}

/**
 * Readers-writer locks by name within one process, granted first come, first served, so
 * neither shared nor exclusive holders starve. This is the whole lock for SQLite (one process
 * owns the database file) and the first stage of PostgreSQL's advisory locks (one session
 * per name and process, however many callers wait in the process).
 */
export function createLocalLocks(): LockStore {
  const locks = new Map<string, LockState>()

  const stateOf = (name: string): LockState => {
    let state = locks.get(name)
    if (!state) {
      state = { readers: 0, writer: false, queue: [] }
      locks.set(name, state)
    }
    return state
  }

  const drain = (name: string, state: LockState): void => {
    while (state.queue.length > 0) {
      const next = state.queue[0]!
      if (next.shared ? state.writer : state.writer || state.readers > 0) break
      state.queue.shift()
      if (next.shared) state.readers++
      else state.writer = true
      next.grant()
    }
    if (!state.writer && state.readers === 0 && state.queue.length === 0) locks.delete(name)
  }

  const acquire = (name: string, shared: boolean): Promise<void> => {
    const state = stateOf(name)
    return new Promise((resolve) => {
      state.queue.push({ shared, grant: resolve })
      drain(name, state)
    })
  }

  const release = (name: string, shared: boolean): void => {
    const state = locks.get(name)!
    if (shared) state.readers--
    else state.writer = false
    drain(name, state)
  }

  const hold = async <T>(name: string, shared: boolean, work: () => Promise<T>): Promise<T> => {
    await acquire(name, shared)
    try {
      return await work()
    } finally {
      release(name, shared)
    }
  }

  return {
    runExclusive: (name, work) => hold(name, false, work),
    runShared: (name, work) => hold(name, true, work),
    async tryRunExclusive(name, work) {
      const state = locks.get(name)
      if (state && (state.writer || state.readers > 0 || state.queue.length > 0)) {
        return { acquired: false }
      }
      return { acquired: true, value: await hold(name, false, work) }
    },
  }
}
