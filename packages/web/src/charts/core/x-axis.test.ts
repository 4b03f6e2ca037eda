import { describe, expect, it } from 'vitest'
import { formatElapsed, serverAxis, toChartX, toServerX } from './x-axis.js'
import { bucketsForWidth, serverRange } from './zoom.js'

describe('x axis modes', () => {
  it('buckets relative time by wall time on the server', () => {
    expect(serverAxis('step')).toBe('step')
    expect(serverAxis('relative')).toBe('time')
  })

  it('converts between chart seconds and server milliseconds', () => {
    expect(toChartX('time', 1500)).toBe(1.5)
    expect(toServerX('time', 1.5)).toBe(1500)
    expect(toChartX('step', 42)).toBe(42)
  })

  it('formats elapsed time compactly', () => {
    expect(formatElapsed(5.25)).toBe('5.3s')
    expect(formatElapsed(185)).toBe('3m 05s')
    expect(formatElapsed(3720)).toBe('1h 02m')
    expect(formatElapsed(90_000)).toBe('1d 01h')
  })
})

describe('zooming', () => {
  it('asks one bucket per pixel column, within the server limit', () => {
    expect(bucketsForWidth(800)).toBe(800)
    expect(bucketsForWidth(800, 2)).toBe(1600)
    expect(bucketsForWidth(10)).toBe(50)
    expect(bucketsForWidth(100_000)).toBe(10_000)
  })

  it('turns a zoomed chart range into whole server units, shifted for relative time', () => {
    expect(serverRange('step', { min: 10.4, max: 20.2 })).toEqual({ from: 10, to: 21 })
    expect(serverRange('relative', { min: 1, max: 2 }, 5_000)).toEqual({ from: 6_000, to: 7_000 })
  })
})
