import { describe, expect, it } from 'vitest'
import { decodeApiToken, encodeApiToken } from './api-token.js'

describe('API tokens', () => {
  it('use the Neptune client format: base64 of {api_address, api_url, api_key}', () => {
    const token = encodeApiToken('http://localhost:8080', 's3cret')
    expect(JSON.parse(Buffer.from(token, 'base64').toString('utf8'))).toEqual({
      api_address: 'http://localhost:8080',
      api_url: 'http://localhost:8080',
      api_key: 's3cret',
    })
    expect(decodeApiToken(` ${token}\n`)).toEqual({
      apiAddress: 'http://localhost:8080',
      apiUrl: 'http://localhost:8080',
      secret: 's3cret',
    })
  })

  it('rejects text that is not a token', () => {
    expect(() => decodeApiToken('hello')).toThrow(/not base64-encoded JSON/)
    expect(() => decodeApiToken(Buffer.from('{"x":1}').toString('base64'))).toThrow(/lacks/)
  })
})
