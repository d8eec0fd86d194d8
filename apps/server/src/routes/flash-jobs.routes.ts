import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CreateFlashJobRequest, CreateFlashJobResponse, ErrorResponse } from '@station/contracts';
import { auditActor } from '../auth/audit-actor';
import { UnauthenticatedError } from '../errors';
import type { FlashStartService } from '../flash/flash-start.service';

export const flashJobRoutes: FastifyPluginAsyncZod<{ flashJobs: FlashStartService }> = async (
  app,
  { flashJobs },
) => {
  app.post(
    '/flash-jobs',
    {
      schema: {
        tags: ['flash'],
        summary: 'Start flashing the module in a slot (result follows as socket.io flash:result)',
        body: CreateFlashJobRequest,
        response: {
          202: CreateFlashJobResponse,
          400: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
          503: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      // The role matrix let a signed-in principal through; a station's signed request never.
      const { principal } = request;
      if (!principal) throw new UnauthenticatedError();
      const { actorId, actorLabel } = auditActor(principal);
      const actor = { role: principal.user.role, userId: actorId ?? null, label: actorLabel };
      return reply.status(202).send(await flashJobs.create(request.body, actor));
    },
  );
};
