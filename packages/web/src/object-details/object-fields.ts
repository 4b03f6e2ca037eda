import type { FieldWire } from '../api/wire-types.js'

/** Lookups over an object's fields that several tabs share. */
export function fieldsOfType(
  fields: readonly FieldWire[],
  ...types: FieldWire['type'][]
): FieldWire[] {
  return fields.filter((field) => types.includes(field.type))
}

export function fieldValue<T = unknown>(
  fields: readonly FieldWire[],
  path: string,
  key = 'value',
): T | undefined {
  return fields.find((field) => field.path === path)?.value[key] as T | undefined
}

/** Automatic system monitoring (CPU, memory, GPU), written by clients under monitoring/. */
export function isMonitoringPath(path: string): boolean {
  return path.startsWith('monitoring/')
}
