// @station/db: Prisma client factory, database bootstrap (create + migrate) and repositories.
// Schema and migrations live in the repository's root prisma/ folder.
export { createPrismaClient, type CreatePrismaClientOptions } from './client';
export {
  ensureDatabase,
  type EnsureDatabaseOptions,
  type EnsureDatabaseResult,
} from './ensure-database';
export { pingDatabase } from './ping';
export {
  DatabaseUnavailableError,
  InvalidImeiError,
  MigrationFailedError,
  NotFoundError,
  SlotBusyError,
} from './errors';
export { InvalidDatabaseUrlError, parseDatabaseUrl, redactUrl } from './connection-url';
export { DEFAULT_MIGRATIONS_DIR } from './migrations/migration-files';

export type { PrismaClientOrTransaction } from './repositories/types';
export {
  moduleRepository,
  type ModuleHistory,
  type ModuleHistoryAttempt,
} from './repositories/module.repository';
export {
  attemptRepository,
  AttemptNotOpenError,
  type FinishAttemptInput,
  type FinishedOutcome,
  type OpenAttemptInput,
} from './repositories/attempt.repository';
export {
  stationRepository,
  type AdapterIdentityInput,
  type AdapterSwap,
  type BindResult,
  type SlotInput,
  type StationWithSlots,
  type UpsertStationInput,
} from './repositories/station.repository';
export { auditRepository, type AuditEventInput } from './repositories/audit.repository';

// Prisma types and enums the apps need, so they never import the generated client directly.
export { Prisma } from './generated/prisma/client';
export type {
  PrismaClient,
  Station,
  Slot,
  Adapter,
  AdapterBinding,
  FirmwarePackage,
  FirmwareFile,
  Module,
  FlashAttempt,
  User,
  ApiKey,
  AuditEvent,
} from './generated/prisma/client';
export {
  AttemptOutcome,
  FirmwareFileKind,
  FlashStage,
  ModuleStatus,
  PowerControl,
  SlotStatus,
  UserRole,
} from './generated/prisma/enums';
