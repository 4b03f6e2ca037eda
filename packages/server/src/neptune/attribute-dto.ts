import type { Field, FieldType } from '@nereid/core'

/** Neptune's attribute type for each field type; notebook references are not shown (§9.1). */
const NEPTUNE_TYPES: Partial<Record<FieldType, string>> = {
  float: 'float',
  int: 'int',
  bool: 'bool',
  string: 'string',
  datetime: 'datetime',
  stringSet: 'stringSet',
  floatSeries: 'floatSeries',
  stringSeries: 'stringSeries',
  fileSeries: 'imageSeries',
  file: 'file',
  fileSet: 'fileSet',
  artifact: 'artifact',
  gitRef: 'gitRef',
  runState: 'experimentState',
}

export function neptuneType(type: FieldType): string | null {
  return NEPTUNE_TYPES[type] ?? null
}

/** Field types for Neptune attribute types (the reverse of `neptuneType`). */
export function fieldTypesOf(neptune: string): FieldType[] {
  return (Object.keys(NEPTUNE_TYPES) as FieldType[]).filter((t) => NEPTUNE_TYPES[t] === neptune)
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, the one form the client's table reader parses. */
export function formatDatetime(ms: number): string {
  return new Date(ms).toISOString()
}

/** A float as JSON: finite numbers as numbers, the rest as the strings Python's float() reads. */
export function floatValue(value: number): number | string {
  if (Number.isFinite(value)) return value
  return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'
}

export type AttributeDto = { name: string; type: string } & Record<string, unknown>

/**
 * A field as Neptune's `AttributeDTO`: name, type and the `<type>Properties` object the
 * client reads (`value` of atoms, `last` of series, `values` of string sets). Null for fields
 * the client cannot show.
 */
export function toAttributeDto(field: Field): AttributeDto | null {
  const type = neptuneType(field.type)
  const properties = type === null ? null : propertiesOf(field)
  if (type === null || properties === null) return null
  return {
    name: field.path,
    type,
    [`${type}Properties`]: { attributeName: field.path, attributeType: type, ...properties },
  }
}

/** The `<type>Properties` object alone, as the single-attribute getters answer it. */
export function propertiesOf(field: Field): Record<string, unknown> | null {
  const value = field.value
  switch (value.type) {
    case 'float':
      return { value: floatValue(value.value) }
    case 'int':
    case 'bool':
    case 'string':
      return { value: value.value }
    case 'datetime':
      return { value: formatDatetime(value.value) }
    case 'runState':
      return { value: value.value === 'active' ? 'running' : 'idle' }
    case 'stringSet':
      return { values: value.values }
    case 'floatSeries':
      return withoutNulls({
        last: value.last === null ? null : floatValue(value.last),
        lastStep: value.lastStep,
        min: value.min,
        max: value.max,
        average: value.mean,
        variance: value.variance,
        config: withoutNulls({ ...value.config }),
      })
    case 'stringSeries':
      return withoutNulls({ last: value.last, lastStep: value.lastStep })
    case 'fileSeries':
      return withoutNulls({ lastStep: value.lastStep })
    case 'file':
      return { name: value.name, ext: value.ext, size: value.size }
    case 'fileSet':
      return { size: value.size }
    case 'artifact':
      return { hash: value.hash }
    case 'gitRef':
      return withoutNulls({
        commit: withoutNulls({
          commitId: value.commitId,
          message: value.message,
          authorName: value.authorName,
          authorEmail: value.authorEmail,
          commitDate: value.commitDate === undefined ? null : formatDatetime(value.commitDate),
        }),
        repositoryDirty: value.dirty,
        currentBranch: value.branch,
        remotes: value.remotes,
      })
    case 'notebookRef':
      return null
  }
}

/**
 * Optional properties are left out rather than sent as null: bravado rejects null in a
 * required property, and the client treats a missing one as None anyway.
 */
function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (value !== null && value !== undefined) result[key] = value
  }
  return result
}
