import { describe, expect, it } from 'vitest'
import { closestNames, editDistance } from './closest-names.js'

describe('closest names', () => {
  it('measures edits', () => {
    expect(editDistance('vision', 'visoin')).toBe(2)
    expect(editDistance('Vision', 'vision')).toBe(0)
    expect(editDistance('', 'abc')).toBe(3)
  })

  it('suggests near names, best first, and nothing for unrelated ones', () => {
    const names = ['vision', 'vision-large', 'audio', 'nlp']
    expect(closestNames('visoin', names)).toEqual(['vision'])
    expect(closestNames('vision-l', names)).toEqual(['vision', 'vision-large'])
    expect(closestNames('tabular', names)).toEqual([])
  })
})
