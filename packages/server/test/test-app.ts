import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { createLocalBlobStore, createSqliteStore, type Store } from '@nereid/store'
import { buildApp } from '../src/app.js'
import type { ServerConfig } from '../src/config.js'
import { bootstrap } from '../src/services/bootstrap.js'

export interface TestApp {
  app: FastifyInstance
  store: Store
  token: string
  blobDir: string
  /** inject() with the admin token. */
  call(options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/** A real app over an in-memory SQLite store and a temporary blob folder, with workspace "team" and project "team/vision" (key CLS). */
export async function createTestApp(config: Partial<ServerConfig> = {}): Promise<TestApp> {
  const blobDir = await mkdtemp(join(tmpdir(), 'nereid-blobs-'))
  const store = createSqliteStore({ filename: ':memory:' })
  const migrated = await store.migrate()
  if (migrated.error) throw migrated.error
  const publicUrl = 'http://localhost:8080'
  const { token } = await bootstrap(store, {
    publicUrl,
    workspace: 'team',
    project: 'vision',
    now: Date.now(),
  })
  const project = await store.projects.get('team', 'vision')
  if (project?.key !== 'VISION') throw new Error('unexpected bootstrap project key')
  const app = await buildApp({
    store,
    blobs: createLocalBlobStore(blobDir),
    config: { publicUrl, ...config },
  })
  return {
    app,
    store,
    token,
    blobDir,
    call(options) {
      return app.inject({
        ...options,
        headers: { authorization: `Bearer ${token}`, ...options.headers },
      })
    },
    async close() {
      await app.close()
      await store.close()
      await rm(blobDir, { recursive: true, force: true })
    },
  }
}
