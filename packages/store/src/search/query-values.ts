import type { NqlValue } from '@nereid/core'

/**
 * How NQL value tokens are read for each kind of comparison. Every reader returns null when the
 * value cannot mean what the field type needs; the compiler turns that into a query error
 * (typed conditions) or leaves that interpretation out (untyped conditions).
 */

/** A finite number: a number token, or a string or word that reads as one (`"0.5"`). */
export function numberValue(value: NqlValue): number | null {
  switch (value.kind) {
    case 'number':
      return Number.isFinite(value.value) ? value.value : null
    case 'string':
    case 'word': {
      const text = value.value.trim()
      if (text === '') return null
      const number = Number(text)
      return Number.isFinite(number) ? number : null
    }
    case 'bool':
      return null
  }
}

/** A bool token, or the word or string `true` / `false` (any case). */
export function boolValue(value: NqlValue): boolean | null {
  if (value.kind === 'bool') return value.value
  if (value.kind === 'string' || value.kind === 'word') {
    const text = value.value.trim().toLowerCase()
    if (text === 'true') return true
    if (text === 'false') return false
  }
  return null
}

/**
 * Epoch milliseconds: a number (or a string of digits) is taken as epoch ms, any other string
 * or word as an ISO-8601 date.
 */
export function datetimeValue(value: NqlValue): number | null {
  if (value.kind === 'number') return Number.isFinite(value.value) ? value.value : null
  if (value.kind === 'string' || value.kind === 'word') {
    const text = value.value.trim()
    return /^-?\d+$/.test(text) ? Number(text) : parseIsoDate(text)
  }
  return null
}

/** The text of a value: strings and words as they are, numbers as written, bools as true/false. */
export function textValue(value: NqlValue): string {
  switch (value.kind) {
    case 'string':
    case 'word':
      return value.value
    case 'number':
      return value.raw
    case 'bool':
      return value.value ? 'true' : 'false'
  }
}

/** A run state: `running`/`active` mean active, `idle`/`inactive` mean inactive (any case). */
export function stateValue(value: NqlValue): 'active' | 'inactive' | null {
  if (value.kind !== 'string' && value.kind !== 'word') return null
  switch (value.value.trim().toLowerCase()) {
    case 'running':
    case 'active':
      return 'active'
    case 'idle':
    case 'inactive':
      return 'inactive'
    default:
      return null
  }
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/**
 * Epoch ms of an ISO-8601 date (`2026-03-05`, `2026-03-05T12:00`, `2026-03-05T12:00:00.123+02:00`).
 * A date or time without a zone is read as UTC, so a query means the same on every server.
 */
export function parseIsoDate(text: string): number | null {
  const match = ISO_DATE.exec(text.trim())
  if (!match) return null
  const [, year, month, day, hour, minute, second, fraction, zone] = match
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000)
  const local = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
    ms,
  )
  const check = new Date(local)
  if (
    check.getUTCFullYear() !== Number(year) ||
    check.getUTCMonth() !== Number(month) - 1 ||
    check.getUTCDate() !== Number(day) ||
    Number(hour ?? 0) > 23 ||
    Number(minute ?? 0) > 59 ||
    Number(second ?? 0) > 59
  ) {
    return null
  }
  return local - zoneOffsetMs(zone)
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
  return sign * (hours * 60 + minutes) * 60_000
}

/** A regular expression that matches `text` literally, in JavaScript and PostgreSQL syntax alike. */
export function literalRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, (char) => `\\${char}`)
}

/** A LIKE pattern for "contains `text`", with `\` as the escape character. */
export function likeContainsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
}
