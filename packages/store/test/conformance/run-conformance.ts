import { describe } from 'vitest'
import type { Store } from '../../src/store.js'
import type { ConformanceContext, Skip } from './conformance-context.js'
import { defineAccountCases } from './accounts.case.js'
import { defineAccessCases } from './access.case.js'
import { defineProjectCases } from './projects.case.js'
import { defineObjectCases } from './objects.case.js'
import { defineIngestCases } from './ingest.case.js'
import { defineSeriesCases } from './series.case.js'
import { defineFileCases } from './files.case.js'
import { defineSearchCases } from './search.case.js'
import { defineViewCases } from './views.case.js'
import { defineViewGroupCases } from './views-groups.case.js'
import { defineNotebookCases } from './notebooks.case.js'
import { defineLockCases } from './locks.case.js'
import { defineTransferCases } from './transfer.case.js'
import { defineNeptuneCases } from './neptune.case.js'
import { defineProjectDeletionCases } from './project-deletion.case.js'

export interface ConformanceOptions {
  name: string
  /** A fresh, empty, migrated store for each test. */
  createStore: () => Promise<Store>
  /** Cases a backend cannot pass, each with a written reason. */
  skip?: Skip[]
}

/**
 * The one behavioural suite every Store backend must pass (Hono's shared router suite,
 * Kysely's loop over dialects). A backend's test file calls this in a few lines.
 */
export function runStoreConformance(options: ConformanceOptions): void {
  const context: ConformanceContext = { name: options.name, createStore: options.createStore }
  describe(`store conformance: ${options.name}`, () => {
    defineAccountCases(context)
    defineAccessCases(context)
    defineProjectCases(context)
    defineObjectCases(context)
    defineIngestCases(context)
    defineSeriesCases(context)
    defineFileCases(context)
    defineSearchCases(context)
    defineViewCases(context)
    defineViewGroupCases(context)
    defineNotebookCases(context)
    defineLockCases(context)
    defineTransferCases(context)
    defineNeptuneCases(context)
    defineProjectDeletionCases(context)
  })
}
