import { describe, expect, it } from 'vitest'
import { NereidApiError } from './api-error.js'
import { BucketBatcher, type BucketBatchRequest, type BucketLineAnswer } from './bucket-batcher.js'

/** A fake server that answers every line with its object's name as the single value. */
function recordingServer(options: { missing?: string } = {}) {
  const sent: { project: string; request: BucketBatchRequest; signal: AbortSignal }[] = []
  const fetch = async (project: string, request: BucketBatchRequest, signal: AbortSignal) => {
    sent.push({ project, request, signal })
    await new Promise((resolve) => setTimeout(resolve, 5))
    if (signal.aborted) throw new DOMException('aborted', 'AbortError')
    const lines: BucketLineAnswer[] = request.lines.map((line) =>
      line.object === options.missing
        ? {
            ...line,
            error: { code: 'OBJECT_NOT_FOUND', message: `object "${line.object}" not found` },
          }
        : {
            object: line.object,
            path: line.path,
            mode: 'points',
            x: request.x,
            steps: [line.from ?? 0],
            timestamps: [0],
            values: [Number(line.object.replace(/\D/g, ''))],
          },
    )
    return { lines }
  }
  return { sent, fetch }
}

const line = (object: string, extra: { from?: number; to?: number } = {}) => ({
  buckets: 100,
  x: 'step' as const,
  line: { object, path: 'train/loss', ...extra },
})

describe('bucket batcher', () => {
  it('sends the reads asked for at the same moment in one request, answering each', async () => {
    const server = recordingServer()
    const batcher = new BucketBatcher({ fetch: server.fetch })
    const answers = await Promise.all([
      batcher.read('team/vision', line('R-1')),
      batcher.read('team/vision', line('R-2', { from: 10, to: 20 })),
      batcher.read('team/vision', line('R-3')),
    ])
    expect(server.sent).toHaveLength(1)
    expect(server.sent[0]!.request.lines.map((l) => l.object)).toEqual(['R-1', 'R-2', 'R-3'])
    expect(server.sent[0]!.request.lines[1]).toEqual({
      object: 'R-2',
      path: 'train/loss',
      from: 10,
      to: 20,
    })
    expect(answers.map((a) => (a.mode === 'points' ? a.values[0] : null))).toEqual([1, 2, 3])
    expect(answers[1]).toEqual({
      mode: 'points',
      x: 'step',
      steps: [10],
      timestamps: [0],
      values: [2],
    })
  })

  it('keeps projects, bucket counts and x axes in separate requests', async () => {
    const server = recordingServer()
    const batcher = new BucketBatcher({ fetch: server.fetch })
    await Promise.all([
      batcher.read('team/vision', line('R-1')),
      batcher.read('team/audio', line('R-2')),
      batcher.read('team/vision', { ...line('R-3'), buckets: 50 }),
      batcher.read('team/vision', { ...line('R-4'), x: 'time' }),
      batcher.read('team/vision', line('R-5')),
    ])
    expect(
      server.sent.map((s) => [s.project, s.request.buckets, s.request.x, s.request.lines.length]),
    ).toEqual([
      ['team/vision', 100, 'step', 2],
      ['team/audio', 100, 'step', 1],
      ['team/vision', 50, 'step', 1],
      ['team/vision', 100, 'time', 1],
    ])
  })

  it('splits a large batch into requests of at most maxLines lines', async () => {
    const server = recordingServer()
    const batcher = new BucketBatcher({ fetch: server.fetch, maxLines: 4 })
    await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.read('p', line(`R-${i}`))))
    expect(server.sent.map((s) => s.request.lines.length)).toEqual([4, 4, 2])
  })

  it('fails only the line the server has no series for', async () => {
    const server = recordingServer({ missing: 'R-2' })
    const batcher = new BucketBatcher({ fetch: server.fetch })
    const [first, second] = await Promise.allSettled([
      batcher.read('p', line('R-1')),
      batcher.read('p', line('R-2')),
    ])
    expect(first.status).toBe('fulfilled')
    expect(second.status).toBe('rejected')
    const error = (second as PromiseRejectedResult).reason
    expect(error).toBeInstanceOf(NereidApiError)
    expect(error.code).toBe('OBJECT_NOT_FOUND')
  })

  it('fails every read of a request that fails', async () => {
    const batcher = new BucketBatcher({
      fetch: () => Promise.reject(new Error('the Nereid server could not be reached')),
    })
    const results = await Promise.allSettled([
      batcher.read('p', line('R-1')),
      batcher.read('p', line('R-2')),
    ])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
  })

  it('leaves out a read cancelled before the request goes, and cancels a request nobody waits for', async () => {
    const server = recordingServer()
    const batcher = new BucketBatcher({ fetch: server.fetch })
    const early = new AbortController()
    const cancelled = batcher.read('p', line('R-1'), early.signal)
    const kept = batcher.read('p', line('R-2'))
    early.abort()
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
    await kept
    expect(server.sent[0]!.request.lines.map((l) => l.object)).toEqual(['R-2'])

    const a = new AbortController()
    const b = new AbortController()
    const both = [
      batcher.read('p', line('R-3'), a.signal),
      batcher.read('p', line('R-4'), b.signal),
    ]
    await new Promise((resolve) => setTimeout(resolve, 1))
    a.abort()
    expect(server.sent[1]!.signal.aborted).toBe(false)
    b.abort()
    expect(server.sent[1]!.signal.aborted).toBe(true)
    const settled = await Promise.allSettled(both)
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected'])
  })

  it('rejects at once a read whose signal is already aborted', async () => {
    const server = recordingServer()
    const batcher = new BucketBatcher({ fetch: server.fetch })
    const controller = new AbortController()
    controller.abort()
    await expect(batcher.read('p', line('R-1'), controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(server.sent).toHaveLength(0)
  })
})
