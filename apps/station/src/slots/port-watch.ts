// Notices slots whose serial port vanished (adapter unplugged, jig gone) so health and the
// dashboard show them offline instead of letting a scan fail at the first write.
import { access } from 'node:fs/promises';

export class PortWatch {
  private timer: NodeJS.Timeout | undefined;
  private offline: number[] = [];

  constructor(
    private readonly slots: readonly { slot: number; path: string }[],
    private readonly options: { intervalMs: number; onChange?: (offline: number[]) => void },
  ) {}

  async start(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Slots whose port was missing at the last check, ascending. */
  offlineSlots(): number[] {
    return this.offline;
  }

  private async check(): Promise<void> {
    const missing = await Promise.all(
      this.slots.map(({ path }) =>
        access(path).then(
          () => false,
          () => true,
        ),
      ),
    );
    const offline = this.slots.filter((_, index) => missing[index]).map((s) => s.slot);
    if (offline.join(',') === this.offline.join(',')) return;
    this.offline = offline;
    this.options.onChange?.(offline);
  }
}
