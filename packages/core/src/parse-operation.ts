import { FormatRegistry } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { ValidationError } from './errors.js'
import { floatFromWire } from './floats.js'
import { MODEL_STAGES } from './field-types.js'
import { LIMITS } from './limits.js'
import type { FileRef, Operation } from './operation.js'
import { OPERATION_NAMES, OperationWire, type FileRefWire } from './operations.js'
import { isSysPath, validatePath } from './paths.js'
import { SYS_FIELD_TYPES, USER_WRITABLE_SYS_PATHS } from './sys-fields.js'
import { operationFieldType } from './operation.js'

// TypeBox knows no formats by itself; the date-time check here matches what parseTime accepts.
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)))

const checkOperation = TypeCompiler.Compile(OperationWire)
const schemaByName = new Map(
  OperationWire.anyOf.map((schema) => [
    schema.properties.op.const as string,
    TypeCompiler.Compile(schema),
  ]),
)

const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * Turns one operation as received on the wire into an `Operation`, or throws a
 * `ValidationError` that says which field is wrong and why. Nothing here touches storage:
 * conflicts with what is stored are the applier's business.
 */
export function parseOperation(raw: unknown): Operation {
  if (!checkOperation.Check(raw)) throw describeSchemaError(raw)
  const wire = raw as OperationWire
  const path = validatePath(wire.path)
  const operation = toOperation(wire, path)
  if (isSysPath(path)) checkSysWrite(operation)
  return operation
}

function toOperation(wire: OperationWire, path: string): Operation {
  switch (wire.op) {
    case 'assignFloat':
      return { kind: 'assign', path, type: 'float', value: floatFromWire(wire.value) }
    case 'assignInt':
      if (!Number.isSafeInteger(wire.value)) {
        throw invalid(
          `value ${wire.value} of "${path}" is outside the exact integer range (±2^53)`,
          'value',
        )
      }
      return { kind: 'assign', path, type: 'int', value: wire.value }
    case 'assignBool':
      return { kind: 'assign', path, type: 'bool', value: wire.value }
    case 'assignString':
      checkStringLength(wire.value, LIMITS.maxStringLength, 'value')
      return { kind: 'assign', path, type: 'string', value: wire.value }
    case 'assignDatetime':
      return { kind: 'assign', path, type: 'datetime', value: parseTime(wire.value, 'value') }
    case 'appendFloats': {
      const count = checkPointCount(wire.values.length, wire.steps, wire.timestamps)
      const values = new Float64Array(count)
      for (let i = 0; i < count; i++) values[i] = floatFromWire(wire.values[i]!)
      return {
        kind: 'appendFloats',
        path,
        values,
        steps: column(wire.steps, count, 'steps'),
        timestamps: column(wire.timestamps, count, 'timestamps'),
      }
    }
    case 'appendStrings': {
      const count = checkPointCount(wire.values.length, wire.steps, wire.timestamps)
      for (let i = 0; i < count; i++)
        checkStringLength(wire.values[i]!, LIMITS.maxSeriesStringLength, `values[${i}]`)
      return {
        kind: 'appendStrings',
        path,
        values: wire.values,
        steps: column(wire.steps, count, 'steps'),
        timestamps: column(wire.timestamps, count, 'timestamps'),
      }
    }
    case 'appendFiles': {
      const count = checkPointCount(wire.values.length, wire.steps, wire.timestamps)
      const values = wire.values.map((file, i) => fileRef(file, `values[${i}]`))
      return {
        kind: 'appendFiles',
        path,
        values,
        steps: column(wire.steps, count, 'steps'),
        timestamps: column(wire.timestamps, count, 'timestamps'),
      }
    }
    case 'clearSeries':
      return { kind: 'clearSeries', path, type: wire.seriesType }
    case 'configFloatSeries':
      return {
        kind: 'configFloatSeries',
        path,
        min: wire.min ?? null,
        max: wire.max ?? null,
        unit: wire.unit ?? null,
      }
    case 'addStrings':
    case 'removeStrings':
      if (wire.values.length > LIMITS.maxStringSetValues) {
        throw invalid(
          `${wire.values.length} values in one operation; the limit is ${LIMITS.maxStringSetValues}`,
          'values',
        )
      }
      wire.values.forEach((value, i) =>
        checkStringLength(value, LIMITS.maxStringLength, `values[${i}]`),
      )
      return { kind: wire.op, path, values: [...new Set(wire.values)] }
    case 'clearStringSet':
      return { kind: 'clearStringSet', path }
    case 'uploadFile':
      return { kind: 'uploadFile', path, file: fileRef(wire, 'hash') }
    case 'uploadFileSet':
      return {
        kind: 'uploadFileSet',
        path,
        reset: wire.reset,
        files: wire.files.map((file, i) => ({
          path: validateFileSetPath(file.path, `files[${i}].path`),
          hash: checkHash(file.hash, `files[${i}].hash`),
          mtime: file.mtime ?? null,
        })),
      }
    case 'deleteFiles':
      return {
        kind: 'deleteFiles',
        path,
        filePaths: wire.filePaths.map((p, i) => validateFileSetPath(p, `filePaths[${i}]`)),
      }
    case 'assignArtifact':
      return { kind: 'assignArtifact', path, hash: wire.hash }
    case 'trackArtifact':
      return {
        kind: 'trackArtifact',
        path,
        files: wire.files.map((file) => ({
          filePath: file.filePath,
          fileHash: file.fileHash,
          type: file.type,
          size: file.size ?? null,
          metadata: file.metadata ?? {},
        })),
      }
    case 'clearArtifact':
      return { kind: 'clearArtifact', path }
    case 'assignGitRef': {
      const { op: _op, path: _path, commitDate, ...rest } = wire
      return {
        kind: 'assignGitRef',
        path,
        value:
          commitDate === undefined
            ? rest
            : { ...rest, commitDate: parseTime(commitDate, 'commitDate') },
      }
    }
    case 'assignNotebookRef': {
      const { op: _op, path: _path, ...value } = wire
      return { kind: 'assignNotebookRef', path, value }
    }
    case 'copyField':
      return {
        kind: 'copyField',
        path,
        fromObject: wire.fromObject ?? null,
        fromPath: validatePath(wire.fromPath, 'fromPath'),
      }
    case 'deleteField':
      return { kind: 'deleteField', path }
  }
}

/** Clients may write only a few sys/ fields, and only with their fixed types. */
function checkSysWrite(operation: Operation): void {
  const path = operation.path
  if (!USER_WRITABLE_SYS_PATHS.has(path)) {
    throw new ValidationError(
      `"${path}" is maintained by the server; writable sys/ fields are ${[...USER_WRITABLE_SYS_PATHS].join(', ')}`,
      { field: 'path', path },
      'SYS_FIELD_READ_ONLY',
    )
  }
  if (operation.kind === 'deleteField') {
    throw new ValidationError(
      `"${path}" cannot be deleted`,
      { field: 'path', path },
      'SYS_FIELD_READ_ONLY',
    )
  }
  const expected = SYS_FIELD_TYPES[path as keyof typeof SYS_FIELD_TYPES]
  const actual = operationFieldType(operation)
  if (actual !== null && actual !== expected) {
    throw new ValidationError(
      `"${path}" is a ${expected} field; this operation writes a ${actual}`,
      { field: 'path', path, expected, actual },
      'FIELD_TYPE_CONFLICT',
    )
  }
  if (path === 'sys/stage' && operation.kind === 'assign') {
    if (!(MODEL_STAGES as readonly unknown[]).includes(operation.value)) {
      throw invalid(
        `sys/stage must be one of ${MODEL_STAGES.join(', ')}; got "${String(operation.value)}"`,
        'value',
      )
    }
  }
}

function describeSchemaError(raw: unknown): ValidationError {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return new ValidationError('an operation must be a JSON object with "op" and "path"', {
      field: 'operation',
    })
  }
  const name = (raw as { op?: unknown }).op
  const schema = typeof name === 'string' ? schemaByName.get(name) : undefined
  if (schema === undefined) {
    return new ValidationError(
      typeof name === 'string'
        ? `unknown operation "${name}"; known operations are ${OPERATION_NAMES.join(', ')}`
        : 'the operation has no "op" name',
      { field: 'op', known: OPERATION_NAMES },
      'OPERATION_UNKNOWN',
    )
  }
  const first = schema.Errors(raw).First()
  const field = first
    ? first.path.replace(/^\//, '').replaceAll('/', '.') || 'operation'
    : 'operation'
  const reason = first ? first.message.toLowerCase() : 'does not match the schema'
  return new ValidationError(`${name}: "${field}" ${reason}`, { field, reason })
}

function checkPointCount(
  count: number,
  steps: unknown[] | undefined,
  timestamps: unknown[] | undefined,
): number {
  if (count > LIMITS.maxPointsPerAppend) {
    throw invalid(
      `${count} points in one append; the limit is ${LIMITS.maxPointsPerAppend}`,
      'values',
    )
  }
  if (steps !== undefined && steps.length !== count) {
    throw invalid(`steps has ${steps.length} entries but values has ${count}`, 'steps')
  }
  if (timestamps !== undefined && timestamps.length !== count) {
    throw invalid(
      `timestamps has ${timestamps.length} entries but values has ${count}`,
      'timestamps',
    )
  }
  return count
}

function column(source: (number | null)[] | undefined, count: number, field: string): Float64Array {
  const out = new Float64Array(count)
  if (source === undefined) {
    out.fill(Number.NaN)
    return out
  }
  for (let i = 0; i < count; i++) {
    const value = source[i]
    if (value === null || value === undefined) {
      out[i] = Number.NaN
    } else if (!Number.isFinite(value)) {
      throw invalid(`${field}[${i}] must be a finite number`, `${field}[${i}]`)
    } else {
      out[i] = value
    }
  }
  return out
}

function parseTime(value: number | string, field: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(value)
  if (!Number.isFinite(ms)) {
    throw invalid(
      `${field} must be epoch milliseconds or an ISO-8601 date-time; got ${JSON.stringify(value)}`,
      field,
    )
  }
  return ms
}

function fileRef(wire: FileRefWire, field: string): FileRef {
  return {
    hash: checkHash(wire.hash, field.endsWith('hash') ? field : `${field}.hash`),
    name: wire.name ?? null,
    ext: wire.ext ?? null,
    contentType: wire.contentType ?? null,
    description: wire.description ?? null,
  }
}

function checkHash(hash: string, field: string): string {
  if (!SHA256_HEX.test(hash)) {
    throw invalid(`${field} must be the lowercase hex sha256 of an uploaded blob`, field)
  }
  return hash
}

/** Paths inside a file set: relative, "/"-separated, no "." or ".." segments. */
export function validateFileSetPath(path: string, field: string): string {
  const segments = path.split('/')
  if (
    path.length === 0 ||
    path.length > LIMITS.maxPathLength ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw invalid(
      `${field} "${path.slice(0, 80)}" must be a relative path without empty, "." or ".." segments`,
      field,
    )
  }
  return path
}

function checkStringLength(value: string, limit: number, field: string): void {
  if (value.length > limit)
    throw invalid(`${field} is ${value.length} characters long; the limit is ${limit}`, field)
}

function invalid(message: string, field: string): ValidationError {
  return new ValidationError(message, { field }, 'VALUE_INVALID')
}
