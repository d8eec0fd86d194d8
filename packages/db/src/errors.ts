// Typed errors callers branch on. Each carries a stable `code` and a one-sentence message that
// an app can print as is.

export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** A migration's SQL failed; the database was left as it was before that migration. */
export class MigrationFailedError extends Error {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly migrationName: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? options.cause.message : String(options?.cause);
    super(`Migration ${migrationName} failed and was rolled back: ${reason}`, options);
    this.name = 'MigrationFailedError';
  }
}

/** The slot already has an open (running) attempt: one job at a time per slot. */
export class SlotBusyError extends Error {
  readonly code = 'SLOT_BUSY';
  constructor(readonly slotId: string) {
    super(`Slot ${slotId} already has a running attempt; finish it before opening another.`);
    this.name = 'SlotBusyError';
  }
}

export class InvalidImeiError extends Error {
  readonly code = 'INVALID_IMEI';
  constructor(readonly imei: string) {
    super(`IMEI must be exactly 15 digits, got "${imei}".`);
    this.name = 'InvalidImeiError';
  }
}

export class NotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly key: string,
  ) {
    super(`${entity} ${key} does not exist.`);
    this.name = 'NotFoundError';
  }
}

/** The module already has an open attempt (in another slot): one flash at a time per IMEI. */
export class ModuleBusyError extends Error {
  readonly code = 'MODULE_BUSY';
  constructor(readonly imei: string) {
    super(`Module ${imei} is already being flashed; wait for that attempt's result.`);
    this.name = 'ModuleBusyError';
  }
}

/** The module is quarantined or scrapped: it may not be flashed until an engineer releases it. */
export class ModuleBlockedError extends Error {
  readonly code = 'MODULE_BLOCKED';
  constructor(
    readonly imei: string,
    readonly status: 'quarantined' | 'scrapped',
    readonly reason: string | null,
  ) {
    super(`Module ${imei} is ${status}${reason ? ` (${reason})` : ''}: it may not be flashed.`);
    this.name = 'ModuleBlockedError';
  }
}

/**
 * The module already passed with the package being flashed (issue #9 §3): flashing it again is a
 * rework, which only a supervisor's override allows.
 */
export class ModuleAlreadyPassedError extends Error {
  readonly code = 'ALREADY_PASSED';
  constructor(
    readonly imei: string,
    /** The attempt that passed, and when it ended. */
    readonly attemptId: string,
    readonly passedAt: Date,
  ) {
    super(`Module ${imei} already passed with this package (attempt ${attemptId}).`);
    this.name = 'ModuleAlreadyPassedError';
  }
}

/** A firmware package announcement the record cannot hold (bad digest, over-long field). */
export class InvalidPackageError extends Error {
  readonly code = 'INVALID_PACKAGE';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPackageError';
  }
}
