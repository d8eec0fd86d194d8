import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse, StationId, StationListResponse, StationStatus } from '@station/contracts';
import { NotFoundError } from '../errors';
import type { StationRegistry } from '../services/station-registry.service';

export const stationRoutes: FastifyPluginAsyncZod<{ registry: StationRegistry }> = async (
  app,
  { registry },
) => {
  app.get(
    '/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Every known station with its slots and connected state',
        response: { 200: StationListResponse },
      },
    },
    async () => ({ stations: registry.list() }),
  );

  app.get(
    '/stations/:stationId',
    {
      schema: {
        tags: ['stations'],
        summary: 'One station',
        params: z.object({ stationId: StationId }),
        response: { 200: StationStatus, 404: ErrorResponse },
      },
    },
    async (request) => {
      const station = registry.get(request.params.stationId);
      if (!station) throw new NotFoundError(`Station ${request.params.stationId} is not known`);
      return station;
    },
  );
};
