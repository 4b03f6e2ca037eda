import { floatToWire } from '@nereid/core'
import type { Run } from '../metadata-object.js'
import type { ObjectContext } from '../object-context.js'
import type { CaptureSink } from './capture-sink.js'

/** Capture writes through the run's own checked queue. */
export function createRunCaptureSink(run: Run, context: ObjectContext): CaptureSink {
  const writer = context.writer
  const env = context.env
  return {
    assign: (path, value) => run.field(path).assign(value),
    appendFloat: (path, value, timestamp) =>
      writer.appendFloat(writer.series(path, 'floatSeries'), value, Number.NaN, timestamp),
    appendString: (path, value, timestamp) =>
      writer.appendString(writer.series(path, 'stringSeries'), value, Number.NaN, timestamp),
    configureFloatSeries: (path, config) =>
      writer.write(
        {
          op: 'configFloatSeries',
          path,
          ...(config.min !== undefined ? { min: floatToWire(config.min) as number } : {}),
          ...(config.max !== undefined ? { max: floatToWire(config.max) as number } : {}),
          ...(config.unit !== undefined ? { unit: config.unit } : {}),
        },
        'floatSeries',
      ),
    uploadBytes: (path, bytes, name) => run.field(path).upload(bytes, { name }),
    uploadFileSet: (path, files) =>
      writer.writeFiles(
        {
          op: 'uploadFileSet',
          path,
          reset: true,
          files: files.map((file) => ({
            path: file.path,
            source: { kind: 'path', path: file.absolute },
            mtime: Math.round(file.mtime),
          })),
        },
        'fileSet',
      ),
    assignGitRef: (path, git) => writer.write({ op: 'assignGitRef', path, ...git }, 'gitRef'),
    now: () => env.now(),
  }
}
