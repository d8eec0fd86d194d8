import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorResponse,
  Imei,
  ModuleStatusResponse,
  OpenDecisionsResponse,
  SlotNumber,
  SlotStatusEvent,
  StationId,
  StatusChangeRequest,
} from '@station/contracts';
import { attributionOpenRepository, type PrismaClient } from '@station/db';
import type { AttributionService } from '../attribution/attribution.service';
import { UnauthenticatedError } from '../errors';

const SlotParams = z.object({ stationId: StationId, slot: z.coerce.number().pipe(SlotNumber) });
const refusals = { 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

/**
 * Supervisors list what waits for them (slots out of rotation, quarantined modules), release
 * suspect or disabled slots, disable slots, release quarantined modules.
 */
export const attributionRoutes: FastifyPluginAsyncZod<{
  attribution: AttributionService;
  prisma: PrismaClient;
}> = async (app, { attribution, prisma }) => {
  const who = (principal: Parameters<AttributionService['releaseSlot']>[2] | null) => {
    if (!principal) throw new UnauthenticatedError();
    return principal;
  };

  app.get(
    '/attribution/open',
    {
      schema: {
        tags: ['stations'],
        summary:
          'Suspect and disabled slots and quarantined modules, newest first, with their evidence',
        response: { 200: OpenDecisionsResponse },
      },
    },
    async () => {
      const open = await attributionOpenRepository.listOpen(prisma);
      return {
        slots: open.slots.map(({ stationCode, slotNumber, since, ...slot }) => ({
          ...slot,
          stationId: stationCode,
          slot: slotNumber,
          since: since.toISOString(),
        })),
        modules: open.modules.map((module) => ({
          ...module,
          since: module.since.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/stations/:stationId/slots/:slot/release',
    {
      schema: {
        tags: ['stations'],
        summary: 'Put a suspect or disabled slot back in rotation (its decision released, audited)',
        params: SlotParams,
        body: StatusChangeRequest,
        response: { 200: SlotStatusEvent, ...refusals },
      },
    },
    async (request) => {
      const { stationId, slot } = request.params;
      return attribution.releaseSlot(stationId, slot, who(request.principal), request.body.reason);
    },
  );

  app.post(
    '/stations/:stationId/slots/:slot/disable',
    {
      schema: {
        tags: ['stations'],
        summary: 'Take a slot out of rotation, with the reason (audited)',
        params: SlotParams,
        body: StatusChangeRequest,
        response: { 200: SlotStatusEvent, ...refusals },
      },
    },
    async (request) => {
      const { stationId, slot } = request.params;
      return attribution.disableSlot(stationId, slot, who(request.principal), request.body.reason);
    },
  );

  app.post(
    '/modules/:imei/release',
    {
      schema: {
        tags: ['modules'],
        summary: 'Release a quarantined module (back to failed; its decision released, audited)',
        params: z.object({ imei: Imei }),
        body: StatusChangeRequest,
        response: { 200: ModuleStatusResponse, ...refusals },
      },
    },
    async (request) =>
      attribution.releaseModule(request.params.imei, who(request.principal), request.body.reason),
  );
};
