import type { Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'
import * as initial from './0001-initial.js'

export interface StoreMigration {
  up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void>
}

/** Every migration, by name; they run in name order. Names are never changed once released. */
export const MIGRATIONS: Record<string, StoreMigration> = {
  '0001-initial': initial,
}
