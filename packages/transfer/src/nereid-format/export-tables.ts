import { renameSync, statSync } from 'node:fs'
import { fileWriter, ParquetWriter } from 'hyparquet-writer'

/**
 * The tables of the Nereid export format (docs/export-format.md). Every column is OPTIONAL
 * (nullable); times are TIMESTAMP(MILLIS, UTC); floats are IEEE doubles, so NaN and ±Infinity
 * survive. Files are snappy-compressed Parquet that pyarrow, DuckDB, Spark and pandas read.
 */

type Kind = 'string' | 'double' | 'int64' | 'bool' | 'timestamp' | 'json'

export const TABLES = {
  objects: {
    id: 'string',
    short_id: 'string',
    kind: 'string',
    custom_run_id: 'string',
    parent_id: 'string',
    created_at: 'timestamp',
    modified_at: 'timestamp',
    ping_at: 'timestamp',
    running_ms: 'double',
    owner: 'string',
    trashed: 'bool',
  },
  fields: {
    object_id: 'string',
    path: 'string',
    type: 'string',
    float_value: 'double',
    int_value: 'int64',
    bool_value: 'bool',
    string_value: 'string',
    datetime_value: 'timestamp',
    json_value: 'json',
  },
  'float-series': {
    object_id: 'string',
    path: 'string',
    step: 'double',
    timestamp: 'timestamp',
    value: 'double',
  },
  'string-series': {
    object_id: 'string',
    path: 'string',
    step: 'double',
    timestamp: 'timestamp',
    value: 'string',
  },
  'file-series': {
    object_id: 'string',
    path: 'string',
    step: 'double',
    timestamp: 'timestamp',
    hash: 'string',
    name: 'string',
    ext: 'string',
    content_type: 'string',
    size: 'int64',
  },
  'file-sets': {
    object_id: 'string',
    path: 'string',
    file_path: 'string',
    hash: 'string',
    size: 'int64',
    mtime: 'timestamp',
  },
  artifacts: {
    hash: 'string',
    file_path: 'string',
    file_hash: 'string',
    type: 'string',
    size: 'int64',
    metadata: 'json',
  },
} as const satisfies Record<string, Record<string, Kind>>

export type TableName = keyof typeof TABLES
export type Row<T extends TableName> = { [K in keyof (typeof TABLES)[T]]: unknown }

const ELEMENT: Record<Kind, Record<string, unknown>> = {
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  json: { type: 'BYTE_ARRAY', converted_type: 'JSON' },
  double: { type: 'DOUBLE' },
  int64: { type: 'INT64' },
  bool: { type: 'BOOLEAN' },
  timestamp: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
}

const ROW_GROUP = 1_000_000

/**
 * Writes one table part: rows are buffered column by column and written in row groups; the
 * file appears under its name only when complete (written as `.tmp`, then renamed), so an
 * interrupted export never leaves a part that looks whole.
 */
export class TableWriter<T extends TableName> {
  readonly #path: string
  readonly #columns: [string, Kind][]
  readonly #writer: ParquetWriter
  #buffer: unknown[][]
  #rows = 0
  total = 0

  constructor(table: T, path: string) {
    this.#path = path
    this.#columns = Object.entries(TABLES[table]) as [string, Kind][]
    this.#writer = new ParquetWriter({
      writer: fileWriter(`${path}.tmp`),
      schema: [
        { name: 'schema', num_children: this.#columns.length },
        ...this.#columns.map(([name, kind]) => ({
          name,
          repetition_type: 'OPTIONAL' as const,
          ...ELEMENT[kind],
        })),
      ] as ConstructorParameters<typeof ParquetWriter>[0]['schema'],
      createdBy: 'nereid export',
    })
    this.#buffer = this.#columns.map(() => [])
  }

  add(row: Row<T>): void {
    const values = row as Record<string, unknown>
    this.#columns.forEach(([name, kind], i) => this.#buffer[i]!.push(encode(kind, values[name])))
    this.#rows++
    this.total++
    if (this.#rows >= ROW_GROUP) this.#flush()
  }

  /**
   * Adds `count` rows at once, column by column: `columns` holds arrays of `count` values
   * (numbers for doubles and timestamps; NaN and ±Infinity as numbers), `constants` one value
   * that every row has (the object and path of a series). The series tables take millions of
   * rows this way without an object per row.
   */
  addColumns(
    count: number,
    columns: Partial<Record<keyof (typeof TABLES)[T], ArrayLike<unknown>>>,
    constants: Partial<Record<keyof (typeof TABLES)[T], unknown>>,
  ): void {
    let start = 0
    while (start < count) {
      const take = Math.min(count - start, ROW_GROUP - this.#rows)
      this.#columns.forEach(([name, kind], c) => {
        const buffer = this.#buffer[c]!
        const source = (columns as Record<string, ArrayLike<unknown> | undefined>)[name]
        if (source) {
          if (kind === 'double' || kind === 'string' || kind === 'timestamp') {
            for (let i = start; i < start + take; i++) buffer.push(source[i] ?? null)
          } else {
            for (let i = start; i < start + take; i++) buffer.push(encode(kind, source[i]))
          }
        } else {
          const value = encode(kind, (constants as Record<string, unknown>)[name])
          for (let i = 0; i < take; i++) buffer.push(value)
        }
      })
      this.#rows += take
      this.total += take
      start += take
      if (this.#rows >= ROW_GROUP) this.#flush()
    }
  }

  #flush(): void {
    if (this.#rows === 0) return
    this.#writer.write({
      columnData: this.#columns.map(([name, kind], i) => ({
        name,
        // Typed arrays write fastest, but carry no nulls.
        data:
          kind === 'double' && !this.#buffer[i]!.includes(null)
            ? Float64Array.from(this.#buffer[i] as number[])
            : this.#buffer[i]!,
        // Times of a series move in small steps: deltas pack them into a byte or two a row.
        ...(kind === 'timestamp' && !this.#buffer[i]!.includes(null)
          ? { encoding: 'DELTA_BINARY_PACKED' as const }
          : {}),
      })),
      rowGroupSize: ROW_GROUP,
    })
    this.#buffer = this.#columns.map(() => [])
    this.#rows = 0
  }

  /** Completes the file; returns its size in bytes. */
  finish(): number {
    this.#flush()
    this.#writer.finish()
    renameSync(`${this.#path}.tmp`, this.#path)
    return statSync(this.#path).size
  }
}

function encode(kind: Kind, value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (kind) {
    case 'timestamp':
      return Math.round(value as number)
    case 'int64':
      return BigInt(Math.round(value as number))
    case 'json':
      return JSON.stringify(value)
    case 'double':
      return value as number
    default:
      return value
  }
}
