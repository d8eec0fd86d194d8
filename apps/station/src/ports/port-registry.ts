// One flash at a time per slot (design §5): a job takes the slot's lease before it opens the port
// and gives it back after closing it. Waiters are served in arrival order.

export type ReleaseLease = () => void;

export class LeaseAbortedError extends Error {
  override name = 'LeaseAbortedError';
}

export class PortRegistry {
  /** Per slot: the tail of its queue; resolves when the last holder or waiter releases. */
  private readonly tails = new Map<number, Promise<void>>();
  private readonly holders = new Set<number>();

  /** Whether a job holds the slot's lease right now. */
  isLeased(slot: number): boolean {
    return this.holders.has(slot);
  }

  /**
   * Resolves once the slot is free and now ours. An abort while waiting rejects with
   * LeaseAbortedError and hands the turn on, so a cancelled waiter never blocks the slot.
   */
  async acquire(slot: number, signal?: AbortSignal): Promise<ReleaseLease> {
    signal?.throwIfAborted();
    const previous = this.tails.get(slot) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(slot, tail);
    try {
      await waitOrAbort(previous, signal, slot);
    } catch (error) {
      // Let whoever queued after us go as soon as the slot is free.
      release();
      throw error;
    }
    this.holders.add(slot);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders.delete(slot);
      if (this.tails.get(slot) === tail) this.tails.delete(slot);
      release();
    };
  }
}

function waitOrAbort(turn: Promise<void>, signal: AbortSignal | undefined, slot: number) {
  if (!signal) return turn;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () =>
      reject(new LeaseAbortedError(`stopped waiting for slot ${slot}: ${String(signal.reason)}`));
    signal.addEventListener('abort', onAbort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
