import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HealthResponse } from '@station/contracts';
import { checkHealth, type HealthProbes } from '../services/health.service';

/** `GET /api/health`: 200 when Postgres and Redis answer, 503 naming the failing part otherwise. */
export const healthRoutes: FastifyPluginAsyncZod<{ probes: HealthProbes }> = async (
  app,
  { probes },
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Postgres, Redis and station connectivity',
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (_request, reply) => {
      const health = await checkHealth(probes);
      return reply.status(health.status === 'ok' ? 200 : 503).send(health);
    },
  );
};
