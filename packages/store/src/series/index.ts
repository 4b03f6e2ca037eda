export {
  BLOCK_CAPACITY,
  BLOCK_FORMAT_VERSION,
  concatColumns,
  concatFloat64,
  decodeBlock,
  encodeFileBlock,
  encodeFloatBlock,
  encodeStringBlock,
  sliceColumns,
  type DecodedBlock,
  type FileColumns,
  type FloatColumns,
  type SeriesColumns,
  type SeriesType,
  type StringColumns,
} from './block-codec.js'
export {
  chunkEnd,
  chunkStart,
  computeBlockStats,
  decodeBlockStats,
  decodeBlockSummary,
  decodeStatsRow,
  hasAllRecords,
  STAT,
  statOf,
  STATS_FORMAT_VERSION,
  STATS_HEAD_BYTES,
  STATS_RECORD_FIELDS,
  SUB_CHUNK_SIZE,
  summarize,
  upgradeBlockStats,
  type BlockStats,
  type BlockStatsRow,
  type BlockStatsView,
  type ValueSummary,
} from './block-stats.js'
export { downsample, FAST_PATH_DENSITY } from './downsample.js'
export { readPage } from './series-page.js'
export { BlockStatsCache } from './block-stats-cache.js'
export { SeriesHeadsCache } from './series-heads-cache.js'
