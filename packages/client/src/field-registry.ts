import { NereidError, namespacePrefixes, type FieldType } from '@nereid/core'

/**
 * What this process knows about the object's field tree: the type of each path it wrote or
 * read, and the namespaces above them. It lets a write that the server would refuse (a float
 * written to a string series, a field under another field) fail at once, in the caller's code,
 * with nothing sent. The server stays the authority; this only catches what is certain.
 */
export class FieldRegistry {
  readonly #types = new Map<string, FieldType>()
  readonly #namespaces = new Set<string>()

  /** Replaces what is known with the server's field list (`run.sync()`, resuming). */
  reset(fields: { path: string; type: FieldType }[]): void {
    this.#types.clear()
    this.#namespaces.clear()
    for (const field of fields) this.#record(field.path, field.type)
  }

  typeOf(path: string): FieldType | undefined {
    return this.#types.get(path)
  }

  /** Checks that `path` may be written as `type`, and remembers it. */
  claim(path: string, type: FieldType): void {
    const known = this.#types.get(path)
    if (known === type) return
    this.check(path, type)
    this.#record(path, type)
  }

  /** Throws when writing `path` as `type` conflicts with a known field or namespace. */
  check(path: string, type: FieldType): void {
    const known = this.#types.get(path)
    if (known !== undefined && known !== type) {
      throw new NereidError(
        'FIELD_TYPE_CONFLICT',
        `"${path}" is a ${known} field; this writes a ${type}. Delete the field first or use another path`,
        { path, expected: known, actual: type },
      )
    }
    if (this.#namespaces.has(path)) {
      throw new NereidError(
        'NAMESPACE_CONFLICT',
        `"${path}" is a namespace (it holds other fields); it cannot also be a ${type} field`,
        { path },
      )
    }
    for (const prefix of namespacePrefixes(path)) {
      const above = this.#types.get(prefix)
      if (above !== undefined) {
        throw new NereidError(
          'NAMESPACE_CONFLICT',
          `"${prefix}" is a ${above} field, so "${path}" cannot lie under it`,
          { path, field: prefix },
        )
      }
    }
  }

  forget(path: string): void {
    this.#types.delete(path)
  }

  #record(path: string, type: FieldType): void {
    this.#types.set(path, type)
    for (const prefix of namespacePrefixes(path)) this.#namespaces.add(prefix)
  }
}
