// Attribution (issue #9 §2, design §5): from the record, whether a module's faults travel with it
// (quarantine) or a slot's failures are the jig's (suspect). Pure, so every case is unit-tested
// without a database; attribution.repository.ts reads the evidence and stores the decisions.

/** Who a failure is held against (the error catalogue's `blame`, @station/mtk). */
export type FaultBlame = 'module' | 'jig' | 'line' | 'setup' | 'none';

export interface AttributionThresholds {
  /** How many of a slot's latest finished attempts, retries included, are looked at (SUSPECT_WINDOW). */
  suspectWindow: number;
  /** Distinct modules that must have had a jig or line failure there (SUSPECT_MIN_FAILED_MODULES). */
  suspectMinFailedModules: number;
  /** Passes the station's other slots must have had meanwhile (SUSPECT_MIN_NEIGHBOUR_PASSES). */
  suspectMinNeighbourPasses: number;
}

export const DEFAULT_ATTRIBUTION_THRESHOLDS: AttributionThresholds = {
  suspectWindow: 10,
  suspectMinFailedModules: 3,
  suspectMinNeighbourPasses: 3,
};

/** A module is quarantined once its own faults showed on this many healthy slots. */
export const QUARANTINE_SLOTS = 2;

export interface Judgement {
  reason: string;
  /** The attempts the judgement was made from, oldest first. */
  evidence: string[];
}

/** A final (not retried) failure of the module. */
export interface ModuleFailure {
  attemptId: string;
  slotId: string;
  /** `<station code>/<slot number>`, for the sentence. */
  slotName: string;
  errorName: string | null;
  blame: FaultBlame;
  /** The slot was active then (no open suspect decision) and is not suspect now. */
  slotHealthy: boolean;
}

const AGAINST_MODULE: ReadonlySet<FaultBlame> = new Set(['module', 'line']);
const AGAINST_SLOT: ReadonlySet<FaultBlame> = new Set(['jig', 'line']);

/** Quarantine when the module's own (or line) faults happened on two distinct healthy slots. */
export function decideQuarantine(failures: readonly ModuleFailure[]): Judgement | null {
  const counted = failures.filter((f) => f.slotHealthy && AGAINST_MODULE.has(f.blame));
  const slots = new Map<string, ModuleFailure>();
  for (const failure of counted) if (!slots.has(failure.slotId)) slots.set(failure.slotId, failure);
  if (slots.size < QUARANTINE_SLOTS) return null;
  const where = [...slots.values()]
    .map((f) => `${f.slotName} (${f.errorName ?? 'no error name'})`)
    .join(', ');
  return {
    reason: `Failed on ${slots.size} healthy slots: ${where}; the fault travels with the module.`,
    evidence: counted.map((f) => f.attemptId),
  };
}

/** One of the slot's latest finished attempts (a first try or a retry). */
export interface SlotWindowAttempt {
  attemptId: string;
  moduleId: string;
  outcome: string;
  errorName: string | null;
  blame: FaultBlame;
}

/**
 * Suspect when enough DISTINCT modules had a jig or line failure among the slot's latest attempts,
 * first tries and retries alike (so a noisy adapter whose every module passes only after a baud
 * retry is found; one bad module and its retries cannot condemn it), while the station's other
 * slots passed with the same package meanwhile (so a bad batch or package does not either).
 */
export function decideSuspect(
  window: readonly SlotWindowAttempt[],
  neighbourPasses: number,
  thresholds: AttributionThresholds,
): Judgement | null {
  const failed = window.filter((a) => a.outcome === 'failed' && AGAINST_SLOT.has(a.blame));
  const modules = new Set(failed.map((a) => a.moduleId));
  if (modules.size < thresholds.suspectMinFailedModules) return null;
  if (neighbourPasses < thresholds.suspectMinNeighbourPasses) return null;
  const errors = [...new Set(failed.map((a) => a.errorName ?? 'no error name'))].join(', ');
  return {
    reason: `${modules.size} different modules failed here (${errors}) in its last ${window.length} attempts, retries included, while the other slots passed ${neighbourPasses} with the same package: check this slot's adapter, cable and power.`,
    evidence: failed.map((a) => a.attemptId),
  };
}
