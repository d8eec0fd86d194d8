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
  InvalidPackageError,
  MigrationFailedError,
  ModuleAlreadyPassedError,
  ModuleBlockedError,
  ModuleBusyError,
  NotFoundError,
  SlotBusyError,
} from './errors';
export { InvalidDatabaseUrlError, parseDatabaseUrl, redactUrl } from './connection-url';
export { DEFAULT_MIGRATIONS_DIR } from './migrations/migration-files';

export type { PrismaClientOrTransaction } from './repositories/types';
export { isUniqueViolation } from './repositories/constraint-errors';
export {
  moduleRepository,
  type ModuleHistory,
  type ModuleHistoryAttempt,
} from './repositories/module.repository';
export { attemptRepository } from './repositories/attempt.repository';
export type { OpenForScanInput, ReworkOverride } from './repositories/attempt-open';
export type {
  FinishAttemptInput,
  FinishedOutcome,
  SettleAttemptInput,
  SettleResult,
} from './repositories/attempt-settle';
export type { InterruptOpenInput, OpenAttemptSummary } from './repositories/attempt-recovery';
export {
  decideModuleChange,
  type ModuleChange,
  type ModuleRuleAttempt,
  type ModuleRuleModule,
} from './repositories/module-rule';
export {
  firmwarePackageRepository,
  type StationPackageInput,
} from './repositories/firmware-package.repository';
export {
  firmwareRegistryRepository,
  type FirmwarePackageDetail,
  type RecordUploadInput,
  type UploadedFileInput,
} from './repositories/firmware-registry.repository';
export {
  firmwareActivationRepository,
  type ActivateInput,
  type ActivationWithPackage,
} from './repositories/firmware-activation.repository';
export {
  scanTargetRepository,
  type ScanPackage,
  type ScanSlot,
  type ScanTarget,
  type ScanTargetInput,
} from './repositories/scan-target.repository';
export {
  lineRepository,
  type SlotLastAttempt,
  type SlotLineState,
  type SlotOpenAttempt,
} from './repositories/line.repository';
export {
  stationRepository,
  type AdapterIdentityInput,
  type AdapterSwap,
  type BindResult,
  type SlotInput,
  type StationWithSlots,
  type UpsertStationInput,
} from './repositories/station.repository';
export {
  stationCredentialRepository,
  type IssueCredentialInput,
  type StationCredential,
} from './repositories/station-credential.repository';
export {
  auditRepository,
  type AuditDetails,
  type AuditEventInput,
  type AuditFilter,
} from './repositories/audit.repository';
export {
  userRepository,
  type CreateUserInput,
  type UpdateUserInput,
} from './repositories/user.repository';
export {
  sessionRepository,
  type ActiveSession,
  type CreateSessionInput,
} from './repositories/session.repository';
export {
  apiKeyRepository,
  LAST_USED_RESOLUTION_MS,
  type ActiveApiKey,
  type CreateApiKeyInput,
  type ListedApiKey,
} from './repositories/api-key.repository';
export { settingRepository } from './repositories/setting.repository';
export {
  attributionRepository,
  type DecisionKind,
  type JudgeOptions,
  type StoredDecision,
} from './repositories/attribution.repository';
export {
  attributionReleaseRepository,
  type ModuleRelease,
  type ReleaseInput,
  type SlotChange,
} from './repositories/attribution-release';
export {
  decideQuarantine,
  decideSuspect,
  DEFAULT_ATTRIBUTION_THRESHOLDS,
  QUARANTINE_SLOTS,
  type AttributionThresholds,
  type FaultBlame,
  type Judgement,
  type ModuleFailure,
  type SlotWindowAttempt,
} from './repositories/attribution-rule';
export {
  attributionOpenRepository,
  OPEN_DECISIONS_LIMIT,
  type OpenDecisions,
  type OpenModule,
  type OpenSlot,
} from './repositories/attribution-open';
export { runTransaction } from './repositories/transaction';
export {
  yieldRepository,
  type FirstPassYield,
  type YieldFilter,
} from './repositories/yield.repository';

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
  FirmwareActivation,
  Module,
  FlashAttempt,
  User,
  ApiKey,
  AuditEvent,
  Session,
  AttributionDecision,
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
export {
  analyticsRepository,
  type AnalyticsWindow,
  type ParetoCount,
  type ParetoGrouping,
  type ShiftSpec,
  type YieldGroup,
  type YieldGrouping,
  type YieldInput,
} from './repositories/analytics.repository';
export {
  unitShiftRepository,
  type EnsureDefinitionResult,
  type ShiftDefinition,
} from './repositories/unit-shift.repository';
export {
  attemptExplorerRepository,
  type AttemptExplorerDetail,
  type AttemptExplorerFilter,
  type AttemptExplorerRow,
  type AttemptPosition,
} from './repositories/attempt-explorer.repository';
