// Modules are identified by IMEI (unique, 15 digits); a scan creates one on first sight
// (attemptRepository.openForScan). History lists every attempt, newest first.
import type { Module, ModuleStatus, Prisma } from '../generated/prisma/client';
import { assertImei } from './imei';
import type { PrismaClientOrTransaction } from './types';

const historyAttemptSelect = {
  id: true,
  jobId: true,
  retryOfId: true,
  startedAt: true,
  endedAt: true,
  outcome: true,
  stageReached: true,
  errorCode: true,
  errorName: true,
  errorMessage: true,
  stageTimings: true,
  baud: true,
  bytesWritten: true,
  revisionBefore: true,
  revisionAfter: true,
  reportedImei: true,
  station: { select: { id: true, code: true, name: true } },
  slot: { select: { id: true, index: true, label: true } },
  adapter: { select: { id: true, identity: true } },
  package: { select: { id: true, name: true, revision: true } },
  operator: { select: { id: true, displayName: true } },
} satisfies Prisma.FlashAttemptSelect;

export type ModuleHistoryAttempt = Prisma.FlashAttemptGetPayload<{
  select: typeof historyAttemptSelect;
}>;

export interface ModuleHistory {
  module: Module;
  /** Newest first. The protocol trace is left out: fetch it per attempt when it is shown. */
  attempts: ModuleHistoryAttempt[];
}

export const moduleRepository = {
  async findByImei(db: PrismaClientOrTransaction, imei: string): Promise<Module | null> {
    return db.module.findUnique({ where: { imei: assertImei(imei) } });
  },

  /** Every attempt of the module, newest first (uses the (module_id, started_at DESC) index). */
  async history(
    db: PrismaClientOrTransaction,
    imei: string,
    options: { limit?: number } = {},
  ): Promise<ModuleHistory | null> {
    const module = await db.module.findUnique({ where: { imei: assertImei(imei) } });
    if (!module) return null;
    const attempts = await db.flashAttempt.findMany({
      where: { moduleId: module.id },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      select: historyAttemptSelect,
      ...(options.limit ? { take: options.limit } : {}),
    });
    return { module, attempts };
  },

  async setStatus(
    db: PrismaClientOrTransaction,
    imei: string,
    status: ModuleStatus,
    changes: { reason?: string | null; currentRevision?: string | null } = {},
  ): Promise<Module> {
    return db.module.update({
      where: { imei: assertImei(imei) },
      data: {
        status,
        ...(changes.reason !== undefined ? { statusReason: changes.reason } : {}),
        ...(changes.currentRevision !== undefined
          ? { currentRevision: changes.currentRevision }
          : {}),
      },
    });
  },
};
