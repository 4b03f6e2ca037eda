import type { Kysely } from 'kysely'
import type { Database } from '../database.js'
import type { JobStore } from '../store.js'

type JobTables = {
  job_runs: { name: string; started_at: number }
}

export function createJobStore(db: Kysely<Database>): JobStore {
  const jobs = db.withTables<JobTables>()
  return {
    async claim(name, now, intervalMs) {
      // One statement, so two instances claiming at once cannot both win.
      const result = await jobs
        .insertInto('job_runs')
        .values({ name, started_at: now })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet({ started_at: now })
            .where('job_runs.started_at', '<=', now - intervalMs),
        )
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
    },
    async lastStarted(name) {
      const row = await jobs
        .selectFrom('job_runs')
        .select('started_at')
        .where('name', '=', name)
        .executeTakeFirst()
      return row === undefined ? null : Number(row.started_at)
    },
  }
}
