import type { FieldWire, ObjectInfo, SearchRow } from '../api/wire-types.js'

/** A row of the runs table: the object, and its fields by path for quick cell lookups. */
export interface TableRow {
  object: ObjectInfo
  fields: Map<string, FieldWire>
  /** The columns the row was read with (a missing field of another column is not known yet). */
  columns: ReadonlySet<string>
}

export function toTableRow(row: SearchRow, columns: ReadonlySet<string>): TableRow {
  return {
    object: row.object,
    fields: new Map(row.fields.map((field) => [field.path, field])),
    columns,
  }
}
