import type { StoreContext } from '../store-context.js'
import type { CompileEnv } from './compile-query.js'

/** Path ids (one cached lookup) and the types each path has in the project (one query). */
export async function lookupPaths(
  context: StoreContext,
  projectId: string,
  paths: string[],
): Promise<Pick<CompileEnv, 'pathIds' | 'pathTypes'>> {
  if (paths.length === 0) return { pathIds: new Map(), pathTypes: new Map() }
  const session = context.paths.session(context.db)
  const pathIds = await session.lookupMany(projectId, paths)
  session.commit()
  const pathTypes = new Map<number, Set<string>>()
  if (pathIds.size > 0) {
    const rows = await context.db
      .selectFrom('project_fields')
      .select(['path_id', 'type'])
      .where('project_id', '=', projectId)
      .where('path_id', 'in', [...pathIds.values()])
      .execute()
    for (const row of rows) {
      const id = Number(row.path_id)
      const types = pathTypes.get(id) ?? new Set<string>()
      types.add(row.type)
      pathTypes.set(id, types)
    }
  }
  return { pathIds, pathTypes }
}
