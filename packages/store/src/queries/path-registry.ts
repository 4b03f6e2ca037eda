import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../database.js'

type Executor = Kysely<Database> | Transaction<Database>

/**
 * Interns field paths per project as small integers. Paths are deleted only with their whole
 * project, whose id never comes back, so a cached id stays true for ever; ids created inside a transaction are only cached once it commits
 * (`PathSession.commit`), because a rolled-back insert would leave a cached id that does not
 * exist.
 */
export class PathRegistry {
  readonly #cache = new Map<string, number>()
  readonly #maxEntries: number

  constructor(maxEntries = 500_000) {
    this.#maxEntries = maxEntries
  }

  session(executor: Executor): PathSession {
    return new PathSession(executor, this.#cache, this.#maxEntries)
  }
}

export class PathSession {
  readonly #executor: Executor
  readonly #cache: Map<string, number>
  readonly #pending = new Map<string, number>()
  readonly #maxEntries: number

  constructor(executor: Executor, cache: Map<string, number>, maxEntries: number) {
    this.#executor = executor
    this.#cache = cache
    this.#maxEntries = maxEntries
  }

  /** The id of a path, or null when no object of the project has ever used it. */
  async lookup(projectId: string, path: string): Promise<number | null> {
    const key = `${projectId}\n${path}`
    const known = this.#cache.get(key) ?? this.#pending.get(key)
    if (known !== undefined) return known
    const row = await this.#executor
      .selectFrom('paths')
      .select('id')
      .where('project_id', '=', projectId)
      .where('path', '=', path)
      .executeTakeFirst()
    if (row === undefined) return null
    this.#pending.set(key, Number(row.id))
    return Number(row.id)
  }

  async lookupMany(projectId: string, paths: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>()
    const missing: string[] = []
    for (const path of paths) {
      const key = `${projectId}\n${path}`
      const known = this.#cache.get(key) ?? this.#pending.get(key)
      if (known === undefined) missing.push(path)
      else found.set(path, known)
    }
    for (let start = 0; start < missing.length; start += 500) {
      const chunk = missing.slice(start, start + 500)
      const rows = await this.#executor
        .selectFrom('paths')
        .select(['id', 'path'])
        .where('project_id', '=', projectId)
        .where('path', 'in', chunk)
        .execute()
      for (const row of rows) {
        found.set(row.path, Number(row.id))
        this.#pending.set(`${projectId}\n${row.path}`, Number(row.id))
      }
    }
    return found
  }

  async intern(projectId: string, path: string): Promise<number> {
    const existing = await this.lookup(projectId, path)
    if (existing !== null) return existing
    await this.#executor
      .insertInto('paths')
      .values({ project_id: projectId, path } as never)
      .onConflict((conflict) => conflict.columns(['project_id', 'path']).doNothing())
      .execute()
    const id = await this.lookup(projectId, path)
    if (id === null) throw new Error(`path "${path}" vanished right after it was interned`)
    return id
  }

  /** Makes the ids seen in this session visible to later sessions. Call after commit. */
  commit(): void {
    if (this.#cache.size + this.#pending.size > this.#maxEntries) this.#cache.clear()
    for (const [key, id] of this.#pending) this.#cache.set(key, id)
    this.#pending.clear()
  }
}
