// The C relay hub serving several slots in one process, on real ptys: each slot's bytes reach
// only its own host, a host that does not read holds back nobody else, one slot's close or the
// hub's death is each slot's "adapter gone", and a pty it cannot create is a clear error.
// (What each slot does alone, gate and timing included, pty-relay.test.ts checks on a hub too.)
import { closeSync, constants, existsSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, waitFor, type TempDir } from '@station/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nativeRelay } from './native-relay';
import { RelayHub } from './relay-hub';
import type { PtyRelay } from './relay-types';

const built = await nativeRelay();

let tmp: TempDir;
let hub: RelayHub;
const fds: number[] = [];
beforeEach(async () => {
  tmp = await tempDir('relay-hub');
  if (built.binary) hub = await RelayHub.start(built.binary);
});
afterEach(async () => {
  for (const fd of fds.splice(0)) closeSync(fd);
  await hub?.close();
  await tmp.dispose();
});

function openHost(path: string): number {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  fds.push(fd);
  return fd;
}

/** Reads what the host's port has now (non-blocking), as a byte array. */
function readNow(fd: number): number[] {
  const buffer = Buffer.alloc(4096); // small enough to spread into push()
  const out: number[] = [];
  for (;;) {
    try {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) return out;
      out.push(...buffer.subarray(0, n));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return out;
      throw error;
    }
  }
}

async function slot(name: string, onData: (bytes: Uint8Array) => void): Promise<PtyRelay> {
  return hub.open(join(tmp.path, name), { window: 4608, onData });
}

describe.skipIf(!built.binary)('relay hub, several slots in one process', () => {
  it("carries each slot's bytes to its own host only, both ways", async () => {
    const got = { a: [] as number[], b: [] as number[] };
    const a = await slot('slot-01', (bytes) => got.a.push(...bytes));
    const b = await slot('slot-02', (bytes) => got.b.push(...bytes));
    const hostA = openHost(a.hostPath);
    const hostB = openHost(b.hostPath);
    writeSync(hostA, Uint8Array.of(0xa0, 0x0a));
    writeSync(hostB, Uint8Array.of(0x50, 0x05, 0x11));
    await waitFor('both hosts at the hub', () => got.a.length === 2 && got.b.length === 3);
    expect(got).toEqual({ a: [0xa0, 0x0a], b: [0x50, 0x05, 0x11] });
    a.write(Uint8Array.of(0x5f));
    b.write(Uint8Array.of(0xf5, 0x69));
    const atHost = { a: [] as number[], b: [] as number[] };
    await waitFor('the answers at each host', () => {
      atHost.a.push(...readNow(hostA));
      atHost.b.push(...readNow(hostB));
      return atHost.a.length === 1 && atHost.b.length === 2;
    });
    expect(atHost).toEqual({ a: [0x5f], b: [0xf5, 0x69] });
  });

  it('loses, when the line drops, what was due after the drop and keeps what was due before', async () => {
    const a = await slot('slot-01', () => undefined);
    const b = await slot('slot-02', () => undefined);
    const hostA = openHost(a.hostPath);
    const hostB = openHost(b.hostPath);
    const now = performance.now();
    a.write(Uint8Array.of(1), now + 100);
    a.write(Uint8Array.of(2), now + 400); // the module's answer for later: lost with the power
    b.write(Uint8Array.of(3), now + 400); // another slot's: not touched
    a.discardAfter!(now + 200);
    a.write(Uint8Array.of(4), now + 500); // after power returns
    const got = { a: [] as number[], b: [] as number[] };
    await waitFor('every byte due', () => {
      got.a.push(...readNow(hostA));
      got.b.push(...readNow(hostB));
      return got.a.includes(4) && got.b.length === 1;
    });
    expect(got).toEqual({ a: [1, 4], b: [3] });
  });

  it('keeps serving other slots while a host does not read, and that host later gets all in order', async () => {
    const a = await slot('slot-01', () => undefined);
    const got: number[] = [];
    const b = await slot('slot-02', (bytes) => got.push(...bytes));
    const hostA = openHost(a.hostPath);
    const hostB = openHost(b.hostPath);
    // Far more than a pty holds: the hub must queue it, not block on it.
    const big = Buffer.alloc(2 * 1024 * 1024, 0);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    a.write(big);
    for (let round = 0; round < 5; round++) {
      writeSync(hostB, Uint8Array.of(round));
      await waitFor(`round ${round} at the hub`, () => got.length === round + 1);
      b.write(Uint8Array.of(0x80 + round));
      const answer: number[] = [];
      await waitFor(`answer ${round} at host B`, () => {
        answer.push(...readNow(hostB));
        return answer.length === 1;
      });
      expect(answer).toEqual([0x80 + round]);
    }
    const atA: number[] = [];
    await waitFor('all of slot 1 at its host', () => {
      for (const byte of readNow(hostA)) atA.push(byte);
      return atA.length >= big.length;
    });
    expect(Buffer.from(atA).equals(big)).toBe(true);
  });

  it("one slot's close hangs up its host only; the hub's death is every slot's adapter gone", async () => {
    const a = await slot('slot-01', () => undefined);
    const got: number[] = [];
    const b = await slot('slot-02', (bytes) => got.push(...bytes));
    const goneA = new Promise<void>((resolve) => a.onGone(resolve));
    await a.close();
    await goneA;
    expect(existsSync(a.hostPath)).toBe(false);
    const hostB = openHost(b.hostPath);
    writeSync(hostB, Uint8Array.of(7));
    await waitFor('slot 2 still carries bytes', () => got.length === 1);
    const goneB = new Promise<void>((resolve) => b.onGone(resolve));
    process.kill(hub.pid!, 'SIGKILL');
    await goneB;
    b.write(Uint8Array.of(1)); // after the adapter is gone: dropped, no throw
  });

  it('names the path it cannot create and stays up for the next slot', async () => {
    await expect(
      hub.open(join(tmp.path, 'no-such-folder', 'slot-01'), { window: 0, onData: () => undefined }),
    ).rejects.toThrow(/cannot create the pty: cannot create .*no-such-folder\/slot-01/);
    const got: number[] = [];
    const ok = await slot('slot-03', (bytes) => got.push(...bytes));
    writeSync(openHost(ok.hostPath), Uint8Array.of(1, 2));
    await waitFor('the next slot carries bytes', () => got.length === 2);
  });
});
