import type { FieldType, ObjectKind } from './field-types.js'

/**
 * The `sys/` namespace: maintained by the server, readable like any other field. Only the
 * paths in `USER_WRITABLE_SYS_PATHS` may be written by clients (Neptune's rule, which its
 * client relies on).
 */
export const SYS_FIELD_TYPES = {
  'sys/id': 'string',
  'sys/custom_run_id': 'string',
  'sys/name': 'string',
  'sys/description': 'string',
  'sys/tags': 'stringSet',
  'sys/group_tags': 'stringSet',
  'sys/owner': 'string',
  'sys/creation_time': 'datetime',
  'sys/modification_time': 'datetime',
  'sys/ping_time': 'datetime',
  'sys/running_time': 'float',
  'sys/monitoring_time': 'int',
  'sys/state': 'runState',
  'sys/failed': 'bool',
  'sys/trashed': 'bool',
  'sys/size': 'float',
  'sys/hostname': 'string',
  'sys/model_id': 'string',
  'sys/stage': 'string',
  'sys/visibility': 'string',
  'sys/notebook_id': 'string',
} as const satisfies Record<string, FieldType>

export type SysPath = keyof typeof SYS_FIELD_TYPES

export const USER_WRITABLE_SYS_PATHS: ReadonlySet<string> = new Set([
  'sys/name',
  'sys/description',
  'sys/tags',
  'sys/group_tags',
  'sys/failed',
  'sys/hostname',
  'sys/stage',
])

/** The sys fields every object of a kind has from its creation. */
export function sysPathsForKind(kind: ObjectKind): SysPath[] {
  const common: SysPath[] = [
    'sys/id',
    'sys/name',
    'sys/tags',
    'sys/group_tags',
    'sys/creation_time',
    'sys/modification_time',
    'sys/ping_time',
    'sys/running_time',
    'sys/monitoring_time',
    'sys/state',
    'sys/size',
  ]
  switch (kind) {
    case 'run':
      return [...common, 'sys/description', 'sys/owner', 'sys/failed', 'sys/trashed']
    case 'model':
      return [...common, 'sys/owner', 'sys/trashed']
    case 'modelVersion':
      return [...common, 'sys/owner', 'sys/trashed', 'sys/model_id', 'sys/stage']
    case 'project':
      return [...common, 'sys/visibility']
    case 'notebook':
      return [...common, 'sys/description', 'sys/owner', 'sys/trashed']
  }
}
