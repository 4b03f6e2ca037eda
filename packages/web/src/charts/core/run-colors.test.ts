import { describe, expect, it } from 'vitest'
import { assignRunColors, hashId, RUN_PALETTE } from './run-colors.js'

describe('run colours', () => {
  it('gives a run the same colour in every chart it appears in', () => {
    const alone = assignRunColors(['VISION-12'])
    const together = assignRunColors(['VISION-12', 'VISION-7', 'VISION-3'])
    expect(alone.get('VISION-12')).toBe(together.get('VISION-12'))
    expect(hashId('VISION-12')).toBe(hashId('VISION-12'))
  })

  it('gives different runs of one chart different colours', () => {
    const ids = Array.from({ length: RUN_PALETTE.length }, (_, i) => `R-${i}`)
    const colors = assignRunColors(ids)
    expect(new Set(colors.values()).size).toBe(RUN_PALETTE.length)
  })

  it('reuses colours only when there are more runs than colours', () => {
    const ids = Array.from({ length: RUN_PALETTE.length + 5 }, (_, i) => `R-${i}`)
    expect(assignRunColors(ids).size).toBe(ids.length)
  })
})
