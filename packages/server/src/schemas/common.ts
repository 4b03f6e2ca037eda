import { Type, type Static } from '@sinclair/typebox'
import { FIELD_TYPES, OBJECT_KINDS, PROJECT_VISIBILITIES } from '@nereid/core'

/** Response and parameter schemas shared by the native API routes (and its OpenAPI document). */

/**
 * One of some strings, as a JSON Schema `enum` rather than a union of literals: the response
 * serializer tries every branch of a union on every value (a runs-table page holds thousands),
 * while an enum is written as the string it is.
 */
const literals = <T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code; see docs/errors.md' }),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'ErrorBody' },
)

export const ProjectParams = Type.Object({ workspace: Type.String(), project: Type.String() })
export const ObjectParams = Type.Object({
  workspace: Type.String(),
  project: Type.String(),
  object: Type.String({ description: 'UUID or readable id such as CLS-12' }),
})
export type ObjectParams = Static<typeof ObjectParams>

export const ProjectBody = Type.Object({
  id: Type.String(),
  workspace: Type.String(),
  name: Type.String(),
  key: Type.String(),
  description: Type.String(),
  visibility: literals(PROJECT_VISIBILITIES),
  storageLimitBytes: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  metadataObjectId: Type.String(),
})

export const ObjectBody = Type.Object({
  id: Type.String(),
  shortId: Type.String(),
  kind: literals(OBJECT_KINDS),
  customRunId: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  modifiedAt: Type.String({ format: 'date-time' }),
  state: Type.Union([Type.Literal('active'), Type.Literal('inactive')]),
  trashed: Type.Boolean(),
  owner: Type.String(),
  sizeBytes: Type.Number(),
})

export const FieldBody = Type.Object({
  path: Type.String(),
  type: literals(FIELD_TYPES),
  value: Type.Record(Type.String(), Type.Unknown(), {
    description: 'Type-specific value; floats may be "NaN", "Infinity", "-Infinity"',
  }),
})

export const PathQuery = Type.Object({ path: Type.String({ minLength: 1 }) })

/**
 * A request field that may be null. Not a union: with type coercion on, ajv turns null into 0
 * (or 0 into null) for `anyOf` branches; `nullable` keeps each value as it was sent.
 */
export function Nullable<T>(schema: Record<string, unknown>) {
  return Type.Unsafe<T | null>({ ...schema, nullable: true })
}
