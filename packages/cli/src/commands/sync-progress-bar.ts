/**
 * A one-line progress bar with counts and a rate, redrawn at most ten times a second. On a
 * terminal it rewrites its line; anywhere else (a log file, CI) it stays silent, and callers
 * print one summary line per item instead.
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream
  readonly #label: string
  readonly #total: number
  readonly #unit: string
  readonly #startedAt = Date.now()
  readonly #interactive: boolean
  #lastDraw = 0
  #done = 0

  constructor(stream: NodeJS.WriteStream, options: { label: string; total: number; unit: string }) {
    this.#stream = stream
    this.#label = options.label
    this.#total = Math.max(0, options.total)
    this.#unit = options.unit
    this.#interactive = stream.isTTY === true
  }

  update(done: number): void {
    this.#done = done
    const now = Date.now()
    if (!this.#interactive || now - this.#lastDraw < 100) return
    this.#lastDraw = now
    this.#draw(now)
  }

  /** Clears the bar (the caller prints the summary line). */
  finish(): void {
    if (this.#interactive) this.#stream.write('\r\x1b[2K')
  }

  #draw(now: number): void {
    const seconds = Math.max(0.001, (now - this.#startedAt) / 1000)
    const rate = this.#done / seconds
    const fraction = this.#total > 0 ? Math.min(1, this.#done / this.#total) : 1
    const width = 24
    const filled = Math.round(fraction * width)
    const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}`
    const left = rate > 0 ? (this.#total - this.#done) / rate : Number.POSITIVE_INFINITY
    const eta = Number.isFinite(left) ? ` ETA ${formatDuration(left)}` : ''
    const line = `${this.#label} [${bar}] ${Math.floor(fraction * 100)}% ${count(this.#done)}/${count(this.#total)} ${this.#unit} ${count(Math.round(rate))}/s${eta}`
    const columns = this.#stream.columns ?? 120
    this.#stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`)
  }
}

export function count(value: number): string {
  return value.toLocaleString('en-US')
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}
