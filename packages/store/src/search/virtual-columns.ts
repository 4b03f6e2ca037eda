import type { FieldType } from '@nereid/core'
import { sql, type RawBuilder } from 'kysely'

/**
 * The sys/ fields that live as columns of `objects` (see `VIRTUAL_SYS_PATHS` in
 * queries/field-codec.ts) as SQL expressions over `objects as o`. They agree with
 * `virtualSysFields`: an expression is NULL exactly where that object has no such field.
 */
export interface VirtualColumn {
  type: FieldType
  /** False when the expression can be NULL (the field is missing on some objects). */
  alwaysPresent: boolean
  expression(visibility: string): RawBuilder<unknown>
}

const activeMs = sql`(case when o.state = 'active' and o.ping_at > o.active_since then o.ping_at - o.active_since else 0 end)`

export const VIRTUAL_COLUMNS: ReadonlyMap<string, VirtualColumn> = new Map<string, VirtualColumn>([
  ['sys/id', { type: 'string', alwaysPresent: true, expression: () => sql`o.short_id` }],
  [
    'sys/custom_run_id',
    { type: 'string', alwaysPresent: false, expression: () => sql`o.custom_run_id` },
  ],
  [
    'sys/creation_time',
    { type: 'datetime', alwaysPresent: true, expression: () => sql`o.created_at` },
  ],
  [
    'sys/modification_time',
    { type: 'datetime', alwaysPresent: true, expression: () => sql`o.modified_at` },
  ],
  [
    'sys/ping_time',
    {
      type: 'datetime',
      alwaysPresent: true,
      expression: () => sql`coalesce(o.ping_at, o.created_at)`,
    },
  ],
  ['sys/state', { type: 'runState', alwaysPresent: true, expression: () => sql`o.state` }],
  [
    'sys/size',
    {
      type: 'float',
      alwaysPresent: true,
      expression: () => sql`(o.fields_bytes + o.series_bytes + o.files_bytes)`,
    },
  ],
  [
    'sys/running_time',
    {
      type: 'float',
      alwaysPresent: true,
      expression: () => sql`((o.running_ms + ${activeMs}) / 1000.0)`,
    },
  ],
  [
    'sys/monitoring_time',
    {
      type: 'int',
      alwaysPresent: true,
      expression: () => sql`((o.running_ms + ${activeMs}) / 1000)`,
    },
  ],
  [
    'sys/owner',
    {
      type: 'string',
      alwaysPresent: false,
      expression: () => sql`(case when o.kind <> 'project' then o.owner end)`,
    },
  ],
  [
    'sys/trashed',
    {
      type: 'bool',
      alwaysPresent: false,
      expression: () =>
        sql`(case when o.kind = 'project' then null when o.trashed_at is null then 0 else 1 end)`,
    },
  ],
  [
    'sys/visibility',
    {
      type: 'string',
      alwaysPresent: false,
      expression: (visibility) =>
        sql`(case when o.kind = 'project' then cast(${visibility} as text) end)`,
    },
  ],
])
