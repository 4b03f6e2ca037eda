/**
 * Every type a field can have. A path's type is fixed by its first write (DESIGN §2).
 */
export const ATOM_TYPES = ['float', 'int', 'bool', 'string', 'datetime'] as const
export const SERIES_TYPES = ['floatSeries', 'stringSeries', 'fileSeries'] as const
export const FIELD_TYPES = [
  ...ATOM_TYPES,
  'stringSet',
  ...SERIES_TYPES,
  'file',
  'fileSet',
  'artifact',
  'gitRef',
  'notebookRef',
  'runState',
] as const

export type AtomType = (typeof ATOM_TYPES)[number]
export type SeriesType = (typeof SERIES_TYPES)[number]
export type FieldType = (typeof FIELD_TYPES)[number]

export function isAtomType(type: string): type is AtomType {
  return (ATOM_TYPES as readonly string[]).includes(type)
}

export function isSeriesType(type: string): type is SeriesType {
  return (SERIES_TYPES as readonly string[]).includes(type)
}

export function isFieldType(type: string): type is FieldType {
  return (FIELD_TYPES as readonly string[]).includes(type)
}

/** The kinds of object a project holds. */
export const OBJECT_KINDS = ['run', 'model', 'modelVersion', 'project', 'notebook'] as const
export type ObjectKind = (typeof OBJECT_KINDS)[number]

export function isObjectKind(kind: string): kind is ObjectKind {
  return (OBJECT_KINDS as readonly string[]).includes(kind)
}

export const MODEL_STAGES = ['none', 'staging', 'production', 'archived'] as const
export type ModelStage = (typeof MODEL_STAGES)[number]

export const PROJECT_VISIBILITIES = ['private', 'workspace', 'public'] as const
export type ProjectVisibility = (typeof PROJECT_VISIBILITIES)[number]
