import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CaptureSink } from './capture-sink.js'
import { captureStream } from './console-capture.js'

function sink(lines: string[]): CaptureSink {
  return {
    appendString: (_path, value) => lines.push(value),
    now: () => 0,
  } as Partial<CaptureSink> as CaptureSink
}

describe('console capture', () => {
  it('records whole lines, still writes them, and flushes an open line at stop', () => {
    const written: string[] = []
    const stream = new Writable({
      write(chunk, _encoding, done) {
        written.push(chunk.toString())
        done()
      },
    }) as unknown as NodeJS.WriteStream
    const lines: string[] = []
    const capture = captureStream(stream, sink(lines), 'monitoring/x/stdout')
    stream.write('epoch 1\nepoch')
    stream.write(Buffer.from(' 2\r\n'))
    stream.write('partial')
    expect(lines).toEqual(['epoch 1', 'epoch 2'])
    capture.stop()
    expect(lines).toEqual(['epoch 1', 'epoch 2', 'partial'])
    expect(written.join('')).toBe('epoch 1\nepoch 2\r\npartial')
    // After stop the stream is left as it was.
    stream.write('after\n')
    expect(lines).toHaveLength(3)
  })
})
