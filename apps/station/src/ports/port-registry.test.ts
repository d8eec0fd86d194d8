import { describe, expect, it } from 'vitest';
import { LeaseAbortedError, PortRegistry } from './port-registry';

describe('PortRegistry', () => {
  it('hands a slot to one holder at a time, in arrival order', async () => {
    const ports = new PortRegistry();
    const log: string[] = [];
    const job = async (name: string, slot: number) => {
      const release = await ports.acquire(slot);
      log.push(`${name}+`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`${name}-`);
      release();
    };
    await Promise.all([job('a', 1), job('b', 1), job('c', 2), job('d', 1)]);
    const slot1 = log.filter((e) => !e.startsWith('c'));
    expect(slot1).toEqual(['a+', 'a-', 'b+', 'b-', 'd+', 'd-']);
    // Another slot is not held up by slot 1.
    expect(log.indexOf('c+')).toBeLessThan(log.indexOf('a-'));
    expect(ports.isLeased(1)).toBe(false);
  });

  it('lets a waiter give up on abort without blocking the ones behind it', async () => {
    const ports = new PortRegistry();
    const releaseFirst = await ports.acquire(3);
    const abort = new AbortController();
    const giveUp = ports.acquire(3, abort.signal);
    const third = ports.acquire(3);
    abort.abort('shutdown');
    await expect(giveUp).rejects.toBeInstanceOf(LeaseAbortedError);
    expect(ports.isLeased(3)).toBe(true);
    releaseFirst();
    const releaseThird = await third;
    expect(ports.isLeased(3)).toBe(true);
    releaseThird();
    releaseThird(); // idempotent
    expect(ports.isLeased(3)).toBe(false);
  });
});
