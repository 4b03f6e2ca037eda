import type { Kysely } from 'kysely'
import type { DialectAdapter } from '../dialect-adapter.js'
import * as initial from './0001-initial.js'
import * as viewsDashboards from './0003-views-dashboards.js'
import * as accounts from './0002-accounts.js'
import * as neptune from './0004-neptune.js'
import * as importSources from './0005-import-sources.js'
import * as notebooks from './0005-notebooks.js'
import * as jobRuns from './0006-job-runs.js'
import * as searchOrder from './0007-search-order.js'
import * as blockSummaries from './0008-block-summaries.js'

export interface StoreMigration {
  up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void>
}

/** Every migration, by name; they run in name order. Names are never changed once released. */
export const MIGRATIONS: Record<string, StoreMigration> = {
  '0001-initial': initial,
  '0003-views-dashboards': viewsDashboards,
  '0002-accounts': accounts,
  '0004-neptune': neptune,
  '0005-import-sources': importSources,
  '0005-notebooks': notebooks,
  '0006-job-runs': jobRuns,
  '0007-search-order': searchOrder,
  '0008-block-summaries': blockSummaries,
}
