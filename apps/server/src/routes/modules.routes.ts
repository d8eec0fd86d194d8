import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ErrorResponse,
  Imei,
  ModuleHistoryResponse,
  type ModuleHistoryAttempt as ModuleHistoryAttemptView,
} from '@station/contracts';
import {
  moduleRepository,
  type ModuleHistoryAttempt as ModuleHistoryRow,
  type PrismaClient,
} from '@station/db';
import { decisionRecord } from '../attribution/attribution.service';
import { NotFoundError } from '../errors';

const attemptView = (a: ModuleHistoryRow): ModuleHistoryAttemptView => ({
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
}> = async (app, { prisma }) => {
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
      const { module, attempts, decisions } = history;
      return {
        imei: module.imei,
        status: module.status,
        currentRevision: module.currentRevision,
        statusReason: module.statusReason,
        attempts: attempts.map(attemptView),
        decisions: decisions.map((row) => decisionRecord(row, module.imei)),
      };
    },
  );
};
