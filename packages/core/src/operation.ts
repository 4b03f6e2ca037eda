import type { FieldType, SeriesType } from './field-types.js'
import type { ArtifactFile, GitRefValue, NotebookRefValue } from './domain.js'

/**
 * An operation after parsing: validated, with floats decoded and series columns packed into
 * typed arrays. In `steps` and `timestamps`, NaN means "not given" (the applier assigns the
 * previous step + 1, or the time of arrival).
 */
export type Operation =
  | { kind: 'assign'; path: string; type: 'float' | 'int' | 'datetime'; value: number }
  | { kind: 'assign'; path: string; type: 'bool'; value: boolean }
  | { kind: 'assign'; path: string; type: 'string'; value: string }
  | {
      kind: 'appendFloats'
      path: string
      steps: Float64Array
      values: Float64Array
      timestamps: Float64Array
    }
  | {
      kind: 'appendStrings'
      path: string
      steps: Float64Array
      values: string[]
      timestamps: Float64Array
    }
  | {
      kind: 'appendFiles'
      path: string
      steps: Float64Array
      values: FileRef[]
      timestamps: Float64Array
    }
  | { kind: 'clearSeries'; path: string; type: SeriesType }
  | {
      kind: 'configFloatSeries'
      path: string
      min: number | null
      max: number | null
      unit: string | null
    }
  | { kind: 'addStrings' | 'removeStrings'; path: string; values: string[] }
  | { kind: 'clearStringSet'; path: string }
  | { kind: 'uploadFile'; path: string; file: FileRef }
  | {
      kind: 'uploadFileSet'
      path: string
      reset: boolean
      files: { path: string; hash: string; mtime: number | null }[]
    }
  | { kind: 'deleteFiles'; path: string; filePaths: string[] }
  | { kind: 'assignArtifact'; path: string; hash: string }
  | { kind: 'trackArtifact'; path: string; files: ArtifactFile[] }
  | { kind: 'clearArtifact'; path: string }
  | { kind: 'assignGitRef'; path: string; value: GitRefValue }
  | { kind: 'assignNotebookRef'; path: string; value: NotebookRefValue }
  | { kind: 'copyField'; path: string; fromObject: string | null; fromPath: string }
  | { kind: 'deleteField'; path: string }

export interface FileRef {
  hash: string
  name: string | null
  ext: string | null
  contentType: string | null
  description: string | null
}

/**
 * The field type an operation writes, or null when it accepts several (copy) or none (delete).
 * A path's type is fixed by its first write; a later operation of another type is a conflict.
 */
export function operationFieldType(operation: Operation): FieldType | null {
  switch (operation.kind) {
    case 'assign':
      return operation.type
    case 'appendFloats':
    case 'configFloatSeries':
      return 'floatSeries'
    case 'appendStrings':
      return 'stringSeries'
    case 'appendFiles':
      return 'fileSeries'
    case 'clearSeries':
      return operation.type
    case 'addStrings':
    case 'removeStrings':
    case 'clearStringSet':
      return 'stringSet'
    case 'uploadFile':
      return 'file'
    case 'uploadFileSet':
    case 'deleteFiles':
      return 'fileSet'
    case 'assignArtifact':
    case 'trackArtifact':
    case 'clearArtifact':
      return 'artifact'
    case 'assignGitRef':
      return 'gitRef'
    case 'assignNotebookRef':
      return 'notebookRef'
    case 'copyField':
    case 'deleteField':
      return null
  }
}
