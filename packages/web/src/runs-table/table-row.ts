import type { FieldWire, ObjectInfo, SearchRow } from '../api/wire-types.js'

/** A row of the runs table: the object, and its fields by path for quick cell lookups. */
export interface TableRow {
  object: ObjectInfo
  fields: Map<string, FieldWire>
}

export function toTableRow(row: SearchRow): TableRow {
  return { object: row.object, fields: new Map(row.fields.map((field) => [field.path, field])) }
}
