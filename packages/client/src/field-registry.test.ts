import { describe, expect, it } from 'vitest'
import { FieldRegistry } from './field-registry.js'

describe('field registry', () => {
  it('fixes a path to the type of its first write', () => {
    const registry = new FieldRegistry()
    registry.claim('loss', 'floatSeries')
    registry.claim('loss', 'floatSeries')
    expect(() => registry.claim('loss', 'float')).toThrow(
      expect.objectContaining({ code: 'FIELD_TYPE_CONFLICT' }),
    )
    registry.forget('loss')
    registry.claim('loss', 'float')
    expect(registry.typeOf('loss')).toBe('float')
  })

  it('keeps fields and namespaces apart', () => {
    const registry = new FieldRegistry()
    registry.claim('params/lr', 'float')
    expect(() => registry.claim('params', 'string')).toThrow(
      expect.objectContaining({ code: 'NAMESPACE_CONFLICT' }),
    )
    expect(() => registry.claim('params/lr/x', 'float')).toThrow(
      expect.objectContaining({ code: 'NAMESPACE_CONFLICT' }),
    )
  })

  it('starts over from the server list', () => {
    const registry = new FieldRegistry()
    registry.claim('a', 'float')
    registry.reset([{ path: 'a', type: 'string' }])
    expect(registry.typeOf('a')).toBe('string')
  })
})
