// What the record says about finished attempts, counted once each: by the delivery that stored
// a station's result (after its commit) and by the reconciler when it settles one.
import { FLASH_STAGES, type FlashStage } from '@station/contracts';
import { Counter, Histogram, type Registry } from 'prom-client';
import { errorNameLabel } from './metric-labels';

/** A whole flash takes 10–120 s at line rate; slow failures (timeouts) go up to minutes. */
const FLASH_BUCKETS_S = [5, 10, 15, 20, 30, 45, 60, 75, 90, 120, 180, 300];
/** Stages range from a few ms (identify) to most of a flash (write). */
const STAGE_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];

const STAGES: ReadonlySet<string> = new Set(FLASH_STAGES);

/** A stored, finished attempt as the metrics need it. */
export interface SettledAttempt {
  stationId: string;
  outcome: string;
  errorName: string | null;
  /** Milliseconds per stage, as the station measured them; null when none were reported. */
  stageTimings?: unknown;
}

export class FlashMetrics {
  private readonly attempts: Counter<'station' | 'outcome' | 'error_name'>;
  private readonly flashDuration: Histogram<'station' | 'outcome'>;
  private readonly stageDuration: Histogram<'station' | 'stage'>;

  constructor(registry: Registry) {
    this.attempts = new Counter({
      name: 'flashstation_attempts_total',
      help: 'Flash attempts stored, by station, outcome and error name (catalogue names; none on pass).',
      labelNames: ['station', 'outcome', 'error_name'],
      registers: [registry],
    });
    this.flashDuration = new Histogram({
      name: 'flashstation_flash_duration_seconds',
      help: 'Time on the slot of a stored attempt: the sum of its station-measured stage timings.',
      labelNames: ['station', 'outcome'],
      buckets: FLASH_BUCKETS_S,
      registers: [registry],
    });
    this.stageDuration = new Histogram({
      name: 'flashstation_stage_duration_seconds',
      help: 'Time a stored attempt spent in each stage it reached, as the station measured it.',
      labelNames: ['station', 'stage'],
      buckets: STAGE_BUCKETS_S,
      registers: [registry],
    });
  }

  /** Counts an attempt stored now; call once per attempt, after its commit. */
  settled(attempt: SettledAttempt): void {
    const station = attempt.stationId;
    this.attempts.inc({
      station,
      outcome: attempt.outcome,
      error_name: errorNameLabel(attempt.errorName),
    });
    const timings = stageTimingsOf(attempt.stageTimings);
    if (timings.length === 0) return;
    let totalMs = 0;
    for (const [stage, ms] of timings) {
      totalMs += ms;
      this.stageDuration.observe({ station, stage }, ms / 1000);
    }
    this.flashDuration.observe({ station, outcome: attempt.outcome }, totalMs / 1000);
  }
}

/** The stored JSON's known stages with a finite, non-negative time (it is a station's report). */
function stageTimingsOf(value: unknown): [FlashStage, number][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).filter(
    (entry): entry is [FlashStage, number] =>
      STAGES.has(entry[0]) &&
      typeof entry[1] === 'number' &&
      Number.isFinite(entry[1]) &&
      entry[1] >= 0,
  );
}
