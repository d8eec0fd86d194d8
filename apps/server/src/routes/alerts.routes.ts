import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AlertsResponse } from '@station/contracts';

/** The alerts firing now (docs/operations.md "Alerts"), as the last evaluation found them. */
export const alertRoutes: FastifyPluginAsyncZod<{ alerts: () => AlertsResponse }> = async (
  app,
  { alerts },
) => {
  app.get(
    '/alerts',
    {
      schema: {
        tags: ['analytics'],
        summary:
          'Alerts firing now, most severe first, each with its action; state unknown when the line could not be read',
        response: { 200: AlertsResponse },
      },
    },
    async () => alerts(),
  );
};
