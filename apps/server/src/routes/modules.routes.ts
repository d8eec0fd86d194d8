import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DecisionRecord, ErrorResponse, FlashOutcome, Imei } from '@station/contracts';
import { moduleRepository, type ModuleHistoryAttempt, type PrismaClient } from '@station/db';
import type { AttributionService } from '../attribution/attribution.service';
import { NotFoundError } from '../errors';

const AttemptView = z.object({
  id: z.string(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
  outcome: z.union([FlashOutcome, z.enum(['running', 'canceled'])]),
  stationId: z.string(),
  slot: z.number().int(),
  packageId: z.string(),
  packageRevision: z.string(),
  stageReached: z.string(),
  errorCode: z.number().int().nullable(),
  errorName: z.string().nullable(),
  errorMessage: z.string().nullable(),
  stageTimings: z.record(z.string(), z.number()).nullable(),
  baud: z.number().int().nullable(),
  bytesWritten: z.number().int().nullable(),
  revisionBefore: z.string().nullable(),
  revisionAfter: z.string().nullable(),
  reportedImei: z.string().nullable(),
  /** The attempt this one retried (a retry chain). */
  retryOfId: z.string().nullable(),
});

const ModuleHistoryResponse = z.object({
  imei: Imei,
  status: z.string(),
  currentRevision: z.string().nullable(),
  statusReason: z.string().nullable(),
  attempts: z.array(AttemptView),
  /** Quarantine decisions about it, newest first, with their evidence and release. */
  decisions: z.array(DecisionRecord),
});

const attemptView = (a: ModuleHistoryAttempt): z.infer<typeof AttemptView> => ({
  id: a.id,
  startedAt: a.startedAt.toISOString(),
  endedAt: a.endedAt?.toISOString() ?? null,
  outcome: a.outcome,
  stationId: a.station.code,
  slot: a.slot.index + 1,
  packageId: a.package.name,
  packageRevision: a.package.revision,
  stageReached: a.stageReached,
  errorCode: a.errorCode,
  errorName: a.errorName,
  errorMessage: a.errorMessage,
  stageTimings: (a.stageTimings as Record<string, number> | null) ?? null,
  baud: a.baud,
  bytesWritten: a.bytesWritten === null ? null : Number(a.bytesWritten),
  revisionBefore: a.revisionBefore,
  revisionAfter: a.revisionAfter,
  reportedImei: a.reportedImei,
  retryOfId: a.retryOfId,
});

export const moduleRoutes: FastifyPluginAsyncZod<{
  prisma: PrismaClient;
  attribution: AttributionService;
}> = async (app, { prisma, attribution }) => {
  app.get(
    '/modules/:imei',
    {
      schema: {
        tags: ['modules'],
        summary: 'A module, every flash attempt on it and its decisions, newest first',
        params: z.object({ imei: Imei }),
        response: { 200: ModuleHistoryResponse, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const history = await moduleRepository.history(prisma, request.params.imei);
      if (!history) throw new NotFoundError(`No module with IMEI ${request.params.imei} is known`);
      const { module, attempts } = history;
      return {
        imei: module.imei,
        status: module.status,
        currentRevision: module.currentRevision,
        statusReason: module.statusReason,
        attempts: attempts.map(attemptView),
        decisions: await attribution.decisionsOf(module.id, module.imei),
      };
    },
  );
};
