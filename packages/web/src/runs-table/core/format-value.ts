import type { FieldType } from '@nereid/core'
import type { FieldWire } from '../../api/wire-types.js'
import { floatFromWire } from '../../charts/core/wire-floats.js'

/** What a table cell shows for a field, by type; the cell component only draws it. */
export type CellContent =
  | { kind: 'empty' }
  | { kind: 'text'; text: string; title?: string; numeric?: boolean }
  | { kind: 'date'; text: string; title: string }
  | { kind: 'chips'; values: string[] }
  | { kind: 'bool'; value: boolean }
  | { kind: 'state'; value: 'active' | 'inactive' }
  /** A float series: its last value, and a sparkline drawn from the series. */
  | { kind: 'series'; text: string; title: string }

/** Numbers with up to 6 significant digits; exponents for very small and very large ones. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞'
  if (value === 0) return '0'
  const magnitude = Math.abs(value)
  if (Number.isInteger(value) && magnitude < 1e15) return groupThousands(value)
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(3).replace('e+', 'e')
  return String(Number(value.toPrecision(6)))
}

/**
 * 1234567 → "1,234,567", as en-US writes it, without Intl: the page's first Intl number format
 * starts ICU, which took ~30 ms of the runs table's first render (measured in Chromium).
 */
function groupThousands(value: number): string {
  const digits = String(Math.abs(value))
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1)
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`
  return value < 0 ? `-${grouped}` : grouped
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB']

/** 1536 → "1.5 KB" (powers of 1024, as disks are measured by most tools). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : Number(value.toFixed(value < 10 ? 1 : 0))} ${UNITS[unit]}`
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function formatRelativeTime(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000)
  if (seconds < 0) return formatDateTime(ms)
  if (seconds < 45) return 'just now'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 24) return `${hours} h ago`
  const days = Math.round(hours / 24)
  if (days < 30) return days === 1 ? 'yesterday' : `${days} days ago`
  return new Date(ms).toISOString().slice(0, 10)
}

/** An absolute time in the reader's time zone: "2026-01-05 14:03:12". */
export function formatDateTime(ms: number): string {
  const date = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

/** "1h 02m 03s" for a duration in seconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(rest).padStart(2, '0')}s`
  if (m > 0) return `${m}m ${String(rest).padStart(2, '0')}s`
  return `${rest}s`
}

const str = (value: unknown) => (typeof value === 'string' ? value : '')
const num = (value: unknown) => floatFromWire(value)

/** The cell content for a field's value; `now` makes relative dates. */
export function cellContent(field: FieldWire | undefined, now: number): CellContent {
  if (!field) return { kind: 'empty' }
  const value = field.value
  switch (field.type as FieldType) {
    case 'float':
    case 'int': {
      const n = num(value.value)
      return { kind: 'text', text: formatNumber(n), title: String(value.value), numeric: true }
    }
    case 'bool':
      return { kind: 'bool', value: value.value === true }
    case 'string':
      return str(value.value) === ''
        ? { kind: 'empty' }
        : { kind: 'text', text: str(value.value), title: str(value.value) }
    case 'datetime': {
      const ms = Date.parse(str(value.value))
      return { kind: 'date', text: formatRelativeTime(ms, now), title: formatDateTime(ms) }
    }
    case 'stringSet':
      return {
        kind: 'chips',
        values: Array.isArray(value.values) ? (value.values as string[]) : [],
      }
    case 'floatSeries': {
      if (value.last === null || value.last === undefined) return { kind: 'empty' }
      const last = num(value.last)
      const parts = [`last ${formatNumber(last)}`]
      if (value.min !== null && value.min !== undefined)
        parts.push(`min ${formatNumber(num(value.min))}`)
      if (value.max !== null && value.max !== undefined)
        parts.push(`max ${formatNumber(num(value.max))}`)
      parts.push(`${formatNumber(Number(value.count ?? 0))} points`)
      return { kind: 'series', text: formatNumber(last), title: parts.join(' · ') }
    }
    case 'stringSeries':
      return value.last === null || value.last === undefined
        ? { kind: 'empty' }
        : { kind: 'text', text: str(value.last), title: `${Number(value.count ?? 0)} lines` }
    case 'fileSeries':
      return { kind: 'text', text: `${formatNumber(Number(value.count ?? 0))} files` }
    case 'file':
      return {
        kind: 'text',
        text: `${str(value.name)} (${formatBytes(Number(value.size))})`,
        title: str(value.contentType),
      }
    case 'fileSet':
      return {
        kind: 'text',
        text: `${formatNumber(Number(value.fileCount ?? 0))} files, ${formatBytes(Number(value.size))}`,
      }
    case 'artifact':
      return { kind: 'text', text: str(value.hash).slice(0, 12), title: str(value.hash) }
    case 'gitRef': {
      const commit = str(value.commitId).slice(0, 8)
      const branch = str(value.branch)
      return {
        kind: 'text',
        text: branch ? `${commit} (${branch})${value.dirty ? ' *' : ''}` : commit,
        title: str(value.message),
      }
    }
    case 'notebookRef':
      return { kind: 'text', text: str(value.name) || str(value.notebookId) }
    case 'runState':
      return { kind: 'state', value: value.value === 'active' ? 'active' : 'inactive' }
  }
}

/** The same content as plain text (copying, CSV export, tooltips). */
export function cellText(content: CellContent): string {
  switch (content.kind) {
    case 'empty':
      return ''
    case 'chips':
      return content.values.join(', ')
    case 'bool':
      return content.value ? 'true' : 'false'
    case 'state':
      return content.value === 'active' ? 'Active' : 'Inactive'
    default:
      return content.text
  }
}
