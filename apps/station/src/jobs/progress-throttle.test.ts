// The progress throttle with real timers; the assertions count events, they do not time them.
import type { FlashRunProgress } from '@station/contracts';
import { describe, expect, it } from 'vitest';
import { throttleProgress } from './progress-throttle';

const write = (bytes: number) => ({
  stage: 'write' as const,
  bytes,
  totalBytes: 100,
  percent: bytes,
});

describe('throttleProgress', () => {
  it('sends the first event at once and only the latest of a burst after the interval', async () => {
    const sent: FlashRunProgress[] = [];
    let trailing!: () => void;
    const trailingSent = new Promise<void>((resolve) => (trailing = resolve));
    const throttle = throttleProgress((p) => {
      sent.push(p);
      if (sent.length === 2) trailing();
    }, 200);
    for (let bytes = 1; bytes <= 50; bytes++) throttle.push(write(bytes));
    expect(sent).toEqual([{ v: 1, stage: 'write', bytes: 1, totalBytes: 100, percent: 1 }]);
    await trailingSent;
    expect(sent.map((p) => p.bytes)).toEqual([1, 50]);
    throttle.stop();
  });

  it('drops a pending event on stop', async () => {
    const sent: number[] = [];
    const throttle = throttleProgress((p) => sent.push(p.bytes), 20);
    throttle.push(write(1));
    throttle.push(write(2));
    throttle.stop();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sent).toEqual([1]);
  });
});
