// Real perl relay, real pseudo-terminal, real pyserial host: bytes flow both ways, the link
// goes with the relay (also when the emulator is killed), and a host's write is held back once
// about 4 KiB wait for the line, as on a USB-serial adapter.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot, startProcess, tempDir, waitFor, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PacedLine } from '../line/paced-line';
import { TIMER_TOLERANCE_MS } from '../util/clock';
import { PtyError } from './errors';
import { nativeRelay } from './native-relay';
import {
  createPtyRelay,
  DEFAULT_HOST_WINDOW,
  type PtyRelay,
  type RelayLineModel,
} from './pty-relay';

const fixtures = join(import.meta.dirname, '../../test/fixtures');
const python = '/usr/bin/python3';
const hasPyserial = spawnSync(python, ['-c', 'import serial']).status === 0;
// The relay keeps time with Time::HiRes (in perl, not perl-base).
const hasHiRes = spawnSync('perl', ['-MTime::HiRes', '-e1']).status === 0;
// The C relay where a C compiler built it (it always keeps time), and the perl one, the reference.
const hasNative = (await nativeRelay()).binary !== null;
const programs = [
  { program: 'native' as const, runs: hasNative, timed: true },
  { program: 'perl' as const, runs: true, timed: hasHiRes },
];
/** The relay the tests below start: set per program by each `describe.each` block. */
let program: 'native' | 'perl' = 'native';

let tmp: TempDir;
const relays: PtyRelay[] = [];
beforeEach(async () => {
  tmp = await tempDir('pty-relay');
});
afterEach(async () => {
  for (const relay of relays.splice(0)) await relay.close();
  await tmp.dispose();
});

async function relay(
  name: string,
  window: number,
  onData: (bytes: Uint8Array, readAt?: number) => void,
  more: { line?: RelayLineModel; perlBinary?: string } = {},
): Promise<PtyRelay> {
  const made = await createPtyRelay(join(tmp.path, name), {
    window,
    onData,
    ...(program === 'perl' ? { program: 'perl' } : {}),
    ...more,
  });
  expect(made.program).toBe(more.perlBinary ? 'perl' : program);
  relays.push(made);
  return made;
}

describe.each(programs.filter((p) => p.runs))('pty relay ($program)', (p) => {
  beforeEach(() => {
    program = p.program;
  });

  it('carries bytes both ways and removes the link on close', async () => {
    const received: number[] = [];
    const r = await relay('slot-01', 4096, (bytes) => received.push(...bytes));
    const fd = openSync(r.hostPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    try {
      writeSync(fd, Uint8Array.of(0xa0, 0x0a, 0x11, 0x13)); // XON/XOFF bytes are data (raw)
      await waitFor('the host bytes at the relay', () => received.length === 4);
      expect(received).toEqual([0xa0, 0x0a, 0x11, 0x13]);
      r.write(Uint8Array.of(0x5f, 0xf5));
      const buffer = Buffer.alloc(16);
      let got = 0;
      await waitFor('the module bytes at the host', () => {
        try {
          got += readSync(fd, buffer, got, buffer.length - got, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        }
        return got === 2;
      });
      expect([...buffer.subarray(0, 2)]).toEqual([0x5f, 0xf5]);
    } finally {
      closeSync(fd);
    }
    await r.close();
    expect(existsSync(r.hostPath)).toBe(false);
  });

  it.skipIf(!p.timed)(
    'stamps a host write no earlier than it was made and writes nothing before its due time',
    async () => {
      const stamps: { readAt?: number; got: number }[] = [];
      const r = await relay('slot-05', 4096, (_bytes, readAt) => {
        stamps.push({ readAt, got: performance.now() });
      });
      expect(r.timed).toBe(true);
      const fd = openSync(r.hostPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
      try {
        const wrote = performance.now();
        writeSync(fd, Uint8Array.of(1, 2, 3));
        await waitFor('the host bytes at the relay', () => stamps.length === 1);
        expect(stamps[0]!.readAt).toBeGreaterThanOrEqual(wrote);
        expect(stamps[0]!.readAt).toBeLessThanOrEqual(stamps[0]!.got);
        const due = performance.now() + 40;
        r.write(Uint8Array.of(0x69), due);
        r.write(Uint8Array.of(0x5a)); // no due time: behind the first, in order
        const buffer = Buffer.alloc(4);
        let got = 0;
        let firstSeen = 0;
        await waitFor('the module bytes at the host', () => {
          try {
            got += readSync(fd, buffer, got, buffer.length - got, null);
            firstSeen ||= performance.now();
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          }
          return got === 2;
        });
        expect([...buffer.subarray(0, 2)]).toEqual([0x69, 0x5a]);
        expect(firstSeen).toBeGreaterThanOrEqual(due);
      } finally {
        closeSync(fd);
      }
    },
  );
});

describe('pty relay process', () => {
  it('does not outlive an emulator process killed with SIGKILL', async () => {
    const hostPath = join(tmp.path, 'slot-02');
    const child = startProcess(
      'relay holder',
      process.execPath,
      ['--import', 'tsx', join(fixtures, 'hold-pty-relay.ts'), hostPath],
      { cwd: repoRoot },
    );
    try {
      await child.waitForLine('ready');
      expect(existsSync(hostPath)).toBe(true);
      child.signal('SIGKILL');
      await waitFor('the relay to go after its parent was killed', () => !existsSync(hostPath));
    } finally {
      await child.release();
    }
  });

  it('says how to install perl when it is missing', async () => {
    await expect(
      createPtyRelay(join(tmp.path, 'slot-03'), {
        window: 4096,
        onData: () => undefined,
        perlBinary: 'perl-not-installed-here',
      }),
    ).rejects.toThrow(
      new PtyError('perl not found (the pty relay needs it): apt-get install perl-base'),
    );
  });
});

/** A perl whose Time::HiRes cannot load, as with perl-base alone: the relay keeps no time. */
async function perlWithoutClock(): Promise<string> {
  const lib = join(tmp.path, 'no-hires', 'Time');
  await mkdir(lib, { recursive: true });
  await writeFile(join(lib, 'HiRes.pm'), 'die "Time::HiRes is not installed\\n";\n');
  const wrapper = join(tmp.path, 'perl-base');
  await writeFile(wrapper, `#!/bin/sh\nexec perl -I${join(tmp.path, 'no-hires')} "$@"\n`, {
    mode: 0o755,
  });
  return wrapper;
}

interface FloodOptions {
  window: number;
  total: number;
  chunk: number;
  gapMs: number;
  /** The line's baud; the relay starts at 115200 and is told of it as the jig tells it. */
  baud?: number;
  perlBinary?: string;
}

/**
 * A pyserial host writes `total` bytes in `chunk`-byte writes `gapMs` apart into a paced line
 * (at 115200, 512 B every 2 ms is 22 times the line rate: the host outruns the line, as a
 * flasher does).
 */
async function flood({ window, total, chunk, gapMs, baud = 115200, perlBinary }: FloodOptions) {
  let delivered = 0;
  let lastDeliveryMs = 0;
  let rxDone = 0;
  // What the relay had read in all when a read first brought `window` bytes in: the relay shuts
  // the gate on that read. (Nothing has drained by then: at 115200 the first 512-byte write takes
  // 44 ms on the line, and the window fills in 16 ms.)
  let read = 0;
  let readWhenShut: number | null = null;
  let r: PtyRelay | null = null;
  const line = new PacedLine({
    toHost: () => undefined,
    toDevice: (bytes) => {
      delivered += bytes.length;
      // Sub-ms wall clock: Date.now() truncates to whole ms, as much as the margin tested.
      lastDeliveryMs = performance.timeOrigin + performance.now();
    },
    onRxDone: (count) => {
      rxDone++;
      r?.credit(count);
    },
    onBaudChange: (next) => r?.setBaud(next),
  });
  const fromHost = (bytes: Uint8Array, readAt?: number) => {
    read += bytes.length;
    if (readWhenShut === null && read >= window) readWhenShut = read;
    line.fromHost(bytes, readAt);
  };
  r = await relay('slot-04', window, fromHost, {
    line: { frameMs: line.usbFrameMs, baud: line.currentBaud },
    ...(perlBinary ? { perlBinary } : {}),
  });
  line.setBaud(baud);
  const args = [join(fixtures, 'pyserial-writer.py'), r.hostPath, total, chunk, gapMs].map(String);
  const host = spawn(python, args);
  let out = '';
  let err = '';
  host.stdout.on('data', (data: Buffer) => (out += data.toString()));
  host.stderr.on('data', (data: Buffer) => (err += data.toString()));
  const code = await new Promise<number | null>((resolve) => host.on('exit', resolve));
  expect(err).toBe('');
  expect(code).toBe(0);
  await waitFor('the line to carry every byte', () => delivered === total, { timeoutMs: 20_000 });
  const result = JSON.parse(out) as { firstBlock: number | null; held: number; startMs: number };
  return {
    ...result,
    readWhenShut,
    timed: r.timed,
    totalMs: lastDeliveryMs - result.startMs,
    lineMs: lineMs(total, baud),
    controlWrites: r.controlWrites,
    rxDone,
  };
}

/**
 * The relay shut the host's tty on the read that brought `window` bytes in, not later: the host
 * got at most one more `chunk`-byte write in before that ioctl (it runs on the other core). How
 * many bytes that read brought depends on how long the relay slept, not on the relay: on a loaded
 * machine a perl relay woken 6 ms late reads three writes at once (session 18's CI).
 */
function expectShutAtWindow(
  flooded: { firstBlock: number | null; readWhenShut: number | null },
  window: number,
  chunk: number,
) {
  expect(flooded.readWhenShut).not.toBeNull();
  expect(flooded.firstBlock).toBeGreaterThanOrEqual(window);
  expect(flooded.firstBlock).toBeLessThanOrEqual((flooded.readWhenShut ?? 0) + chunk);
}

/**
 * The line time of `bytes` at `baud`, less the clock's tolerance: the line may hand over a byte
 * that much before its due time (src/util/clock.ts).
 */
const lineMs = (bytes: number, baud: number) => (bytes * 10_000) / baud - TIMER_TOLERANCE_MS;

/** Writes all of `bytes` to a non-blocking pty, retrying while the kernel takes nothing. */
async function hostWrite(fd: number, bytes: Uint8Array): Promise<void> {
  let at = 0;
  await waitFor(
    `the host's write of ${bytes.length} bytes to be taken`,
    () => {
      try {
        at += writeSync(fd, bytes, at);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
      return at === bytes.length;
    },
    { intervalMs: 1, timeoutMs: 10_000 },
  );
}

/** A relay on a paced line at `baud` whose module answers nothing on its own. */
async function pacedRelay(name: string, baud = 115200, window = 4096) {
  const state = { received: 0, delivered: 0, arrivedAt: 0 };
  let r: PtyRelay | null = null;
  const line = new PacedLine({
    toHost: (bytes, due) => r?.write(bytes, due),
    hostKeepsTime: () => r?.timed ?? false,
    toDevice: (bytes, at) => {
      state.delivered += bytes.length;
      state.arrivedAt = at;
    },
    onRxDone: (count) => r?.credit(count),
    onRxDropped: (count) => r?.dropped(count),
    onBaudChange: (next) => r?.setBaud(next),
  });
  line.setBaud(baud);
  r = await relay(
    name,
    window,
    (bytes, readAt) => {
      state.received += bytes.length;
      line.fromHost(bytes, readAt);
    },
    { line: { frameMs: line.usbFrameMs, baud: line.currentBaud } },
  );
  const fd = openSync(r.hostPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  return { r, line, state, fd };
}

describe.skipIf(!hasPyserial).each(programs.filter((p) => p.runs))(
  'pty relay back-pressure, pyserial host ($program)',
  (p) => {
    beforeEach(() => {
      program = p.program;
    });

    it(
      'holds the host once ~4 KiB wait for the line, never faster than the line',
      { timeout: 30_000 },
      async () => {
        const paced = await flood({ window: 4096, total: 32 * 1024, chunk: 512, gapMs: 2 });
        expectShutAtWindow(paced, 4096, 512);
        expect(paced.held).toBeGreaterThanOrEqual(5);
        expect(paced.totalMs).toBeGreaterThanOrEqual(paced.lineMs);
        expect(paced.rxDone).toBeGreaterThanOrEqual(30);
        // A relay that keeps time drains by its own model: not one credit from the emulator.
        expect(paced.controlWrites).toBe(p.timed ? 0 : paced.rxDone);
      },
    );

    it.skipIf(!p.timed)(
      'drains at the baud the line is told, not the one it started at',
      { timeout: 30_000 },
      async () => {
        const fast = await flood({
          window: 4096,
          total: 32 * 1024,
          chunk: 512,
          gapMs: 0,
          baud: 921600,
        });
        expect(fast.controlWrites).toBe(1); // "b921600"
        expect(fast.held).toBeGreaterThanOrEqual(5);
        expect(fast.totalMs).toBeGreaterThanOrEqual(fast.lineMs);
        // At 115200 the same bytes take 2.8 s: a relay still at it would hold the host that long.
        expect(fast.totalMs).toBeLessThan(lineMs(32 * 1024, 115200) / 2);
      },
    );

    it.skipIf(p.program !== 'perl')(
      'without a clock (perl-base) the line returns room as credits',
      { timeout: 30_000 },
      async () => {
        const perlBinary = await perlWithoutClock();
        const paced = await flood({
          window: 4096,
          total: 16 * 1024,
          chunk: 512,
          gapMs: 2,
          perlBinary,
        });
        expect(paced.timed).toBe(false);
        expectShutAtWindow(paced, 4096, 512);
        expect(paced.totalMs).toBeGreaterThanOrEqual(paced.lineMs);
        expect(paced.controlWrites).toBe(paced.rxDone);
      },
    );

    it.skipIf(!p.timed)(
      'request/answer: the host is never held, and the emulator writes nothing but answers',
      { timeout: 30_000 },
      async () => {
        const { r, line, state, fd } = await pacedRelay('slot-06');
        try {
          const packet = new Uint8Array(1024).fill(0x55);
          const answer = Buffer.alloc(8);
          for (let round = 1; round <= 12; round++) {
            // Written at once: the line carried the last packet before its answer.
            writeSync(fd, packet);
            await waitFor('the packet on the line', () => state.delivered === round * 1024, {
              intervalMs: 5,
            });
            // Answered when it has arrived by the model (the module's time, module-clock.ts).
            line.send(Uint8Array.of(0x5a), state.arrivedAt);
            await waitFor('the answer at the host', () => {
              try {
                return readSync(fd, answer, 0, answer.length, null) > 0;
              } catch (error) {
                if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
                return false;
              }
            });
          }
          expect(r.controlWrites).toBe(0);
        } finally {
          closeSync(fd);
        }
      },
    );

    it.skipIf(!p.timed)(
      'reopens when its own model has drained to window / 2, and at once when the line drops',
      { timeout: 30_000 },
      async () => {
        // 9600 baud: 1.04 ms a byte, so every step below has seconds of margin.
        const { r, line, state, fd } = await pacedRelay('slot-07', 9600);
        try {
          const started = performance.now();
          await hostWrite(fd, new Uint8Array(4096).fill(1));
          await waitFor('the relay to read them', () => state.received === 4096, { intervalMs: 1 });
          // Shut at 4096: the next byte waits until the relay's model has carried 2048 (2.1 s of
          // line), with no word from the emulator.
          await hostWrite(fd, Uint8Array.of(2));
          expect(performance.now() - started).toBeGreaterThanOrEqual(lineMs(2048, 9600));
          expect(r.controlWrites).toBe(0);
          // Fill it again, then drop the line (power off): the FIFO is empty at once.
          await hostWrite(fd, new Uint8Array(2048).fill(3));
          await waitFor('the relay to read them', () => state.received === 6145, { intervalMs: 1 });
          const dropAt = performance.now();
          line.drop();
          await hostWrite(fd, new Uint8Array(1024).fill(4));
          expect(r.controlWrites).toBe(1); // "d<count>"
          // The line would have needed seconds to carry what was queued.
          expect(performance.now() - dropAt).toBeLessThan(lineMs(1024, 9600));
        } finally {
          closeSync(fd);
        }
      },
    );

    it.skipIf(!p.timed)(
      "at the adapter's default window takes a WRITE packet and 509 bytes more at once, then holds",
      { timeout: 30_000 },
      async () => {
        // ftdi_sio takes 4 KiB into its FIFO and 2 × 256 bytes into its write URBs in one call:
        // a DA WRITE packet (4 KiB + checksum) and what follows up to 4608 pass unheld.
        const { state, fd } = await pacedRelay('slot-08', 9600, DEFAULT_HOST_WINDOW);
        try {
          const started = performance.now();
          await hostWrite(fd, new Uint8Array(4099).fill(1));
          await waitFor('the relay to read them', () => state.received === 4099, { intervalMs: 1 });
          await hostWrite(fd, new Uint8Array(DEFAULT_HOST_WINDOW - 4099).fill(2));
          // A 4096 window would have held this write until 2048 were carried (2.1 s at 9600).
          expect(performance.now() - started).toBeLessThan(lineMs(1536, 9600));
          // Past the window (the pty takes these whatever the gate; the relay then shuts it)...
          await hostWrite(fd, new Uint8Array(1024).fill(3));
          const past = DEFAULT_HOST_WINDOW + 1024;
          await waitFor('the relay to read them', () => state.received === past, { intervalMs: 1 });
          // ... the next byte waits until the model has carried what brings it to half the window.
          await hostWrite(fd, Uint8Array.of(4));
          expect(performance.now() - started).toBeGreaterThanOrEqual(
            lineMs(DEFAULT_HOST_WINDOW / 2, 9600),
          );
        } finally {
          closeSync(fd);
        }
      },
    );

    it(
      'without the gate only the pty itself holds the host back (the control)',
      { timeout: 30_000 },
      async () => {
        // The relay reads eagerly: with window 0 the host is held only when the relay falls so far
        // behind that the pty (~12-20 KiB) fills, if at all.
        const unpaced = await flood({ window: 0, total: 32 * 1024, chunk: 512, gapMs: 2 });
        expect(unpaced.firstBlock ?? Infinity).toBeGreaterThan(8192);
        expect(unpaced.totalMs).toBeGreaterThanOrEqual(unpaced.lineMs);
      },
    );
  },
);
