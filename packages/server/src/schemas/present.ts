import { floatToWire, type Field, type ObjectRecord, type Project } from '@nereid/core'

/** Turns read models into wire JSON: ISO times, and floats JSON can carry. */

const iso = (ms: number) => new Date(ms).toISOString()

export function presentProject(project: Project) {
  return {
    id: project.id,
    workspace: project.workspaceName,
    name: project.name,
    key: project.key,
    description: project.description,
    visibility: project.visibility,
    storageLimitBytes: project.storageLimitBytes,
    createdAt: iso(project.createdAt),
    metadataObjectId: project.metadataObjectId,
  }
}

export function presentObject(object: ObjectRecord) {
  return {
    id: object.id,
    shortId: object.shortId,
    kind: object.kind,
    customRunId: object.customRunId,
    parentId: object.parentId,
    createdAt: iso(object.createdAt),
    modifiedAt: iso(object.modifiedAt),
    state: object.state,
    trashed: object.trashedAt !== null,
    owner: object.owner,
    sizeBytes: object.sizeBytes,
  }
}

/** Keys of a field value that hold floats, which may be non-finite. */
const FLOAT_KEYS = new Set(['value', 'last', 'min', 'max', 'mean', 'variance'])

/** Field values with non-finite floats spelled out and datetimes as ISO strings. */
export function presentField(field: Field) {
  // Built key by key rather than copied and trimmed with `delete`, which would leave a slow
  // dictionary-mode object for every value of a runs-table page.
  const value: Record<string, unknown> = {}
  const source = field.value as unknown as Record<string, unknown>
  for (const key in source) {
    if (key === 'type') continue
    const item = source[key]
    value[key] =
      typeof item !== 'number'
        ? item
        : key === 'commitDate' || (key === 'value' && field.type === 'datetime')
          ? iso(item)
          : FLOAT_KEYS.has(key)
            ? floatToWire(item)
            : item
  }
  return { path: field.path, type: field.type, value }
}

/** A float column as a JSON array, with NaN and infinities as strings. */
export function floatArray(values: Float64Array): (number | string)[] {
  const out = new Array<number | string>(values.length)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    out[i] = Number.isFinite(value) ? value : floatToWire(value)
  }
  return out
}
