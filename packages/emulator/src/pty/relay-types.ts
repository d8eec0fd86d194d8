// What a slot's pty relay is to the jig, whichever program runs it (perl per slot or the C hub).

/** The paced line's timing, as the relay models it (paced-line.ts). */
export interface RelayLineModel {
  /** USB full-speed frame (ms) a host write waits for, 0 = none. */
  frameMs: number;
  baud: number;
}

export interface PtyRelay {
  readonly hostPath: string;
  /** Calls `listener` once when the relay is gone (closed, or its process died): adapter gone. */
  onGone(listener: () => void): void;
  /** The relay keeps time (stamps reads, releases writes at their due time). */
  readonly timed: boolean;
  /** Which relay runs: the C one or the perl script. */
  readonly program: 'native' | 'perl';
  /**
   * Queues bytes for the host; never blocks (a host that does not read fills memory, in order).
   * With `due` (performance.now() time) and a timed relay they reach the pty at that time, not
   * before; otherwise at once.
   */
  write(bytes: Uint8Array, due?: number): void;
  /**
   * `count` host bytes left the adapter (delivered on the line, or dropped): room again. Only a
   * relay without a clock needs it; one that keeps time drains by its own model.
   */
  credit(count: number): void;
  /** The line's baud changed: the relay's model drains at the new rate from now on. */
  setBaud(baud: number): void;
  /** The line dropped its `count` oldest host bytes (power loss, unplug): room at once. */
  dropped(count: number): void;
  /**
   * The line dropped at `time` (performance.now()): bytes for the host due after it are lost with
   * it. Only the hub can; the jig runs its modules ahead of their line only on a relay that can
   * (docs/speed-work.md §28).
   */
  discardAfter?(time: number): void;
  /** Writes of the line's news made to the relay so far (on the hub they share its batch). */
  readonly controlWrites: number;
  /** Removes the link and ends the relay (the host's open port sees a hang-up). */
  close(): Promise<void>;
}
