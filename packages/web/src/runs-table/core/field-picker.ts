import type { FieldType } from '@nereid/core'

export interface PickerField {
  path: string
  types: FieldType[]
}

export interface PickerEntry extends PickerField {
  /** A metric name or tag path the project's conventions accept. */
  accepted: boolean
  shown: boolean
}

/** Groups the (path, type) pairs of the project's field list by path. */
export function pickerFields(pairs: readonly { path: string; type: FieldType }[]): PickerField[] {
  const byPath = new Map<string, FieldType[]>()
  for (const { path, type } of pairs) {
    const types = byPath.get(path)
    if (types) types.push(type)
    else byPath.set(path, [type])
  }
  return [...byPath].map(([path, types]) => ({ path, types }))
}

/**
 * The field picker's list for a search: every word of the search must occur in the path
 * (case-insensitive); accepted names (the project's conventions) come first, then fields that
 * start with the search, then the rest, each alphabetically; sys/ fields after user fields.
 */
export function pickerEntries(
  fields: readonly PickerField[],
  search: string,
  isAccepted: (path: string) => boolean,
  shown: ReadonlySet<string>,
  limit = 500,
): PickerEntry[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean)
  const needle = search.trim().toLowerCase()
  const scored: { entry: PickerEntry; rank: number }[] = []
  for (const field of fields) {
    const lower = field.path.toLowerCase()
    if (!words.every((word) => lower.includes(word))) continue
    const accepted = isAccepted(field.path)
    const rank =
      (accepted ? 0 : 4) +
      (needle && lower.startsWith(needle) ? 0 : 2) +
      (field.path.startsWith('sys/') ? 1 : 0)
    scored.push({ entry: { ...field, accepted, shown: shown.has(field.path) }, rank })
  }
  scored.sort((a, b) => a.rank - b.rank || a.entry.path.localeCompare(b.entry.path))
  return scored.slice(0, limit).map((item) => item.entry)
}
