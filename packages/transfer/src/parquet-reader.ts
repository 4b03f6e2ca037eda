import { NereidError } from '@nereid/core'
import { asyncBufferFromFile, parquetScan } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

/**
 * Timestamps come back as epoch milliseconds (numbers), not Date objects: a series column
 * holds millions of them, and every consumer wants the number.
 */
const PARSERS = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(micros / 1000n),
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos / 1_000_000n),
}

/** One row group of a Parquet file, column by column (timestamps as epoch ms). */
export interface ParquetChunk {
  /** Index of the first row in the file. */
  rowStart: number
  rowCount: number
  columns: Record<string, ArrayLike<unknown>>
}

/**
 * Streams a Parquet file row group by row group (never the whole file at once), with the
 * columns asked for. Any codec the exporter or pyarrow writes is read (snappy, zstd, gzip,
 * brotli, lz4). A file that cannot be read becomes IMPORT_INPUT_INVALID naming the file and
 * the rows.
 */
export async function* readParquet(
  path: string,
  columns: string[],
  label: string = path,
): AsyncGenerator<ParquetChunk> {
  let scan: Awaited<ReturnType<typeof parquetScan>>
  try {
    const file = await asyncBufferFromFile(path)
    scan = await parquetScan({ file, compressors, parsers: PARSERS, useOffsetIndex: false })
  } catch (error) {
    throw invalid(label, null, `is not a readable Parquet file (${(error as Error).message})`)
  }
  const present = new Set(scan.metadata.schema.slice(1).map((element) => element.name))
  const missing = columns.filter((column) => !present.has(column))
  for (const { rowStart, rowEnd } of scan.ranges) {
    const chunk: ParquetChunk = { rowStart, rowCount: rowEnd - rowStart, columns: {} }
    try {
      for (const column of columns) {
        chunk.columns[column] = missing.includes(column)
          ? new Array(rowEnd - rowStart).fill(null)
          : await scan.readColumn({ column, rowStart, rowEnd })
      }
    } catch (error) {
      throw invalid(
        label,
        rowStart,
        `rows ${rowStart}-${rowEnd - 1} cannot be decoded (${(error as Error).message}); the file may be truncated`,
      )
    }
    yield chunk
  }
}

/** IMPORT_INPUT_INVALID with the file and the row in its message and details. */
export function invalid(file: string, row: number | null, problem: string): NereidError {
  return new NereidError(
    'IMPORT_INPUT_INVALID',
    `${file}${row === null ? '' : ` row ${row}`}: ${problem}`,
    { file, ...(row === null ? {} : { row }) },
  )
}
