import { describe, expect, it } from 'vitest';
import { TransportError } from '../transport';
import { ByteQueue } from './byte-queue';

const data = Uint8Array.from({ length: 12 }, (_, i) => i * 17);

describe('ByteQueue', () => {
  it('assembles a read split at every byte boundary', async () => {
    for (let cut = 0; cut <= data.length; cut++) {
      const q = new ByteQueue();
      const read = q.read(data.length, 1000);
      q.push(data.slice(0, cut));
      await Promise.resolve();
      q.push(data.slice(cut));
      expect(await read).toEqual(data);
      expect(q.available).toBe(0);
    }
  });

  it('serves consecutive reads from one chunk, keeping the rest', async () => {
    const q = new ByteQueue();
    q.push(data);
    expect(await q.read(5, 10)).toEqual(data.subarray(0, 5));
    expect(await q.read(7, 10)).toEqual(data.subarray(5));
  });

  it('times out without consuming the partial bytes', async () => {
    const q = new ByteQueue();
    q.push(Uint8Array.of(1, 2));
    await expect(q.read(3, 5)).rejects.toMatchObject({ timeout: true });
    expect(q.available).toBe(2);
    q.push(Uint8Array.of(3));
    expect(await q.read(3, 5)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('rejects the pending read as canceled on close and on abort', async () => {
    const q = new ByteQueue();
    const pending = q.read(1, 10_000);
    q.close(new TransportError('closed', { canceled: true }));
    await expect(pending).rejects.toMatchObject({ canceled: true, disconnected: false });
    await expect(q.read(1, 10)).rejects.toBeInstanceOf(TransportError);

    const q2 = new ByteQueue();
    const controller = new AbortController();
    const aborted = q2.read(1, 10_000, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ canceled: true });
  });

  it('refuses a second concurrent read and bad lengths', async () => {
    const q = new ByteQueue();
    const first = q.read(1, 50);
    await expect(q.read(1, 50)).rejects.toThrow(/already pending/);
    await expect(q.read(-1, 50)).rejects.toThrow(RangeError);
    await expect(first).rejects.toMatchObject({ timeout: true });
  });
});
