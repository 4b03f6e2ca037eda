/**
 * @nereid/client: log runs, models and notebooks to a Nereid server from TypeScript, with the
 * behaviour of Neptune's client (modes, a durable queue, automatic capture). See docs/sdk.md.
 */
export { initRun, initModel, initModelVersion, initProject } from './init.js'
export type {
  InitOptions,
  InitRunOptions,
  InitModelOptions,
  InitModelVersionOptions,
} from './init.js'
export { Run, Model, ModelVersion, Project, MetadataObject } from './metadata-object.js'
export type { FetchTableOptions, TableRow } from './metadata-object.js'
export { FieldHandle } from './field-handle.js'
export type { AppendOptions, ExtendOptions, UploadFilesOptions } from './field-handle.js'
export { FileValue, IntegerValue, integer } from './values.js'
export type { FileOptions } from './values.js'
export type { SeriesValues, FileInfo } from './object-reader.js'
export type { QueueStatus, WaitResult, StopResult } from './queue/object-writer.js'
export type { OperationRejection } from './queue/sender.js'
export type { CaptureOptions } from './capture/capture-options.js'
export type { Mode } from './modes/mode.js'
export type { ErrorHandler } from './reporter.js'
export { NereidApiError } from './transport/api-error.js'
export { createNotebookCheckpoint } from './notebook.js'
export type { NotebookCheckpoint, NotebookCheckpointOptions } from './notebook.js'
export { syncLocalData } from './local-data/sync-local-data.js'
export type { SyncOptions, SyncProgress, SyncResult } from './local-data/sync-local-data.js'
export { listLocalData } from './local-data/list-local-data.js'
export type { LocalObjectData, LocalDataOptions } from './local-data/list-local-data.js'
export { clearLocalData } from './local-data/clear-local-data.js'
export type { ClearResult } from './local-data/clear-local-data.js'
export type { ClientEnv } from './env.js'
