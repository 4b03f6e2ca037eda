import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/health',
    {
      config: { permission: 'public' },
      schema: {
        summary: 'Liveness check for load balancers and scripts',
        tags: ['server'],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  )
}
