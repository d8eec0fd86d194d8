// Real serialport binding over a socat pseudo-terminal pair.
import { execFileSync } from 'node:child_process';
import { read, writeSync, closeSync, constants, openSync, readSync } from 'node:fs';
import { startProcess, tempDir, type RunningProcess, type TempDir } from '@station/testkit';
import type { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialTransport } from './serial-transport';

let dir: TempDir;
let socat: RunningProcess | undefined;
const opened: SerialTransport[] = [];
const descriptors: number[] = [];

/** Two linked pseudo-terminals; socat says (at -d -d) once both links exist and bytes flow. */
async function ptyPair(): Promise<[string, string]> {
  const a = dir.join('a');
  const b = dir.join('b');
  socat = startProcess('socat', 'socat', [
    '-d',
    '-d',
    `pty,raw,echo=0,link=${a}`,
    `pty,raw,echo=0,link=${b}`,
  ]);
  await socat.waitForLine('starting data transfer loop', { timeoutMs: 5000 });
  return [a, b];
}

async function open(path: string): Promise<SerialTransport> {
  const t = await SerialTransport.open({ path });
  opened.push(t);
  return t;
}

/** The far end as a plain descriptor that reads only when told: its buffers fill meanwhile. */
function quietEnd(path: string): { drain(total: number, timeoutMs: number): Promise<number> } {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  descriptors.push(fd);
  const buffer = Buffer.alloc(64 * 1024);
  return {
    /** Reads until `total` bytes arrived or `timeoutMs` passed; resolves the count read. */
    async drain(total, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let got = 0;
      while (got < total && Date.now() < deadline) {
        try {
          got += readSync(fd, buffer, 0, buffer.length, null);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          await new Promise((r) => setTimeout(r, 2));
        }
      }
      return got;
    },
  };
}

beforeEach(async () => {
  dir = await tempDir('serial-transport');
});

afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
  for (const fd of descriptors.splice(0)) closeSync(fd);
  await socat?.release();
  socat = undefined;
  await dir.dispose();
});

describe('SerialTransport over a pseudo-terminal', () => {
  it('moves bytes both ways and assembles reads from several chunks', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = await open(b);
    const reading = device.read(6, 2000);
    await host.write(Uint8Array.of(1, 2, 3), 2000);
    await host.write(Uint8Array.of(4, 5, 6, 7), 2000);
    expect(await reading).toEqual(Uint8Array.of(1, 2, 3, 4, 5, 6));
    expect(await device.read(1, 2000)).toEqual(Uint8Array.of(7));
    const big = Uint8Array.from({ length: 20_000 }, (_, i) => i & 0xff);
    const back = host.read(big.length, 5000);
    await device.write(big, 5000);
    expect(await back).toEqual(big);
  });

  it('a write with drain: false skips tcdrain; the bytes still arrive whole and in order', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = await open(b);
    const frames = [1, 2, 3].map((n) =>
      Uint8Array.from({ length: 4099 }, (_, i) => (i * n) & 0xff),
    );
    const arriving = device.read(3 * 4099 + 1, 5000);
    for (const frame of frames) await host.write(frame, 2000, undefined, { drain: false });
    expect(host.drains).toBe(0);
    await host.write(Uint8Array.of(0x69), 2000);
    expect(host.drains).toBe(1);
    const got = await arriving;
    frames.forEach((frame, i) => expect(got.subarray(i * 4099, (i + 1) * 4099)).toEqual(frame));
    expect(got[3 * 4099]).toBe(0x69);
  });

  it('times out a read, changes baud, and discards stale input', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = await open(b);
    await expect(host.read(1, 30)).rejects.toMatchObject({ timeout: true });
    await host.setBaudRate(921600);
    await device.write(Uint8Array.of(0x5f, 0x5f), 2000);
    await expect(host.read(2, 2000)).resolves.toEqual(Uint8Array.of(0x5f, 0x5f));
    await device.write(Uint8Array.of(9), 2000);
    await new Promise((r) => setTimeout(r, 50));
    host.discardInput();
    await expect(host.read(1, 30)).rejects.toMatchObject({ timeout: true });
  });

  it('close rejects a pending read as canceled', async () => {
    const [a] = await ptyPair();
    const host = await open(a);
    const pending = expect(host.read(1, 10_000)).rejects.toMatchObject({
      canceled: true,
      disconnected: false,
    });
    await host.close();
    await pending;
    await expect(host.write(Uint8Array.of(1), 2000)).rejects.toMatchObject({ canceled: true });
  });

  it('the far end vanishing rejects a pending read as disconnected', async () => {
    const [a] = await ptyPair();
    const host = await open(a);
    const pending = expect(host.read(1, 10_000)).rejects.toMatchObject({ disconnected: true });
    await socat!.stop();
    // Linux reports the hang-up on the next I/O at the latest.
    await expect(host.write(Uint8Array.of(0xa0), 2000)).rejects.toMatchObject({
      disconnected: true,
    });
    await pending;
  });

  it('keeps every byte of many small chunks while earlier ones wait unread (read buffer reuse)', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = await open(b);
    // 300 writes of 1–700 bytes, 100+ KiB in all: more than one of the reader's 64 KiB buffers,
    // every slice still queued when the next buffer is taken.
    const chunks = Array.from({ length: 300 }, (_, n) =>
      Uint8Array.from({ length: 1 + ((n * 97) % 700) }, (_, i) => (n * 31 + i) & 0xff),
    );
    const total = chunks.reduce((sum, c) => sum + c.length, 0);
    for (const chunk of chunks) {
      await device.write(chunk, 2000, undefined, { drain: false });
      if (chunk.length > 600) await new Promise((r) => setTimeout(r, 1)); // separate reads
    }
    const got = await host.read(total, 5000);
    let at = 0;
    for (const chunk of chunks) {
      expect(got.subarray(at, at + chunk.length)).toEqual(chunk);
      at += chunk.length;
    }
  });

  it('reads arrive while every libuv pool thread is blocked (no pool hop per read)', async () => {
    // On a station PC a tcdrain stuck on one adapter holds a pool thread; with as many stuck as
    // there are threads, reads that went through the pool stopped for every slot.
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = await open(b);
    const fifo = dir.join('stuck');
    execFileSync('mkfifo', [fifo]);
    const stuck = openSync(fifo, 'r+'); // blocking: each read below holds a pool thread
    descriptors.push(stuck);
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const released: Promise<void>[] = [];
    for (let i = 0; i < threads; i += 1)
      released.push(
        new Promise((resolve) => read(stuck, Buffer.alloc(1), 0, 1, null, () => resolve())),
      );
    try {
      const reading = host.read(3, 3000);
      await device.write(Uint8Array.of(0x5a, 0x69, 0xa5), 2000, undefined, { drain: false });
      await expect(reading).resolves.toEqual(Uint8Array.of(0x5a, 0x69, 0xa5));
    } finally {
      writeSync(stuck, Buffer.alloc(threads));
      await Promise.all(released);
    }
  });

  it('fails to open a missing port with PORT_OPEN_FAIL (1011)', async () => {
    await expect(SerialTransport.open({ path: dir.join('nope') })).rejects.toMatchObject({
      code: 'PORT_OPEN_FAIL',
      mtkCode: 1011,
    });
  });
});

describe('SerialTransport writes never hang', () => {
  // More than the pty pair and socat can buffer (~20 KiB per pty), so the write waits for room.
  const big = new Uint8Array(512 * 1024).fill(0x55);

  it('a write nobody drains fails as a timeout at its deadline', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    quietEnd(b);
    const started = performance.now();
    await expect(host.write(big, 400)).rejects.toMatchObject({ timeout: true });
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(390);
    expect(waited).toBeLessThan(1400);
  });

  it('an abort ends a pending write within a second, as canceled', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    quietEnd(b);
    const controller = new AbortController();
    const pending = host.write(big, 60_000, controller.signal);
    await new Promise((r) => setTimeout(r, 200));
    const abortedAt = performance.now();
    controller.abort(new Error('SIGTERM'));
    await expect(pending).rejects.toMatchObject({ canceled: true });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
  });

  it('a write waiting for room survives the read loop re-arming the poller (da-upload 14 % hang)', async () => {
    const [a, b] = await ptyPair();
    const host = await open(a);
    const device = quietEnd(b);
    const writing = host.write(big, 20_000);
    await new Promise((r) => setTimeout(r, 300)); // the buffers are full: the write waits
    // What the binding's read loop does when a read in flight returns EAGAIN late: it asks the
    // poller for "readable", which restarts the uv_poll with that event alone. A write waiting on
    // the poller for "writable" would never hear of room again.
    const binding = (host as unknown as { port: SerialPort }).port.port as unknown as {
      poller: { poll(events: number): void };
    };
    binding.poller.poll(1);
    const received = device.drain(big.length, 15_000);
    await expect(writing).resolves.toBeUndefined();
    expect(await received).toBe(big.length);
  });
});
