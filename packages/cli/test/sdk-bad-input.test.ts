import { join } from 'node:path'
import { initRun, type Run } from '@nereid/client'
import { encodeApiToken, type NereidError } from '@nereid/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './support/server-process.js'
import { api, startSdkServer, type SdkServer } from './fixtures/sdk-harness.js'

describe('SDK bad input', () => {
  let server: SdkServer
  beforeAll(async () => {
    server = await startSdkServer()
  }, 60_000)
  afterAll(async () => server?.close())

  const options = (extra: object = {}) => ({
    project: 'team/vision',
    apiToken: server.token,
    dataDirectory: join(server.workDir, '.nereid'),
    capture: false,
    quiet: true,
    ...extra,
  })

  describe('connecting', () => {
    it('names the server that refused an invalid token', async () => {
      const forged = encodeApiToken(server.url, 'not-the-secret')
      await expect(initRun(options({ apiToken: forged }))).rejects.toMatchObject({
        code: 'TOKEN_INVALID',
        message: expect.stringContaining(
          `the Nereid server at ${server.url} refused the API token`,
        ),
      })
    })

    it('explains a token that is not a token at all', async () => {
      await expect(initRun(options({ apiToken: 'hunter2' }))).rejects.toMatchObject({
        code: 'TOKEN_INVALID',
        message: expect.stringContaining('not base64-encoded JSON'),
      })
    })

    it('names the server it could not reach', async () => {
      const nowhere = `http://127.0.0.1:${await freePort()}`
      await expect(
        initRun(options({ apiToken: encodeApiToken(nowhere, 'x') })),
      ).rejects.toMatchObject({
        code: 'SERVER_UNREACHABLE',
        message: expect.stringContaining(`could not reach the Nereid server at ${nowhere}`),
      })
    })

    it('suggests the closest project and workspace names', async () => {
      await expect(initRun(options({ project: 'team/visoin' }))).rejects.toMatchObject({
        code: 'PROJECT_NOT_FOUND',
        message: expect.stringContaining('did you mean "team/vision"?'),
      })
      await expect(initRun(options({ project: 'taem/vision' }))).rejects.toMatchObject({
        code: 'PROJECT_NOT_FOUND',
        message: expect.stringContaining('did you mean "team/vision"?'),
      })
      await expect(initRun(options({ project: 'not-a-project-path' }))).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('workspace/project'),
      })
    })

    it('refuses an unknown mode and read-only runs without an id', async () => {
      await expect(initRun(options({ mode: 'fast' }))).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('async, sync, offline, debug, read-only'),
      })
      await expect(initRun(options({ mode: 'read-only' }))).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('withId'),
      })
    })
  })

  describe('writing', () => {
    let run: Run
    beforeAll(async () => {
      run = await initRun(options())
    })
    afterAll(async () => run?.stop())

    const nothingQueued = () => {
      const status = run.queueStatus()
      expect(status.pendingOperations).toBe(0)
      return status.writtenSeq
    }

    it('rejects invalid paths with a clear message and sends nothing', async () => {
      await run.wait()
      const written = nothingQueued()
      expect(() => run.field('a//b').assign(1)).toThrow(
        expect.objectContaining({
          code: 'PATH_INVALID',
          message: expect.stringContaining('empty segment'),
        }),
      )
      expect(() => run.field('').append(1)).toThrow(
        expect.objectContaining({ code: 'PATH_INVALID' }),
      )
      expect(() => run.field('sys/id').assign('x')).toThrow(
        expect.objectContaining({ code: 'SYS_FIELD_READ_ONLY' }),
      )
      expect(() => run.field('sys/loss').append(1)).toThrow(
        expect.objectContaining({ code: 'SYS_FIELD_READ_ONLY' }),
      )
      expect(() => run.assign({ params: { 'a/b': 1 } })).toThrow(
        expect.objectContaining({ code: 'PATH_INVALID' }),
      )
      expect(nothingQueued()).toBe(written)
    })

    it('rejects unsupported values, naming the path and what to do instead', async () => {
      await run.wait()
      const written = nothingQueued()
      const cases: [() => void, RegExp][] = [
        [() => run.field('list').assign([1, 2, 3]), /an array to "list".*extend\(\)/],
        [() => run.field('none').assign(null), /null to "none"/],
        [() => run.field('nothing').assign(undefined), /undefined to "nothing"/],
        [() => run.field('map').assign(new Map()), /an object of class Map/],
        [() => run.field('series').append({} as never), /cannot append an object/],
        [() => run.field('series').extend([1, 'two'] as never), /same type/],
        [() => run.field('file').upload(42 as never), /cannot upload a number/],
        [
          () => run.field('step').append(1, { step: Number.NaN }),
          /step NaN is not a finite number/,
        ],
        [() => run.field('tags').add([1] as never), /string sets hold strings/],
        [() => run.field('when').assign(new Date('nope')), /Date for "when" is invalid/],
      ]
      for (const [write, message] of cases) {
        expect(write).toThrow(expect.objectContaining({ message: expect.stringMatching(message) }))
      }
      // A bad value anywhere in a namespace writes none of it.
      expect(() => run.assign({ params: { fine: 1, broken: [1] } })).toThrow(
        expect.objectContaining({ code: 'VALUE_INVALID' }),
      )
      expect(() => run.field('missing').upload(join(server.workDir, 'no-such-file'))).toThrow(
        expect.objectContaining({ code: 'FILE_NOT_FOUND' }),
      )
      expect(nothingQueued()).toBe(written)
      expect(await run.exists('params/fine')).toBe(false)
    })

    it('refuses a write that conflicts with the type the field already has', () => {
      run.field('lr').assign(0.1)
      expect(() => run.field('lr').append(0.2)).toThrow(
        expect.objectContaining({
          code: 'FIELD_TYPE_CONFLICT',
          message: expect.stringContaining('"lr" is a float'),
        }),
      )
      expect(() => run.field('lr/inner').assign(1)).toThrow(
        expect.objectContaining({ code: 'NAMESPACE_CONFLICT' }),
      )
    })

    it('refuses writes in read-only mode', async () => {
      await run.wait()
      const readOnly = await initRun(options({ withId: run.id!, mode: 'read-only' }))
      expect(() => readOnly.field('x').assign(1)).toThrow(
        expect.objectContaining({ code: 'READ_ONLY_MODE' }),
      )
      expect(await readOnly.field('lr').fetch()).toBe(0.1)
      await readOnly.stop()
    })
  })

  it('reports a server-side rejection once, with the path, and still delivers the rest', async () => {
    const errors: NereidError[] = []
    const first = await initRun(options())
    for (let step = 0; step <= 10; step++) first.field('loss').append(step, { step })
    await first.stop()
    // A second writer resumes the run; its steps go backwards on the server, which it cannot know.
    const resumed = await initRun(
      options({ withId: first.id!, onError: (e: NereidError) => errors.push(e) }),
    )
    for (let round = 0; round < 3; round++) {
      resumed.field('loss').append(round, { step: round })
      resumed.field(`fine/${round}`).assign(round)
      await resumed.wait()
    }
    const stopped = await resumed.stop()
    expect(stopped.pendingOperations).toBe(0)
    const rejections = errors.filter((error) => error.code === 'STEP_NOT_INCREASING')
    expect(rejections).toHaveLength(1)
    expect(rejections[0]!.message).toContain('"loss"')
    for (let round = 0; round < 3; round++) {
      const field = await api<{ value: { value: number } }>(
        server,
        `/projects/team/vision/objects/${first.id}/field?path=fine/${round}`,
      )
      expect(field.value.value).toBe(round)
    }
  })

  it('drops a point whose step goes backwards in the same process, with one warning', async () => {
    const errors: NereidError[] = []
    const run = await initRun(options({ onError: (e: NereidError) => errors.push(e) }))
    run.field('acc').append(1, { step: 5 })
    run.field('acc').append(2, { step: 5 })
    run.field('acc').append(3, { step: 4 })
    run.field('acc').append(4, { step: 6 })
    await run.stop()
    expect(errors.map((error) => error.code)).toEqual(['STEP_NOT_INCREASING'])
    const page = await api<{ steps: number[]; values: number[] }>(
      server,
      `/projects/team/vision/objects/${run.id}/series?path=acc`,
    )
    expect(page.steps).toEqual([5, 6])
    expect(page.values).toEqual([1, 4])
  })
})
