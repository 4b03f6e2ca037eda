import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { TestApp } from '../test-app.js'

export interface NeptuneSession {
  accessToken: string
  refreshToken: string
  /** inject() as the Neptune client does after its token exchange: `Authorization: Bearer <JWT>`. */
  call(options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>
  projectId: string
}

/** Exchanges the test app's API token for Neptune tokens, like the client's start-up. */
export async function neptuneSession(t: TestApp, apiToken = t.token): Promise<NeptuneSession> {
  const exchanged = await t.app.inject({
    method: 'GET',
    url: '/api/backend/v1/authorization/oauth-token',
    headers: { 'x-neptune-api-token': apiToken },
  })
  if (exchanged.statusCode !== 200) throw new Error(`token exchange failed: ${exchanged.body}`)
  const { accessToken, refreshToken } = exchanged.json() as {
    accessToken: string
    refreshToken: string
  }
  const project = await t.store.projects.get('team', 'vision')
  return {
    accessToken,
    refreshToken,
    projectId: project!.id,
    call: (options) =>
      t.app.inject({
        ...options,
        headers: { authorization: `Bearer ${accessToken}`, ...options.headers },
      }),
  }
}

/** Creates a run through `createExperiment`; returns its UUID and short id. */
export async function createRun(
  session: NeptuneSession,
  params: Record<string, unknown> = {},
): Promise<{ id: string; shortId: string }> {
  const response = await session.call({
    method: 'POST',
    url: '/api/leaderboard/v1/experiments',
    payload: { projectIdentifier: session.projectId, type: 'run', ...params },
  })
  if (response.statusCode !== 200) throw new Error(`createExperiment: ${response.body}`)
  return response.json() as { id: string; shortId: string }
}

/** The attributes of a container as `getExperimentAttributes` lists them, by name. */
export async function attributes(
  session: NeptuneSession,
  id: string,
): Promise<Map<string, Record<string, unknown>>> {
  const response = await session.call({
    method: 'GET',
    url: `/api/leaderboard/v1/attributes?experimentId=${id}`,
  })
  const body = response.json() as { attributes: Record<string, unknown>[] }
  return new Map(body.attributes.map((attribute) => [attribute.name as string, attribute]))
}
