import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateStationRequest,
  ErrorResponse,
  StationCredentialListResponse,
  StationCredentialResponse,
  StationId,
} from '@station/contracts';
import { ConflictError, NotFoundError } from '../errors';
import type { StationCredentialService } from '../stations/station-credential.service';

/**
 * Admins create stations and manage their credentials (docs/security.md "Stations"). The secret
 * is in the 201 answer only: lost, it is rotated, never shown again.
 */
export const stationCredentialRoutes: FastifyPluginAsyncZod<{
  credentials: StationCredentialService;
  /** Whether the station's agent is connected now (the registry). */
  connected: (stationId: string) => boolean;
}> = async (app, { credentials, connected }) => {
  const actorOf = (request: { principal: { user: { id: string } } | null }) => ({
    userId: request.principal!.user.id,
  });

  // Its own path: GET /api/stations is every role's line view, this is the admins' credential list.
  app.get(
    '/station-credentials',
    {
      schema: {
        tags: ['stations'],
        summary: 'Every known station: whether it holds a credential and since when (admins)',
        response: { 200: StationCredentialListResponse },
      },
    },
    async () => ({
      stations: (await credentials.list()).map((station) => ({
        ...station,
        connected: connected(station.stationId),
      })),
    }),
  );

  app.post(
    '/stations',
    {
      schema: {
        tags: ['stations'],
        summary: 'Create a station and its credential (shown once)',
        body: CreateStationRequest,
        response: { 201: StationCredentialResponse, 400: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { stationId, name } = request.body;
      if (await credentials.holdsCredential(stationId))
        throw new ConflictError(
          'STATION_EXISTS',
          `Station ${stationId} already has a credential: rotate it with POST /api/stations/${stationId}/credential`,
        );
      const { created: _created, ...issued } = await credentials.issue(
        { stationId, name },
        actorOf(request),
      );
      return reply.code(201).send(issued);
    },
  );

  app.post(
    '/stations/:stationId/credential',
    {
      schema: {
        tags: ['stations'],
        summary: "Replace a station's credential (the old one stops working at once)",
        params: z.object({ stationId: StationId }),
        response: { 201: StationCredentialResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { stationId } = request.params;
      if (!(await credentials.holdsCredential(stationId)))
        throw new NotFoundError(
          `Station ${stationId} has no credential to rotate: create it with POST /api/stations`,
        );
      const { created: _created, ...issued } = await credentials.issue(
        { stationId },
        actorOf(request),
      );
      return reply.code(201).send(issued);
    },
  );

  app.delete(
    '/stations/:stationId/credential',
    {
      schema: {
        tags: ['stations'],
        summary: "Revoke a station's credential: it can no longer connect or be believed",
        params: z.object({ stationId: StationId }),
        response: { 204: z.null(), 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { stationId } = request.params;
      if (!(await credentials.revoke(stationId, actorOf(request))))
        throw new NotFoundError(`Station ${stationId} has no credential`);
      return reply.code(204).send(null);
    },
  );
};
