// Watches every slot's adapter while the station runs (issue #9 §5): unplug, re-plug and swap are
// noticed within one interval, so health and the dashboard show a slot offline instead of letting
// a scan fail at the first write, and the server records which adapter serves each slot.
import { slotChanges, type SlotBinding, type SlotChange } from './slot-binding';

export interface PortWatchOptions {
  intervalMs: number;
  /** Called after a look that changed something, with the slots as they are now. */
  onChange?: (slots: readonly SlotBinding[], changes: SlotChange[]) => void;
  onError?: (error: unknown) => void;
}

export class PortWatch {
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private current: SlotBinding[];

  constructor(
    /** The slots as first seen (the station registered them so). */
    initial: readonly SlotBinding[],
    private readonly probe: () => Promise<SlotBinding[]>,
    private readonly options: PortWatchOptions,
  ) {
    this.current = [...initial];
  }

  start(): void {
    this.timer = setInterval(() => {
      this.checking ??= this.check().finally(() => (this.checking = undefined));
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.checking;
  }

  slots(): readonly SlotBinding[] {
    return this.current;
  }

  /** Slots whose adapter was missing at the last look, ascending. */
  offlineSlots(): number[] {
    return this.current
      .filter((s) => !s.online)
      .map((s) => s.slot)
      .sort((a, b) => a - b);
  }

  /** One look now (the timer calls it; tests may too). */
  async check(): Promise<void> {
    let next: SlotBinding[];
    try {
      next = await this.probe();
    } catch (error) {
      this.options.onError?.(error);
      return;
    }
    const changes = slotChanges(this.current, next);
    this.current = next;
    if (changes.length > 0) this.options.onChange?.(next, changes);
  }
}
