import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorResponse,
  StationDetail,
  StationId,
  StationListResponse,
  type StationDetail as Detail,
} from '@station/contracts';
import { visibleStations } from '../auth/access';
import { NotFoundError } from '../errors';
import type { StationRegistry } from '../stations/station-registry.service';

export const stationRoutes: FastifyPluginAsyncZod<{
  registry: StationRegistry;
  stationDetail: (stationId: string) => Promise<Detail | undefined>;
}> = async (app, { registry, stationDetail }) => {
  app.get(
    '/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Every known station with its slots and connected state (an operator: theirs)',
        response: { 200: StationListResponse },
      },
    },
    // An operator sees their own station only (role matrix, station scope `list`).
    async (request) => ({
      stations: request.principal ? visibleStations(request.principal, registry.list()) : [],
    }),
  );

  app.get(
    '/stations/:stationId',
    {
      schema: {
        tags: ['stations'],
        summary: "One station with each slot's current attempt and last result",
        params: z.object({ stationId: StationId }),
        response: { 200: StationDetail, 404: ErrorResponse },
      },
    },
    async (request) => {
      const { stationId } = request.params;
      const station = await stationDetail(stationId);
      if (!station) throw new NotFoundError(`Station ${stationId} is not known`);
      return station;
    },
  );
};
