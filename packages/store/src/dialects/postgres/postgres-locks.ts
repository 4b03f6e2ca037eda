import { createHash } from 'node:crypto'
import type pg from 'pg'
import { createLocalLocks } from '../../locks/local-locks.js'
import type { LockStore } from '../../store.js'

export interface PostgresLocks extends LockStore {
  close(): Promise<void>
}

type Session = pg.PoolClient

/**
 * Named locks across every process on one database, as PostgreSQL session-level advisory
 * locks. Each lock is held on a connection of its own pool, apart from the query pool: a
 * holder's `work` runs queries, and if lock holders could take every query connection, that
 * work would wait for itself. Within a process, callers first queue on a local lock, so a
 * process holds at most one session per lock name (shared holders share one session).
 *
 * If the database goes away while a lock is held, the session ends and PostgreSQL releases
 * the lock; the holder's own queries fail at the same moment, so nothing runs unprotected for
 * long.
 */
export function createPostgresLocks(
  pool: pg.Pool,
  namespace: string,
  mapError: (error: unknown) => unknown,
): PostgresLocks {
  const local = createLocalLocks()
  const shared = new Map<string, { holders: number; session: Promise<Session> }>()

  const keyOf = (name: string): string =>
    createHash('sha256').update(`nereid:${namespace}:${name}`).digest().readBigInt64BE(0).toString()

  const LOCK_SQL = {
    exclusive: 'select pg_advisory_lock($1::bigint)',
    shared: 'select pg_advisory_lock_shared($1::bigint)',
    try: 'select pg_try_advisory_lock($1::bigint) as locked',
  }

  /** A session holding the lock, or null when `try` found it held elsewhere. */
  async function lockSession(name: string, mode: keyof typeof LOCK_SQL): Promise<Session | null> {
    let session: Session
    try {
      session = await pool.connect()
    } catch (error) {
      throw mapError(error)
    }
    try {
      const { rows } = await session.query<{ locked?: boolean }>(LOCK_SQL[mode], [keyOf(name)])
      if (mode === 'try' && rows[0]?.locked !== true) {
        session.release()
        return null
      }
      return session
    } catch (error) {
      session.release(error as Error)
      throw mapError(error)
    }
  }

  async function unlock(session: Session, name: string, sharedLock: boolean): Promise<void> {
    const fn = sharedLock ? 'pg_advisory_unlock_shared' : 'pg_advisory_unlock'
    try {
      await session.query(`select ${fn}($1::bigint)`, [keyOf(name)])
      session.release()
    } catch (error) {
      // The session is gone, and its locks with it.
      session.release(error as Error)
    }
  }

  async function holdExclusive<T>(session: Session, name: string, work: () => Promise<T>) {
    try {
      return await work()
    } finally {
      await unlock(session, name, false)
    }
  }

  async function acquireShared(name: string): Promise<() => void> {
    let entry = shared.get(name)
    if (!entry) {
      entry = {
        holders: 0,
        session: lockSession(name, 'shared') as Promise<Session>,
      }
      shared.set(name, entry)
    }
    const current = entry
    current.holders++
    try {
      await current.session
    } catch (error) {
      current.holders--
      if (shared.get(name) === current) shared.delete(name)
      throw error
    }
    return () => {
      current.holders--
      if (current.holders > 0) return
      if (shared.get(name) === current) shared.delete(name)
      void current.session.then((session) => unlock(session, name, true))
    }
  }

  return {
    runExclusive: (name, work) =>
      local.runExclusive(name, async () => {
        const session = (await lockSession(name, 'exclusive'))!
        return holdExclusive(session, name, work)
      }),
    async tryRunExclusive(name, work) {
      const outcome = await local.tryRunExclusive(name, async () => {
        const session = await lockSession(name, 'try')
        if (session === null) return { acquired: false as const }
        return { acquired: true as const, value: await holdExclusive(session, name, work) }
      })
      return outcome.acquired ? outcome.value : outcome
    },
    runShared: (name, work) =>
      local.runShared(name, async () => {
        const release = await acquireShared(name)
        try {
          return await work()
        } finally {
          release()
        }
      }),
    async close() {
      await pool.end()
    },
  }
}
