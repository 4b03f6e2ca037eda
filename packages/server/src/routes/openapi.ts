import type { FastifyInstance } from 'fastify'

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/api/v1/openapi.json',
    { config: { permission: 'public' }, schema: { hide: true } },
    async (_request, reply) => reply.type('application/json').send(app.swagger()),
  )
}
