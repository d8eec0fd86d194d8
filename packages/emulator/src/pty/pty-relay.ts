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
// A relay that keeps time also knows when the line has carried the host's bytes: it runs the
// paced line's own model from the same read stamps (docs/speed-work.md §19), told only when the
// baud changes or the line drops bytes. A credit per piece from here (a pipe write and a wake-up
// of the relay) was half of a jig's Node time. Without a clock (perl-base) the line's drain is
// returned as credits, one per piece.
//
// Node cannot call tcflow or open a pty, so the relay is a process of its own: a small C program
// where the machine has a C compiler (relay-hub-source.ts, one process for all of a jig's slots:
// perl's interpreter cost a fifth of the machine at 128 slots, a C process per slot still 0.6 of
// it, docs/speed-work.md §19 and §27), else perl, one process per slot (perl-base is in every
// Debian and Ubuntu, node:*-slim included; see relay-script.ts, the reference both follow). Its
// pipes are held by this process only: when the emulator dies for any reason they reach EOF and
// the relay removes the link and exits.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { RELAY_SCRIPT } from './relay-script';
import { nativeRelay } from './native-relay';
import { RelayHub } from './relay-hub';
import type { PtyRelay, RelayLineModel } from './relay-types';
import { PtyError } from './errors';
import { FrameReader, frame, MONOTONIC_TO_NOW } from './relay-frames';

export type { PtyRelay, RelayLineModel } from './relay-types';

/**
 * What the modelled FT232R's driver takes in one `write` before the host blocks (docs/emulator.md
 * "Back-pressure"): usb-serial's 4 KiB write FIFO, plus its two write URBs of ftdi_sio's 256-byte
 * `bulk_out_size`, which the same call fills from the FIFO (`usb_serial_generic_write_start` "try
 * to use all free urbs"). So a DA WRITE packet (4 KiB and its checksum) never holds the host, and
 * the relay shuts and reopens no gate for it.
 */
export const DEFAULT_HOST_WINDOW = 4096 + 2 * 256;

export interface PtyRelayOptions {
  /** Host bytes that may wait for the line before the host's write blocks; 0 = never hold back. */
  window: number;
  /** `readAt`: when the relay read them off the pty (performance.now() time), if it keeps time. */
  onData: (bytes: Uint8Array, readAt?: number) => void;
  /** The line's timing at start (default: no USB frame, 115200). */
  line?: RelayLineModel;
  /**
   * `auto` (default): the C relay where a C compiler built it (native-relay.ts), else perl;
   * `perl`: the perl relay (also whenever `perlBinary` is given).
   */
  program?: 'auto' | 'perl';
  /** A running C hub to open the pty in (a jig's one for all its slots); default: one of its own. */
  hub?: RelayHub;
  perlBinary?: string;
  timeoutMs?: number;
}

export async function createPtyRelay(
  hostPath: string,
  options: PtyRelayOptions,
): Promise<PtyRelay> {
  if (options.hub) return options.hub.open(hostPath, options);
  const native =
    options.program === 'perl' || options.perlBinary ? null : (await nativeRelay()).binary;
  if (native) return soloHubRelay(native, hostPath, options);
  const timeoutMs = options.timeoutMs ?? 5000;
  const args = [
    hostPath,
    String(options.window),
    String(options.line?.frameMs ?? 0),
    String(MONOTONIC_TO_NOW),
    String(options.line?.baud ?? 115200),
  ];
  const child = spawn(options.perlBinary ?? 'perl', ['-e', RELAY_SCRIPT, ...args], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
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
  const control = child.stdio[3] as Writable;
  const stop = () => {
    child.stdin!.end();
    control.end();
  };
  // After an exit (adapter gone) the pipes may be closed: writes are then simply dropped.
  child.stdin!.on('error', () => undefined);
  control.on('error', () => undefined);
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
  const gated = options.window > 0;
  let controlWrites = 0;
  const tell = (line: string) => {
    control.write(line);
    controlWrites++;
  };
  const frames = new FrameReader((bytes, stamp) =>
    options.onData(bytes, stamp >= 0 ? stamp + MONOTONIC_TO_NOW : undefined),
  );
  child.stdout!.on('data', (chunk: Buffer) => frames.push(chunk));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    hostPath,
    onGone(listener) {
      if (alive()) child.once('exit', listener);
      else queueMicrotask(listener);
    },
    timed,
    program: 'perl',
    write(bytes, due) {
      if (!alive() || bytes.length === 0) return;
      const at = timed && due !== undefined ? Math.max(due - MONOTONIC_TO_NOW, 1e-9) : 0;
      // One write per frame: one syscall here and one wake-up of the relay, not two.
      child.stdin!.write(frame(at, bytes));
    },
    credit(count) {
      if (alive() && gated && !timed && count > 0) tell(`${count}\n`);
    },
    setBaud(baud) {
      if (alive() && gated && timed) tell(`b${baud}\n`);
    },
    dropped(count) {
      if (alive() && gated && timed && count > 0) tell(`d${count}\n`);
    },
    get controlWrites() {
      return controlWrites;
    },
    async close() {
      if (!alive()) return;
      const exited = once(child, 'exit');
      stop();
      await exited;
    },
  };
}

/** A C hub serving this one pty, ended with it (a relay made without a jig's shared hub). */
async function soloHubRelay(
  binary: string,
  hostPath: string,
  options: PtyRelayOptions,
): Promise<PtyRelay> {
  const hub = await RelayHub.start(binary, { timeoutMs: options.timeoutMs });
  try {
    const relay = await hub.open(hostPath, options);
    relay.onGone(() => void hub.close());
    return relay;
  } catch (error) {
    await hub.close();
    throw error;
  }
}
