import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClientEnv } from '../env.js'
import { NereidApiError } from './api-error.js'
import { CancelledError, backoffDelay, createRetryer } from './retryer.js'

describe('retryer', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())
  const env = createClientEnv()

  it('backs off exponentially up to a cap, with jitter', () => {
    const middle = () => 0.5
    expect([1, 2, 3, 4, 7, 20].map((n) => backoffDelay(n, undefined, { random: middle }))).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000,
    ])
    expect(backoffDelay(1, undefined, { random: () => 0 })).toBe(375)
    expect(backoffDelay(1, undefined, { random: () => 1 })).toBe(625)
  })

  it('waits as long as the server asks with Retry-After', () => {
    const busy = new NereidApiError('SERVICE_UNAVAILABLE', 'busy', {
      url: 'http://x',
      httpStatus: 503,
      retryAfterSeconds: 7,
    })
    expect(backoffDelay(1, busy)).toBe(7000)
  })

  it('tries again after a retryable failure and resolves with the first success', async () => {
    const attempt = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('down'))
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue('sent')
    const onRetry = vi.fn()
    const retryer = createRetryer(attempt, { env, retry: () => true, delay: () => 1000, onRetry })
    await vi.advanceTimersByTimeAsync(0)
    expect(retryer.state()).toBe('waiting')
    await vi.advanceTimersByTimeAsync(2000)
    await expect(retryer.promise).resolves.toBe('sent')
    expect(retryer.state()).toBe('resolved')
    expect(attempt).toHaveBeenCalledTimes(3)
    expect(onRetry.mock.calls.map((call) => call[0])).toEqual([1, 2])
  })

  it('gives up at once when retry says so', async () => {
    const refused = new Error('refused')
    const retryer = createRetryer(() => Promise.reject(refused), { env, retry: () => false })
    await expect(retryer.promise).rejects.toBe(refused)
    expect(retryer.state()).toBe('rejected')
  })

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController()
    const retryer = createRetryer(() => Promise.reject(new Error('down')), {
      env,
      retry: () => true,
      delay: () => 60_000,
      signal: controller.signal,
    })
    await vi.advanceTimersByTimeAsync(10)
    controller.abort()
    await expect(retryer.promise).rejects.toBeInstanceOf(CancelledError)
    expect(retryer.state()).toBe('cancelled')
  })
})

describe('API errors', () => {
  it('are retryable for lost connections, timeouts, 429 and 5xx only', () => {
    const error = (httpStatus: number | null, code = 'VALIDATION_FAILED' as const) =>
      new NereidApiError(code, 'x', { url: 'http://x', httpStatus })
    expect(error(null, 'SERVER_UNREACHABLE' as never).retryable).toBe(true)
    for (const status of [408, 429, 500, 502, 503, 504]) expect(error(status).retryable).toBe(true)
    for (const status of [400, 401, 403, 404, 409, 413, 422])
      expect(error(status).retryable).toBe(false)
  })
})
