import { describe, expect, it } from 'vitest'
import {
  cellContent,
  cellText,
  formatBytes,
  formatDuration,
  formatNumber,
  formatRelativeTime,
} from './format-value.js'

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0)

describe('value formatting', () => {
  it('formats numbers to six significant digits, with exponents at the extremes', () => {
    expect(formatNumber(0.123456789)).toBe('0.123457')
    expect(formatNumber(12345678)).toBe('12,345,678')
    expect(formatNumber(1234567.5)).toBe('1.235e6')
    expect(formatNumber(0.00001234)).toBe('1.234e-5')
    expect(formatNumber(Number.NaN)).toBe('NaN')
    expect(formatNumber(-Infinity)).toBe('-∞')
  })

  it('groups the digits of whole numbers in threes, as en-US does', () => {
    for (const value of [1, 12, 123, 1234, -1234, 12345, 123456, -1234567, 999_999_999_999_999]) {
      expect(formatNumber(value)).toBe(value.toLocaleString('en-US'))
    }
  })

  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GB')
    expect(formatDuration(3723)).toBe('1h 02m 03s')
    expect(formatDuration(65)).toBe('1m 05s')
  })

  it('says how long ago something happened', () => {
    expect(formatRelativeTime(NOW - 10_000, NOW)).toBe('just now')
    expect(formatRelativeTime(NOW - 5 * 60_000, NOW)).toBe('5 min ago')
    expect(formatRelativeTime(NOW - 3 * 3_600_000, NOW)).toBe('3 h ago')
    expect(formatRelativeTime(NOW - 86_400_000, NOW)).toBe('yesterday')
    expect(formatRelativeTime(NOW - 60 * 86_400_000, NOW)).toBe('2025-11-11')
  })
})

describe('cell content by field type', () => {
  it('shows floats with their exact value on hover, NaN spelled out', () => {
    expect(cellContent({ path: 'a', type: 'float', value: { value: 0.1 } }, NOW)).toEqual({
      kind: 'text',
      text: '0.1',
      title: '0.1',
      numeric: true,
    })
    expect(cellContent({ path: 'a', type: 'float', value: { value: 'NaN' } }, NOW)).toMatchObject({
      text: 'NaN',
    })
  })

  it('shows dates relative, with the absolute time on hover', () => {
    const content = cellContent(
      {
        path: 'sys/creation_time',
        type: 'datetime',
        value: { value: new Date(NOW - 120_000).toISOString() },
      },
      NOW,
    )
    expect(content).toMatchObject({ kind: 'date', text: '2 min ago' })
  })

  it('shows tags as chips and a series by its last value', () => {
    expect(
      cellContent({ path: 'sys/tags', type: 'stringSet', value: { values: ['a', 'b'] } }, NOW),
    ).toEqual({
      kind: 'chips',
      values: ['a', 'b'],
    })
    const series = cellContent(
      { path: 'loss', type: 'floatSeries', value: { last: 0.25, min: 0.2, max: 3, count: 1000 } },
      NOW,
    )
    expect(series).toEqual({
      kind: 'series',
      text: '0.25',
      title: 'last 0.25 · min 0.2 · max 3 · 1,000 points',
    })
  })

  it('shows files, file sets, git refs and run states in words', () => {
    expect(
      cellText(
        cellContent({ path: 'f', type: 'file', value: { name: 'model.pt', size: 2048 } }, NOW),
      ),
    ).toBe('model.pt (2 KB)')
    expect(
      cellText(
        cellContent(
          {
            path: 'g',
            type: 'gitRef',
            value: { commitId: 'abcdef123456', branch: 'main', dirty: true },
          },
          NOW,
        ),
      ),
    ).toBe('abcdef12 (main) *')
    expect(
      cellText(cellContent({ path: 's', type: 'runState', value: { value: 'active' } }, NOW)),
    ).toBe('Active')
    expect(cellContent(undefined, NOW)).toEqual({ kind: 'empty' })
  })
})
