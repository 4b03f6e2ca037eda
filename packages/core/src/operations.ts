import { Type, type Static, type TSchema } from '@sinclair/typebox'

/**
 * The single write vocabulary (DESIGN §2). The native API accepts these as JSON; the Neptune
 * protocol routes and the importers translate into them; one operation applier executes them.
 *
 * Floats travel as JSON numbers; NaN and ±Infinity, which JSON cannot carry, travel as the
 * strings "NaN", "Infinity" and "-Infinity" (see docs/api.md).
 */
export const FloatWire = Type.Union([
  Type.Number(),
  Type.Literal('NaN'),
  Type.Literal('Infinity'),
  Type.Literal('-Infinity'),
])
export type FloatWire = Static<typeof FloatWire>

const Path = Type.String({ description: 'Field path, e.g. "train/loss"' })
/** Epoch milliseconds, or an ISO-8601 date-time string. */
export const TimeWire = Type.Union([Type.Number(), Type.String({ format: 'date-time' })])

const op = <L extends string, P extends Record<string, TSchema>>(
  name: L,
  props: P,
  description: string,
) =>
  Type.Object(
    { op: Type.Literal(name), path: Path, ...props },
    { additionalProperties: false, description },
  )

const Steps = Type.Optional(
  Type.Array(Type.Union([Type.Number(), Type.Null()]), {
    description: 'One step per value; null or absent means previous step + 1 (the first is 0)',
  }),
)
const Timestamps = Type.Optional(
  Type.Array(Type.Union([Type.Number(), Type.Null()]), {
    description: 'One epoch-ms timestamp per value; null or absent means the time of arrival',
  }),
)

export const FileRefWire = Type.Object(
  {
    hash: Type.String({ description: 'sha256 of an uploaded blob (hex)' }),
    name: Type.Optional(Type.String()),
    ext: Type.Optional(Type.String()),
    contentType: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)
export type FileRefWire = Static<typeof FileRefWire>

export const FileSetEntryWire = Type.Object(
  {
    path: Type.String({ description: 'Path of the file inside the file set' }),
    hash: Type.String(),
    mtime: Type.Optional(Type.Number({ description: 'epoch ms' })),
  },
  { additionalProperties: false },
)
export type FileSetEntryWire = Static<typeof FileSetEntryWire>

export const ArtifactFileWire = Type.Object(
  {
    filePath: Type.String(),
    fileHash: Type.String(),
    type: Type.String({ description: '"Local" or "S3"' }),
    size: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
)
export type ArtifactFileWire = Static<typeof ArtifactFileWire>

export const OperationWire = Type.Union([
  op('assignFloat', { value: FloatWire }, 'Assign a float atom'),
  op('assignInt', { value: Type.Integer() }, 'Assign an integer atom'),
  op('assignBool', { value: Type.Boolean() }, 'Assign a boolean atom'),
  op('assignString', { value: Type.String() }, 'Assign a string atom'),
  op('assignDatetime', { value: TimeWire }, 'Assign a datetime atom'),
  op(
    'appendFloats',
    { values: Type.Array(FloatWire), steps: Steps, timestamps: Timestamps },
    'Append points to a float series',
  ),
  op(
    'appendStrings',
    { values: Type.Array(Type.String()), steps: Steps, timestamps: Timestamps },
    'Append points to a string series',
  ),
  op(
    'appendFiles',
    { values: Type.Array(FileRefWire), steps: Steps, timestamps: Timestamps },
    'Append uploaded files (e.g. images) to a file series',
  ),
  op(
    'clearSeries',
    {
      seriesType: Type.Union([
        Type.Literal('floatSeries'),
        Type.Literal('stringSeries'),
        Type.Literal('fileSeries'),
      ]),
    },
    'Remove every point of a series (creating it empty if missing)',
  ),
  op(
    'configFloatSeries',
    {
      min: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
      max: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
      unit: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    },
    'Set the display range and unit of a float series',
  ),
  op('addStrings', { values: Type.Array(Type.String()) }, 'Add values to a string set'),
  op('removeStrings', { values: Type.Array(Type.String()) }, 'Remove values from a string set'),
  op('clearStringSet', {}, 'Remove every value of a string set'),
  op('uploadFile', FileRefWire.properties, 'Set a file field to an uploaded blob'),
  op(
    'uploadFileSet',
    {
      reset: Type.Boolean({ description: 'Replace the whole set instead of merging' }),
      files: Type.Array(FileSetEntryWire),
    },
    'Add files to (or replace) a file set',
  ),
  op(
    'deleteFiles',
    { filePaths: Type.Array(Type.String()) },
    'Remove files or folders from a file set',
  ),
  op('assignArtifact', { hash: Type.String() }, 'Point an artifact field at a known artifact hash'),
  op(
    'trackArtifact',
    { files: Type.Array(ArtifactFileWire) },
    'Record tracked files; the server computes the artifact hash',
  ),
  op('clearArtifact', {}, 'Clear an artifact field'),
  op(
    'assignGitRef',
    {
      commitId: Type.String(),
      message: Type.Optional(Type.String()),
      authorName: Type.Optional(Type.String()),
      authorEmail: Type.Optional(Type.String()),
      commitDate: Type.Optional(TimeWire),
      branch: Type.Optional(Type.String()),
      dirty: Type.Optional(Type.Boolean()),
      remotes: Type.Optional(Type.Array(Type.String())),
    },
    'Record the git state of the code that produced the object',
  ),
  op(
    'assignNotebookRef',
    {
      notebookId: Type.String(),
      checkpointId: Type.Optional(Type.String()),
      name: Type.Optional(Type.String()),
    },
    'Reference the notebook checkpoint the object came from',
  ),
  op(
    'copyField',
    {
      fromObject: Type.Optional(
        Type.String({ description: 'UUID or short id; this object when absent' }),
      ),
      fromPath: Path,
    },
    'Copy the value of an atom, string set or file field',
  ),
  op('deleteField', {}, 'Delete a field and its data'),
])
export type OperationWire = Static<typeof OperationWire>
export type OperationName = OperationWire['op']

export const OPERATION_NAMES: readonly OperationName[] = OperationWire.anyOf.map(
  (schema) => schema.properties.op.const as OperationName,
)

/** One batch of operations from one writer. */
export const OperationBatchWire = Type.Object(
  {
    writer: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description: 'Stable id of the sending process; enables exactly-once retries',
      }),
    ),
    seq: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          "Sequence number of the batch's first operation; operations are numbered seq, seq+1, ...",
      }),
    ),
    operations: Type.Array(Type.Unknown(), { description: 'Operations applied in order' }),
  },
  { additionalProperties: false },
)
export type OperationBatchWire = Static<typeof OperationBatchWire>
