import { ValidationError } from './errors.js'

/**
 * API tokens use the Neptune client's format, so one token serves the native SDK and the
 * unchanged `neptune` Python client: standard base64 of the JSON
 * `{"api_address": URL, "api_url": URL, "api_key": SECRET}`.
 */
export interface ApiTokenContent {
  apiAddress: string
  apiUrl: string
  secret: string
}

export function encodeApiToken(publicUrl: string, secret: string): string {
  const json = JSON.stringify({ api_address: publicUrl, api_url: publicUrl, api_key: secret })
  return base64Encode(new TextEncoder().encode(json))
}

export function decodeApiToken(token: string): ApiTokenContent {
  let parsed: unknown
  try {
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(base64Decode(token.trim())),
    )
  } catch {
    throw new ValidationError(
      'the API token is not base64-encoded JSON; copy the whole token Nereid printed',
      {},
      'TOKEN_INVALID',
    )
  }
  const record = parsed as { api_address?: unknown; api_url?: unknown; api_key?: unknown }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof record.api_key !== 'string' ||
    typeof record.api_address !== 'string'
  ) {
    throw new ValidationError('the API token lacks "api_address" or "api_key"', {}, 'TOKEN_INVALID')
  }
  return {
    apiAddress: record.api_address,
    apiUrl: typeof record.api_url === 'string' ? record.api_url : record.api_address,
    secret: record.api_key,
  }
}

function base64Encode(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function base64Decode(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
