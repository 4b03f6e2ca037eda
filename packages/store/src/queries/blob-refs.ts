import type { Transaction } from 'kysely'
import type { Database } from '../database.js'

/**
 * Reference counting of content-addressed blobs. A blob whose count drops to zero stays
 * registered until garbage collection (or an explicit collect after a permanent delete)
 * removes it, so a client that uploads bytes and references them a moment later never races
 * the collector.
 */
export async function retainBlob(trx: Transaction<Database>, hash: string): Promise<number | null> {
  const row = await trx
    .selectFrom('blobs')
    .select('size')
    .where('hash', '=', hash)
    .executeTakeFirst()
  if (!row) return null
  await trx
    .updateTable('blobs')
    .set((eb) => ({ ref_count: eb('ref_count', '+', 1) }))
    .where('hash', '=', hash)
    .execute()
  return Number(row.size)
}

/** Drops one reference per listed hash; returns the hashes no longer referenced at all. */
export async function releaseBlobs(
  trx: Transaction<Database>,
  hashes: string[],
): Promise<string[]> {
  if (hashes.length === 0) return []
  const counts = new Map<string, number>()
  for (const hash of hashes) counts.set(hash, (counts.get(hash) ?? 0) + 1)
  const freed: string[] = []
  for (const [hash, count] of counts) {
    await trx
      .updateTable('blobs')
      .set((eb) => ({ ref_count: eb('ref_count', '-', count) }))
      .where('hash', '=', hash)
      .execute()
    const row = await trx
      .selectFrom('blobs')
      .select('ref_count')
      .where('hash', '=', hash)
      .executeTakeFirst()
    if (row && Number(row.ref_count) <= 0) freed.push(hash)
  }
  return freed
}
