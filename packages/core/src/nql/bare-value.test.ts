import { describe, expect, it } from 'vitest'
import { bareValue } from './bare-value.js'

describe('bareValue', () => {
  it('reads decimal, signed and exponent numbers, keeping the raw text', () => {
    expect(bareValue('-1.5e3')).toEqual({ kind: 'number', value: -1500, raw: '-1.5e3' })
    expect(bareValue('.5')).toEqual({ kind: 'number', value: 0.5, raw: '.5' })
  })

  it('reads the special floats by their exact spelling only', () => {
    expect(bareValue('-Infinity')).toEqual({ kind: 'number', value: -Infinity, raw: '-Infinity' })
    expect(bareValue('nan')).toEqual({ kind: 'word', value: 'nan' })
  })

  it('refuses what Number() would read but NQL does not', () => {
    for (const text of ['0x10', '1_000', '', '1e', 'e5', '--1', '1.2.3']) {
      expect(bareValue(text).kind).toBe('word')
    }
  })

  it('reads booleans in any case and anything else as a word', () => {
    expect(bareValue('True')).toEqual({ kind: 'bool', value: true })
    expect(bareValue('idle')).toEqual({ kind: 'word', value: 'idle' })
  })
})
