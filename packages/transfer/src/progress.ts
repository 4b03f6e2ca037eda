/** What an import or export did, reported at the end (and as JSON with `--json`). */
export interface TransferSummary {
  /** Objects written (created or completed) in this run. */
  objects: number
  /** Objects already complete at the target from an earlier run, left as they were. */
  alreadyDone: number
  fields: number
  points: number
  files: number
  /** Input bytes read (import) or output bytes written (export). */
  bytes: number
  seconds: number
  /** What was not transferred, each with where it is and why. */
  skipped: SkippedItem[]
}

export interface SkippedItem {
  /** The file, object or field concerned, e.g. `data/acme_vision-…/VIS-1_part_0.parquet row 17`. */
  where: string
  reason: string
}

/** Where progress is drawn: a stream, and whether it is a terminal (then one line is redrawn). */
export interface ProgressSink {
  write(text: string): void
  isTTY: boolean
}

/**
 * Counts what a transfer does and shows it as it goes: on a terminal one redrawn line with
 * counts and rates, elsewhere a plain line every few seconds (logs stay readable).
 */
export class Progress {
  readonly summary: TransferSummary
  #total: number | null = null
  readonly #sink: ProgressSink | null
  readonly #start = Date.now()
  #lastDraw = 0
  readonly #label: string

  constructor(label: string, sink: ProgressSink | null) {
    this.#label = label
    this.#sink = sink
    this.summary = {
      objects: 0,
      alreadyDone: 0,
      fields: 0,
      points: 0,
      files: 0,
      bytes: 0,
      seconds: 0,
      skipped: [],
    }
  }

  setTotal(objects: number): void {
    this.#total = objects
    this.draw(true)
  }

  add(
    counts: Partial<
      Pick<TransferSummary, 'objects' | 'alreadyDone' | 'fields' | 'points' | 'files' | 'bytes'>
    >,
  ): void {
    for (const [key, value] of Object.entries(counts) as [keyof typeof counts, number][])
      this.summary[key] += value
    this.draw(false)
  }

  skip(where: string, reason: string): void {
    this.summary.skipped.push({ where, reason })
  }

  /** Draws the progress line when enough time has passed (or at once with `force`). */
  draw(force: boolean): void {
    if (!this.#sink) return
    const now = Date.now()
    const interval = this.#sink.isTTY ? 200 : 5000
    if (!force && now - this.#lastDraw < interval) return
    this.#lastDraw = now
    const line = this.line(now)
    this.#sink.write(this.#sink.isTTY ? `\r\x1b[2K${line}` : `${line}\n`)
  }

  /** Ends the progress line and returns the summary. */
  finish(): TransferSummary {
    this.summary.seconds = (Date.now() - this.#start) / 1000
    if (this.#sink) {
      const line = this.line(Date.now())
      this.#sink.write(this.#sink.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`)
    }
    return this.summary
  }

  line(now: number): string {
    const s = this.summary
    const seconds = Math.max((now - this.#start) / 1000, 0.001)
    const done = s.objects + s.alreadyDone
    const objects = this.#total === null ? `${done}` : `${done}/${this.#total}`
    const bar = this.#total ? `${renderBar(done / this.#total)} ` : ''
    return (
      `${this.#label} ${bar}objects ${objects} · fields ${formatCount(s.fields)} · ` +
      `points ${formatCount(s.points)} (${formatCount(s.points / seconds)}/s) · ` +
      `${formatBytes(s.bytes)} (${formatBytes(s.bytes / seconds)}/s)` +
      (s.skipped.length ? ` · skipped ${s.skipped.length}` : '')
    )
  }
}

function renderBar(fraction: number): string {
  const width = 20
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

export function formatCount(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(1)}G`
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`
  if (value >= 1e4) return `${(value / 1e3).toFixed(1)}k`
  return String(Math.round(value))
}

export function formatBytes(value: number): string {
  if (value >= 1024 ** 3) return `${(value / 1024 ** 3).toFixed(2)} GiB`
  if (value >= 1024 ** 2) return `${(value / 1024 ** 2).toFixed(1)} MiB`
  if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`
  return `${Math.round(value)} B`
}

/** The end-of-run report, for people. */
export function formatSummary(title: string, summary: TransferSummary): string {
  const lines = [
    `${title}: ${summary.objects} objects written, ${summary.alreadyDone} already complete`,
    `  fields ${summary.fields}, series points ${summary.points}, files ${summary.files}, ${formatBytes(summary.bytes)} in ${summary.seconds.toFixed(1)} s`,
  ]
  if (summary.skipped.length === 0) {
    lines.push('  nothing skipped')
  } else {
    lines.push(`  skipped ${summary.skipped.length}:`)
    const shown = summary.skipped.slice(0, 50)
    for (const item of shown) lines.push(`    ${item.where}: ${item.reason}`)
    if (summary.skipped.length > shown.length)
      lines.push(`    … and ${summary.skipped.length - shown.length} more (use --json for all)`)
  }
  return lines.join('\n')
}
