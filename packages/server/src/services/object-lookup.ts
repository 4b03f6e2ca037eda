import { NereidError, type ObjectRecord, type Project } from '@nereid/core'
import type { Store } from '@nereid/store'

/** The object `ref` (UUID or readable id) of a project, or OBJECT_NOT_FOUND naming both. */
export async function findObject(
  store: Store,
  project: Project,
  ref: string,
): Promise<ObjectRecord> {
  const object = await store.objects.get(project.id, ref)
  if (!object) throw objectNotFound(project, ref)
  return object
}

export function objectNotFound(project: Project, ref: string): NereidError {
  return new NereidError(
    'OBJECT_NOT_FOUND',
    `object "${ref}" not found in project "${project.workspaceName}/${project.name}"`,
    {
      object: ref,
      project: `${project.workspaceName}/${project.name}`,
    },
  )
}

/** Enough for every run a team writes to at once; past it the map starts afresh. */
const MAX_REMEMBERED = 10_000

/**
 * The ids of objects named by ref, remembered for routes that only need the id (the
 * operations route: a writer names the same run on every batch). An object's id and readable
 * id never change and are never given to another object, so a remembered id stays right as
 * long as the object exists; whoever uses it must still find the object by id and, when it is
 * gone, call `forget`.
 */
export class ObjectIdCache {
  readonly #ids = new Map<string, string>()

  async resolve(store: Store, project: Project, ref: string): Promise<string> {
    const key = `${project.id}\u0000${ref}`
    const known = this.#ids.get(key)
    if (known !== undefined) return known
    const { id } = await findObject(store, project, ref)
    if (this.#ids.size >= MAX_REMEMBERED) this.#ids.clear()
    this.#ids.set(key, id)
    return id
  }

  forget(project: Project, ref: string): void {
    this.#ids.delete(`${project.id}\u0000${ref}`)
  }
}
