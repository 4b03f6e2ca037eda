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

/** Field values with non-finite floats spelled out and datetimes as ISO strings. */
export function presentField(field: Field) {
  const value: Record<string, unknown> = { ...field.value }
  delete value.type
  for (const key of ['value', 'last', 'min', 'max', 'mean', 'variance']) {
    if (typeof value[key] === 'number') value[key] = floatToWire(value[key] as number)
  }
  if (field.type === 'datetime') value.value = iso(value.value as number)
  if (typeof value.commitDate === 'number') value.commitDate = iso(value.commitDate)
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
