import websocket from '@fastify/websocket'
import type { FastifyInstance } from 'fastify'
import { resolveContainer } from '../containers.js'
import type { NeptuneDeps } from '../neptune-deps.js'

/**
 * The signal channel the client keeps open for each run it writes (protocol §9.9). The server
 * accepts it and keeps it open; messages (stop, abort) will come from the web app. A client
 * without the channel would retry the connection forever, refreshing its token each time.
 */
export async function notificationRoutes(app: FastifyInstance, deps: NeptuneDeps): Promise<void> {
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } })

  app.get<{ Params: { projectId: string; runId: string } }>(
    '/api/notifications/v1/runs/:projectId/:runId/signal',
    { websocket: true, config: { permission: 'authenticated' } },
    (socket, request) => {
      // Anything the client sends is a heartbeat; it is read and dropped.
      socket.on('message', () => undefined)
      resolveContainer(deps.store, request.principal!, request.params.runId, 'read').catch(() =>
        socket.close(4404, 'run not found'),
      )
    },
  )
}
