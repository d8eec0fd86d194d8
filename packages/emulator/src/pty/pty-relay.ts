// The "USB adapter" of one slot: a pseudo-terminal for the host (a stable link such as
// <dir>/slot-01) whose far end is a small relay process, with back-pressure like a real adapter.
//
// Why not a socat pty pair: a host's write() only blocks when the kernel buffers in its way are
// full. Two ptys plus socat buffer ~37 KiB (one pty alone 14-20 KiB); ftdi_sio, cp210x and ch341
// accept ~4 KiB (docs/emulator.md "Back-pressure"), so a host ran up to 3 s ahead of a 115200
// line and pymtkflasher's 1 s checksum read timed out. Reading the host eagerly and stopping its
// tty with tcflow(TCOOFF) once `window` bytes wait for the line fixes that: pty_write() takes
// nothing while the tty is stopped and poll() reports no room, for any host, whatever its termios
// (a STOP byte with IXON would eat data bytes and be undone by the host's next tcsetattr).
// The stop must follow the host's write within microseconds, or the host fills the pty meanwhile
// (measured through socat and Node: 30 KiB), so the relay that reads the master applies it itself;
// the emulator only returns credits as bytes leave on the line.
//
// Credits are coalesced (docs/speed-work.md §16): a credit is a pipe write here and a wake-up of
// the relay, and one per 1 KiB piece was half of a jig's Node time. A timed relay flags in each
// frame whether its gate is shut after that read, so this side knows when room matters: it sends
// the credits it holds in one write when the gate is shut and they bring the count to window / 2,
// when it hands the host an answer (the host's next write follows it) and more than window / 2
// are counted, and at once when the gate shut only because of credits held here (then with "!":
// reopen below `window`, as a FIFO with room would). The relay only ever counts more bytes
// outstanding than the line holds, so it never lets the host through earlier than before.
//
// Node cannot call tcflow or open a pty, so the relay is perl (perl-base is in every Debian and
// Ubuntu, node:*-slim included; see relay-script.ts). Its pipes are held by this process only:
// when the emulator dies for any reason they reach EOF and the relay removes the link and exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { RELAY_SCRIPT } from './relay-script';
import { PtyError } from './errors';
import { FrameReader, frame, MONOTONIC_TO_NOW } from './relay-frames';

/** A USB-serial adapter's write FIFO: 4 KiB in ftdi_sio, cp210x and ch341 (docs/emulator.md). */
export const DEFAULT_HOST_WINDOW = 4096;

export interface PtyRelayOptions {
  /** Host bytes that may wait for the line before the host's write blocks; 0 = never hold back. */
  window: number;
  /** `readAt`: when the relay read them off the pty (performance.now() time), if it keeps time. */
  onData: (bytes: Uint8Array, readAt?: number) => void;
  perlBinary?: string;
  timeoutMs?: number;
}

export interface PtyRelay {
  readonly hostPath: string;
  /** The relay; its 'exit' means the adapter is gone. */
  readonly process: ChildProcess;
  /** The relay keeps time (stamps reads, releases writes at their due time). */
  readonly timed: boolean;
  /**
   * Queues bytes for the host; never blocks (a host that does not read fills memory, in order).
   * With `due` (performance.now() time) and a timed relay they reach the pty at that time, not
   * before; otherwise at once.
   */
  write(bytes: Uint8Array, due?: number): void;
  /** `count` host bytes left the adapter (delivered on the line, or dropped): room again. */
  credit(count: number): void;
  /** Credit writes made to the relay so far (each one a system call and a relay wake-up). */
  readonly creditWrites: number;
  /** Removes the link and ends the relay (the host's open port sees a hang-up). */
  close(): Promise<void>;
}

export async function createPtyRelay(
  hostPath: string,
  options: PtyRelayOptions,
): Promise<PtyRelay> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const child = spawn(
    options.perlBinary ?? 'perl',
    ['-e', RELAY_SCRIPT, hostPath, String(options.window)],
    { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] },
  );
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new PtyError(`pty relay did not create ${hostPath} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (!log.includes('ready ')) return;
      clearTimeout(timer);
      resolve();
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new PtyError(
          error.code === 'ENOENT'
            ? 'perl not found (the pty relay needs it): apt-get install perl-base'
            : `cannot start the pty relay: ${error.message}`,
        ),
      );
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new PtyError(`pty relay for ${hostPath} exited with code ${code}: ${log.trim()}`));
    });
  });
  const credits = child.stdio[3] as Writable;
  const stop = () => {
    child.stdin!.end();
    credits.end();
  };
  // After an exit (adapter gone) the pipes may be closed: writes are then simply dropped.
  child.stdin!.on('error', () => undefined);
  credits.on('error', () => undefined);
  try {
    await ready;
  } catch (error) {
    stop();
    throw error;
  }
  child.removeAllListeners('exit');
  child.stderr!.removeAllListeners('data');
  child.stderr!.resume();
  const timed = /ready \S+ clock/.test(log);
  const window = options.window;
  // Without a window credits are never needed; without a clock (perl-base) they go one by one
  // as before, since whether the gate shut on held credits is judged by the relay's read time.
  const coalesce = timed && window > 0;
  let creditWrites = 0;
  /** Host bytes received, and credits written: the relay's count once it has read them all. */
  let received = 0;
  let sent = 0;
  /** `sent` before the last credit write, and when that was (performance.now() time). */
  let sentBefore = 0;
  let lastSentAt = Number.NEGATIVE_INFINITY;
  /** Credits held here, in the order (and at the time) the line returned them. */
  const held: { at: number; count: number }[] = [];
  let heldTotal = 0;
  /** The relay's last frame said its gate was shut, and no credit sent since reopens it. */
  let gateShut = false;
  const sendCredits = (room: boolean) => {
    credits.write(room ? `${heldTotal}!\n` : `${heldTotal}\n`);
    creditWrites++;
    sentBefore = sent;
    sent += heldTotal;
    lastSentAt = performance.now();
    held.length = 0;
    heldTotal = 0;
    if (received - sent <= (room ? window - 1 : window / 2)) gateShut = false;
  };
  const reopenIfDue = () => {
    if (gateShut && heldTotal > 0 && received - sent - heldTotal <= window / 2) sendCredits(false);
  };
  const onShutFrame = (readAt: number) => {
    gateShut = true;
    if (heldTotal === 0) return;
    // What the line held when the relay read: credits returned after the read do not count (a
    // write still in flight then is counted as not yet made, which can only keep the gate shut).
    let heldAtRead = 0;
    for (const { at, count } of held) if (at <= readAt) heldAtRead += count;
    const sentAtRead = lastSentAt <= readAt ? sent : sentBefore;
    if (received - sentAtRead - heldAtRead < window) sendCredits(true);
    else reopenIfDue();
  };
  const frames = new FrameReader((bytes, stamp, shut) => {
    const readAt = stamp >= 0 ? stamp + MONOTONIC_TO_NOW : undefined;
    if (coalesce) {
      received += bytes.length;
      if (shut && readAt !== undefined) onShutFrame(readAt);
    }
    options.onData(bytes, readAt);
  });
  child.stdout!.on('data', (chunk: Buffer) => frames.push(chunk));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    hostPath,
    process: child,
    timed,
    write(bytes, due) {
      if (!alive() || bytes.length === 0) return;
      const at = timed && due !== undefined ? Math.max(due - MONOTONIC_TO_NOW, 1e-9) : 0;
      // An answer: the host writes again soon. Room it will need goes first, so the gate does
      // not shut on credits held here (a needless stop and a round trip to undo it).
      if (coalesce && heldTotal > 0 && received - sent > window / 2) sendCredits(false);
      // One write per frame: one syscall here and one wake-up of the relay, not two.
      child.stdin!.write(frame(at, bytes));
    },
    credit(count) {
      if (!alive() || count <= 0 || window <= 0) return;
      if (!coalesce) {
        credits.write(`${count}\n`);
        creditWrites++;
        return;
      }
      held.push({ at: performance.now(), count });
      heldTotal += count;
      reopenIfDue();
    },
    get creditWrites() {
      return creditWrites;
    },
    async close() {
      if (!alive()) return;
      const exited = once(child, 'exit');
      stop();
      await exited;
    },
  };
}
