import { LIMITS } from '@nereid/core'
import type { CaptureSink } from './capture-sink.js'

type Write = NodeJS.WriteStream['write']

/**
 * Copies what the process writes to stdout or stderr into a string series, one point per
 * line, while still writing it to the terminal. A line still open at stop is flushed then.
 */
export function captureStream(
  stream: NodeJS.WriteStream,
  sink: CaptureSink,
  path: string,
): { stop(): void } {
  const original = stream.write
  let partial = ''
  const record = (chunk: unknown, encoding: unknown) => {
    const text =
      typeof chunk === 'string'
        ? chunk
        : chunk instanceof Uint8Array
          ? Buffer.from(chunk).toString(
              typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
            )
          : ''
    if (text === '') return
    const lines = (partial + text).split('\n')
    partial = lines.pop() ?? ''
    const now = sink.now()
    for (const line of lines) sink.appendString(path, clip(line.replace(/\r$/, '')), now)
    // A line that never ends must not grow without bound.
    if (partial.length > LIMITS.maxSeriesStringLength) {
      sink.appendString(path, clip(partial), now)
      partial = ''
    }
  }
  const patched = function (this: NodeJS.WriteStream, ...args: unknown[]) {
    try {
      record(args[0], args[1])
    } catch {
      // Capture must never break the program's own output.
    }
    return (original as (...a: unknown[]) => boolean).apply(this, args)
  } as Write
  stream.write = patched
  return {
    stop() {
      // Someone may have wrapped write after us; only undo our own wrapper.
      if (stream.write === patched) stream.write = original
      if (partial !== '') {
        try {
          sink.appendString(path, clip(partial), sink.now())
        } catch {
          // The run may already be closed.
        }
        partial = ''
      }
    },
  }
}

function clip(line: string): string {
  const limit = LIMITS.maxSeriesStringLength
  return line.length > limit ? `${line.slice(0, limit - 14)}… (truncated)` : line
}
