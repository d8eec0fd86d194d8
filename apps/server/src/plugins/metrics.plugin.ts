// `GET /metrics`: the Prometheus text format of the server's registry (docs/operations.md
// "Metrics"). Guarded like every route by the role matrix: supervisors and up, or Prometheus with
// METRICS_TOKEN (docs/security.md "Metrics").
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export async function registerMetrics(app: FastifyInstance, registry: Registry): Promise<void> {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics: attempts, durations, queues, slots, results waiting',
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
