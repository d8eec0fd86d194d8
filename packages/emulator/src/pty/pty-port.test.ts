// The device end on real socat pseudo-terminals: the module's output reaches a host that reads
// late, whole and in order, even when the serialport binding's poller is re-armed meanwhile.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, withDeadline, type TempDir } from '@station/testkit';
import type { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDevicePort, type DevicePort } from './pty-port';
import { createSocatPair, PtyError, type SocatPair } from './socat-pair';

let tmp: TempDir;
let pair: SocatPair;
let device: DevicePort;
let errors: Error[];
const descriptors: number[] = [];

beforeEach(async () => {
  tmp = await tempDir('pty-port');
  pair = await createSocatPair(join(tmp.path, 'slot-01'), join(tmp.path, '.slot-01.device'));
  errors = [];
  device = await openDevicePort(
    pair.devicePath,
    () => undefined,
    (e) => errors.push(e),
  );
});

afterEach(async () => {
  await device.close();
  for (const fd of descriptors.splice(0)) closeSync(fd);
  await pair.close();
  await tmp.dispose();
});

/** The host end as a plain descriptor that reads only when told: the ptys fill meanwhile. */
function quietHost(path: string): { drain(total: number, timeoutMs: number): Promise<Buffer> } {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  descriptors.push(fd);
  const buffer = Buffer.alloc(64 * 1024);
  return {
    /** Reads until `total` bytes arrived or `timeoutMs` passed; resolves what was read. */
    async drain(total, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const parts: Buffer[] = [];
      let got = 0;
      while (got < total && Date.now() < deadline) {
        try {
          const n = readSync(fd, buffer, 0, buffer.length, null);
          parts.push(Buffer.from(buffer.subarray(0, n)));
          got += n;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          await new Promise((r) => setTimeout(r, 2));
        }
      }
      return Buffer.concat(parts);
    },
  };
}

/** 512 KiB, far more than socat and both ptys buffer (~20 KiB each), in 1 KiB line batches. */
function bigOutput(): Uint8Array[] {
  return Array.from({ length: 512 }, (_, i) =>
    Uint8Array.from({ length: 1024 }, (_, j) => (i * 7 + j) & 0xff),
  );
}

describe('device port writes', () => {
  it('a write waiting for room survives the read loop re-arming the poller', async () => {
    const host = quietHost(pair.hostPath);
    const chunks = bigOutput();
    for (const chunk of chunks) device.write(chunk);
    await new Promise((r) => setTimeout(r, 300)); // the buffers are full: the write waits
    // What the binding's read loop does when a read returns EAGAIN: ask the poller for
    // "readable", which restarts its uv_poll with that event alone. A write waiting on the
    // poller for "writable" would never hear of room again.
    const binding = (device as unknown as { port: SerialPort }).port.port as unknown as {
      poller: { poll(events: number): void };
    };
    binding.poller.poll(1);
    const received = await host.drain(512 * 1024, 15_000);
    expect(received.length).toBe(512 * 1024);
    expect(received.equals(Buffer.concat(chunks))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('close() drops queued output and returns at once', async () => {
    quietHost(pair.hostPath);
    for (const chunk of bigOutput()) device.write(chunk);
    await new Promise((r) => setTimeout(r, 100));
    await withDeadline('close() with 500 KiB queued', device.close(), 500);
    device.write(Uint8Array.of(1)); // after close: ignored, no error
    expect(errors).toEqual([]);
  });

  it('once the adapter is gone, output is dropped or its EIO reported, and close() returns', async () => {
    await pair.close(); // socat gone: the device pty has no far end
    await new Promise((r) => setTimeout(r, 100));
    // The binding's read loop usually sees the hang-up and closes the port (the write is then
    // dropped); when it has not, the write fails with EIO and is reported once.
    const selfClosed = !(device as unknown as { port: SerialPort }).port.isOpen;
    device.write(Uint8Array.of(0x5f));
    device.write(Uint8Array.of(0x5f));
    await new Promise((r) => setTimeout(r, 100));
    if (selfClosed) expect(errors).toEqual([]);
    else {
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(PtyError);
      expect(errors[0]!.message).toMatch(/^write to .*\.slot-01\.device failed: EIO/);
    }
    await withDeadline('close() after the adapter vanished', device.close(), 2000);
  });
});
