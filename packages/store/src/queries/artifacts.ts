import type { ArtifactFile } from '@nereid/core'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { ArtifactStore } from '../store.js'

export async function putArtifact(
  executor: Kysely<Database> | Transaction<Database>,
  projectId: string,
  hash: string,
  files: ArtifactFile[],
  now: number,
): Promise<void> {
  const sizes = files.map((file) => file.size)
  const size = sizes.every((value) => value !== null)
    ? sizes.reduce<number>((sum, value) => sum + (value ?? 0), 0)
    : null
  await executor
    .insertInto('artifacts')
    .values({ project_id: projectId, hash, size, files: JSON.stringify(files), created_at: now })
    .onConflict((conflict) => conflict.columns(['project_id', 'hash']).doNothing())
    .execute()
}

export function createArtifactStore(db: Kysely<Database>): ArtifactStore {
  return {
    async put(projectId, hash, files, now) {
      await putArtifact(db, projectId, hash, files, now)
    },
    async get(projectId, hash) {
      const row = await db
        .selectFrom('artifacts')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('hash', '=', hash)
        .executeTakeFirst()
      if (!row) return null
      return {
        hash: row.hash,
        size: row.size === null ? null : Number(row.size),
        files: JSON.parse(row.files) as ArtifactFile[],
      }
    },
  }
}
