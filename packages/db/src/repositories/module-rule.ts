// The module-status rule (issue #7): a module's status and revision change only from attempts
// that talked to that module. Pure, so every case is unit-tested without a database.
import type { AttemptOutcome, ModuleStatus } from '../generated/prisma/enums';

export interface ModuleRuleModule {
  imei: string;
  status: ModuleStatus;
}

export interface ModuleRuleAttempt {
  outcome: AttemptOutcome;
  /** IMEI the module in the slot reported; null when it answered no AT. */
  reportedImei: string | null;
  revisionBefore: string | null;
  revisionAfter: string | null;
}

/**
 * What to write to the module; `currentRevision` absent means "leave it". null means "no change".
 */
export interface ModuleChange {
  status: 'passed' | 'failed';
  currentRevision?: string | null;
}

const BLOCKED: ReadonlySet<ModuleStatus> = new Set(['quarantined', 'scrapped']);

export function decideModuleChange(
  module: ModuleRuleModule,
  attempt: ModuleRuleAttempt,
): ModuleChange | null {
  // Only an engineer takes a module out of quarantine or scrap.
  if (BLOCKED.has(module.status)) return null;
  // Another module answered in the slot (label scanned into the wrong slot): this one was never
  // touched, so its record stays as it was. The attempt keeps the reported IMEI.
  if (attempt.reportedImei !== null && attempt.reportedImei !== module.imei) return null;
  switch (attempt.outcome) {
    case 'passed':
      // The flash wrote this package, so the old revision is certainly gone.
      return { status: 'passed', currentRevision: attempt.revisionAfter };
    case 'failed': {
      // Read from the module itself: the newest revision it reported, if any.
      if (attempt.reportedImei === null) return { status: 'failed' };
      const revision = attempt.revisionAfter ?? attempt.revisionBefore;
      return revision === null
        ? { status: 'failed' }
        : { status: 'failed', currentRevision: revision };
    }
    case 'interrupted':
    case 'canceled':
    case 'running':
      return null;
  }
}
