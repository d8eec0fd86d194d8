// Real perl relay, real pseudo-terminal, real pyserial host: bytes flow both ways, the link
// goes with the relay (also when the emulator is killed), and a host's write is held back once
// about 4 KiB wait for the line, as on a USB-serial adapter.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startProcess, tempDir, waitFor, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PacedLine } from '../line/paced-line';
import { TIMER_TOLERANCE_MS } from '../util/clock';
import { PtyError } from './errors';
import { createPtyRelay, type PtyRelay } from './pty-relay';

const fixtures = join(import.meta.dirname, '../../test/fixtures');
const python = '/usr/bin/python3';
const hasPyserial = spawnSync(python, ['-c', 'import serial']).status === 0;
// The relay keeps time with Time::HiRes (in perl, not perl-base).
const hasHiRes = spawnSync('perl', ['-MTime::HiRes', '-e1']).status === 0;

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
): Promise<PtyRelay> {
  const made = await createPtyRelay(join(tmp.path, name), { window, onData });
  relays.push(made);
  return made;
}

describe('pty relay', () => {
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

  it.skipIf(!hasHiRes)(
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

/**
 * A pyserial host writes `total` bytes in `chunk`-byte writes `gapMs` apart into a 115200 line
 * (512 B every 2 ms is 22 times the line rate: the host outruns the line, as a flasher does).
 */
async function flood(window: number, total: number, chunk: number, gapMs: number) {
  const baud = 115200;
  let delivered = 0;
  let lastDeliveryMs = 0;
  let rxDone = 0;
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
  });
  line.setBaud(baud);
  r = await relay('slot-04', window, (bytes, readAt) => line.fromHost(bytes, readAt));
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
  // The line may hand over a byte up to the clock's tolerance before its due time, so the
  // floor is the line time less that tolerance (src/util/clock.ts).
  const lineMs = (total * 10_000) / baud - TIMER_TOLERANCE_MS;
  return {
    ...result,
    totalMs: lastDeliveryMs - result.startMs,
    lineMs,
    creditWrites: r.creditWrites,
    rxDone,
  };
}

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
    { intervalMs: 1 },
  );
}

/** A relay at 115200 with a paced line whose module answers nothing on its own. */
async function pacedRelay(name: string) {
  const state = { received: 0, delivered: 0, rxDone: 0 };
  let r: PtyRelay | null = null;
  const line = new PacedLine({
    toHost: (bytes, due) => r?.write(bytes, due),
    hostKeepsTime: () => r?.timed ?? false,
    toDevice: (bytes) => (state.delivered += bytes.length),
    onRxDone: (count) => {
      state.rxDone++;
      r?.credit(count);
    },
  });
  line.setBaud(115200);
  r = await relay(name, 4096, (bytes, readAt) => {
    state.received += bytes.length;
    line.fromHost(bytes, readAt);
  });
  const fd = openSync(r.hostPath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  return { r, line, state, fd };
}

describe.skipIf(!hasPyserial)('pty relay back-pressure (pyserial host)', () => {
  it(
    'holds the host once ~4 KiB wait for the line, never faster than the line',
    { timeout: 30_000 },
    async () => {
      const paced = await flood(4096, 32 * 1024, 512, 2);
      // The relay shuts the host's tty once it has read 4096 bytes not yet on the line; one more
      // 512-byte write may land before that ioctl (the host runs on the other core).
      expect(paced.firstBlock).toBeGreaterThanOrEqual(4096);
      expect(paced.firstBlock).toBeLessThanOrEqual(4096 + 1024);
      expect(paced.held).toBeGreaterThanOrEqual(5);
      expect(paced.totalMs).toBeGreaterThanOrEqual(paced.lineMs);
      if (hasHiRes) {
        // Credits go when the shut gate can reopen (at window / 2), not one per 1 KiB piece:
        // about one write per 2 KiB of a stream that keeps the gate busy.
        expect(paced.rxDone).toBeGreaterThanOrEqual(30);
        expect(paced.creditWrites).toBeLessThanOrEqual((32 * 1024) / 2048 + 2);
      }
    },
  );

  it.skipIf(!hasHiRes)(
    'request/answer: credits ride with the answers, and the host is never held by them',
    { timeout: 30_000 },
    async () => {
      const { r, line, state, fd } = await pacedRelay('slot-06');
      try {
        const packet = new Uint8Array(1024).fill(0x55);
        const answer = Buffer.alloc(8);
        for (let round = 1; round <= 12; round++) {
          // Written at once: the gate is never shut by credits held for earlier packets.
          writeSync(fd, packet);
          await waitFor('the packet on the line', () => state.delivered === round * 1024, {
            intervalMs: 5,
          });
          line.send(Uint8Array.of(0x5a));
          await waitFor('the answer at the host', () => {
            try {
              return readSync(fd, answer, 0, answer.length, null) > 0;
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
              return false;
            }
          });
        }
        expect(state.rxDone).toBeGreaterThanOrEqual(12);
        // One credit write per three 1 KiB packets (when more than window / 2 are counted).
        expect(r.creditWrites).toBeLessThanOrEqual(4);
      } finally {
        closeSync(fd);
      }
    },
  );

  it.skipIf(!hasHiRes)(
    'a gate shut only on credits held here reopens below the window, before the line drains',
    { timeout: 30_000 },
    async () => {
      const { r, state, fd } = await pacedRelay('slot-07');
      try {
        // 3 KiB go through the line; no answer, so their credits stay here.
        await hostWrite(fd, new Uint8Array(3072).fill(1));
        await waitFor('the first packet on the line', () => state.delivered === 3072, {
          intervalMs: 5,
        });
        expect(r.creditWrites).toBe(0);
        // 3 KiB more: the relay counts 6 KiB and shuts, but a 4 KiB FIFO holds only these 3 KiB:
        // 512 bytes more must fit long before the line has carried a byte of them (1 KiB piece:
        // 89 ms at 115200), not wait until window / 2 is reached.
        await hostWrite(fd, new Uint8Array(3072).fill(2));
        await waitFor('the relay to read them', () => state.received === 6144, { intervalMs: 1 });
        expect(r.creditWrites).toBe(1); // the held credits, at once, flagged "!"
        await hostWrite(fd, new Uint8Array(512).fill(3));
        expect(state.delivered).toBe(3072);
        // The window still holds: 1 KiB more brings 4608 bytes past the FIFO and shuts the gate
        // for real; the next write waits until no more than window / 2 are left (2560 drained).
        await hostWrite(fd, new Uint8Array(1024).fill(4));
        await waitFor('the relay to read them', () => state.received === 7680, { intervalMs: 1 });
        await hostWrite(fd, new Uint8Array(16).fill(5));
        expect(state.delivered).toBeGreaterThanOrEqual(3072 + 2560);
        await waitFor('every byte on the line', () => state.delivered === 3072 * 2 + 512 + 1040, {
          timeoutMs: 10_000,
        });
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
      const unpaced = await flood(0, 32 * 1024, 512, 2);
      expect(unpaced.firstBlock ?? Infinity).toBeGreaterThan(8192);
      expect(unpaced.totalMs).toBeGreaterThanOrEqual(unpaced.lineMs);
    },
  );
});
