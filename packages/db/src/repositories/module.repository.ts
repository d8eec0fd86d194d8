// Modules are identified by IMEI (unique, 15 digits); a scan creates one on first sight
// (attemptRepository.openForScan). History lists every attempt, newest first.
import type { Module, ModuleStatus } from '../generated/prisma/client';
import { assertImei } from './imei';
import { moduleHistory, type ModuleHistory } from './module-history';
import type { PrismaClientOrTransaction } from './types';

export type { ModuleHistory, ModuleHistoryAttempt } from './module-history';

export const moduleRepository = {
  async findByImei(db: PrismaClientOrTransaction, imei: string): Promise<Module | null> {
    return db.module.findUnique({ where: { imei: assertImei(imei) } });
  },

  /** Every attempt of the module, newest first, in one statement (module-history.ts). */
  async history(
    db: PrismaClientOrTransaction,
    imei: string,
    options: { limit?: number } = {},
  ): Promise<ModuleHistory | null> {
    return moduleHistory(db, assertImei(imei), options.limit);
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
