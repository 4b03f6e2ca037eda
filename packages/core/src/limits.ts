/** Limits enforced by the server; the SDK reads the same numbers to fail early. */
export const LIMITS = {
  /** Longest field path, in characters. */
  maxPathLength: 1024,
  /** Most fields one object may hold (sys/* included). */
  maxFieldsPerObject: 9000,
  /** Longest string atom, in characters. */
  maxStringLength: 65_536,
  /** Longest string-series value, in characters. */
  maxSeriesStringLength: 65_536,
  /** Most operations in one batch. */
  maxOperationsPerBatch: 10_000,
  /** Most points in one append operation. */
  maxPointsPerAppend: 1_000_000,
  /** Largest JSON request body, in bytes. */
  maxJsonBodyBytes: 256 * 1024 * 1024,
  /** Most values in one string-set operation. */
  maxStringSetValues: 10_000,
  /** Longest NQL query, in characters. */
  maxQueryLength: 100_000,
  /** Deepest nesting of parentheses or NOT in a query. */
  maxQueryDepth: 64,
  /** Most rows one search page may return. */
  maxSearchLimit: 10_000,
  /** Most buckets one downsampled series read may ask for. */
  maxBuckets: 10_000,
  /** Longest custom run id, in characters. */
  maxCustomRunIdLength: 128,
} as const
