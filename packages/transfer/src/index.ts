export { NereidApi, type NereidApiOptions } from './nereid-api.js'
export {
  Progress,
  formatSummary,
  type ProgressSink,
  type SkippedItem,
  type TransferSummary,
} from './progress.js'
export {
  importNeptuneExporter,
  type NeptuneExporterImportOptions,
} from './neptune-exporter/import-neptune-exporter.js'
export {
  importNeptuneOffline,
  type NeptuneOfflineImportOptions,
} from './neptune-offline/import-neptune-offline.js'
export {
  exportProject,
  type ExportOptions,
  type ExportManifest,
} from './nereid-format/export-project.js'
export { importNereid, type NereidImportOptions } from './nereid-format/import-nereid.js'
