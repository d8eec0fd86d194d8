import type { FlashStage } from './errors/stages';

export type StageTimings = Partial<Record<FlashStage, number>>;

/**
 * The one clock of a flash: the stage it is in and the milliseconds spent in each stage. Entering
 * a stage closes the one before. Time spent in a stage twice (a baud fallback walks brom again)
 * adds up, so an attempt's timings add up to its duration.
 */
export class StageClock {
  private current: FlashStage;
  private since: number;
  private running = true;
  private readonly spent = new Map<FlashStage, number>();

  constructor(
    first: FlashStage,
    /** Told of every stage entered, the first included (progress at 0 %). */
    private readonly onEnter?: (stage: FlashStage) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.current = first;
    this.since = now();
    onEnter?.(first);
  }

  /** The running stage; once stopped, the stage the flash ended in. */
  get stage(): FlashStage {
    return this.current;
  }

  enter(stage: FlashStage): void {
    this.stop();
    this.current = stage;
    this.since = this.now();
    this.running = true;
    this.onEnter?.(stage);
  }

  /** Closes the running stage; its time so far is kept. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.spent.set(this.current, (this.spent.get(this.current) ?? 0) + this.now() - this.since);
  }

  /** Whole milliseconds per stage, the running stage's time so far included. */
  timings(): StageTimings {
    const out: StageTimings = {};
    for (const [stage, ms] of this.spent) out[stage] = Math.round(ms);
    if (this.running)
      out[this.current] = Math.round((this.spent.get(this.current) ?? 0) + this.now() - this.since);
    return out;
  }
}
